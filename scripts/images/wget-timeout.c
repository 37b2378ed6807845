/*
 * /bin/wget of the busybox image: busybox's own wget, plus -T/--timeout.
 *
 * Debian's busybox-static is built without FEATURE_WGET_TIMEOUT: its wget
 * has no timeout at all and rejects --timeout (and, unpatched, dies of
 * SIGSEGV on -T; build-images.mjs patches that). This wrapper takes the
 * timeout out of the arguments, runs `busybox wget` with the rest and, when
 * a timeout was given, ends the download after that many seconds (for the
 * whole transfer, where GNU wget times each network operation) with exit
 * code 1, as busybox's own timeout would.
 *
 * It runs when wget is executed by path: exec probes, `kubectl exec pod --
 * wget ...`, a container command. busybox sh runs its applets directly, so
 * `sh -c 'wget -T 1 ...'` gets busybox's wget, where -T is accepted but not
 * enforced (use `timeout 1 wget ...` there, or http-get -t).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUSYBOX "/bin/busybox"

/* Short options of busybox wget that take a value. */
static const char with_value[] = "OoPYUTt";
/* Long options that take a value in the next argument when not given as --name=value. */
static const char *const long_with_value[] = {"header", "post-data", "post-file", "output-document", "output-file", "directory-prefix", "proxy", "user-agent", "tries", NULL};

static volatile sig_atomic_t child_pid, expired;

static void on_alarm(int sig) {
	(void)sig;
	expired = 1;
	if (child_pid > 0)
		kill(child_pid, SIGKILL);
}

static void forward(int sig) {
	if (child_pid > 0)
		kill(child_pid, sig);
}

static int takes_long_value(const char *name) {
	for (const char *const *p = long_with_value; *p; p++)
		if (strcmp(name, *p) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv) {
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		return 1;
	int n = 0;
	const char *timeout = NULL;
	args[n++] = "wget";
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			while (i < argc)
				args[n++] = argv[i++];
			break;
		}
		if (strncmp(arg, "--timeout=", 10) == 0) {
			timeout = arg + 10;
			continue;
		}
		if (strcmp(arg, "--timeout") == 0) {
			if (i + 1 < argc)
				timeout = argv[++i];
			continue;
		}
		if (strncmp(arg, "--", 2) == 0) {
			args[n++] = arg;
			if (!strchr(arg, '=') && takes_long_value(arg + 2) && i + 1 < argc)
				args[n++] = argv[++i];
			continue;
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			args[n++] = arg;
			continue;
		}
		/* A cluster of short options: copy it without its -T part. */
		size_t len = strlen(arg);
		char *kept = malloc(len + 1);
		if (!kept)
			return 1;
		size_t k = 0;
		kept[k++] = '-';
		char *next_value = NULL;
		for (size_t j = 1; j < len; j++) {
			char c = arg[j];
			if (c == 'n') { /* -n[ARG]: the rest of the cluster is its value */
				memcpy(kept + k, arg + j, len - j);
				k += len - j;
				break;
			}
			if (!strchr(with_value, c)) {
				kept[k++] = c;
				continue;
			}
			const char *value = arg[j + 1] ? arg + j + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (c == 'T') {
				timeout = value;
			} else {
				kept[k++] = c;
				if (arg[j + 1]) {
					memcpy(kept + k, arg + j + 1, len - j - 1);
					k += len - j - 1;
				} else {
					next_value = (char *)value;
				}
			}
			break;
		}
		kept[k] = '\0';
		if (k > 1)
			args[n++] = kept;
		if (next_value)
			args[n++] = next_value;
	}
	args[n] = NULL;

	double seconds = 0;
	if (timeout) {
		char *end;
		errno = 0;
		seconds = strtod(timeout, &end);
		if (errno || end == timeout || *end || seconds < 0) {
			fprintf(stderr, "wget: invalid number '%s'\n", timeout);
			return 1;
		}
	}
	if (seconds == 0) { /* no timeout (0 means none, as for GNU wget) */
		execv(BUSYBOX, args);
		perror("wget: " BUSYBOX);
		return 127;
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = forward;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	pid_t pid = fork();
	if (pid < 0) {
		perror("wget: fork");
		return 1;
	}
	if (pid == 0) {
		execv(BUSYBOX, args);
		perror("wget: " BUSYBOX);
		_exit(127);
	}
	child_pid = pid;
	struct itimerval it = {.it_value = {.tv_sec = (time_t)seconds, .tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6)}};
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);

	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (expired) {
		fprintf(stderr, "wget: download timed out\n");
		return 1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
