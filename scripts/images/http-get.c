/*
 * http-get: a minimal HTTP/1.0 client for test images, where busybox wget
 * cannot be trusted (see wget-timeout.c).
 *
 *   http-get [-t SECONDS] [-H 'Name: value']... [-i] URL
 *
 * Fetches URL (http:// only; host may be a name, an IPv4 address or an
 * [IPv6] address) and writes the body of a 2xx answer to stdout; -i writes
 * the status line and headers first. Exits 0 on a 2xx answer, 1 on any
 * other status or on a network error (with a message on stderr, and no
 * body), 2 on a usage error. The whole
 * request is bounded by -t (default 10 s). Chunked bodies are decoded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *url;

static void fail(const char *what, const char *detail) {
	fprintf(stderr, "http-get: %s: %s%s%s\n", url, what, detail ? ": " : "", detail ? detail : "");
	exit(1);
}

static void timed_out(int sig) {
	(void)sig;
	static const char msg[] = "http-get: timed out\n";
	(void)!write(2, msg, sizeof msg - 1);
	_exit(1);
}

static void write_all(const char *p, size_t n) {
	while (n > 0) {
		ssize_t w = write(1, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fail("cannot write output", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

/* Writes a chunked body; returns 0 when it is well formed. */
static int write_chunked(char *p, char *end) {
	for (;;) {
		char *line_end = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!line_end)
			return -1;
		char *after;
		unsigned long size = strtoul(p, &after, 16);
		if (after == p)
			return -1;
		p = line_end + 2;
		if (size == 0)
			return 0;
		if ((size_t)(end - p) < size + 2)
			return -1;
		write_all(p, size);
		p += size + 2;
	}
}

static int usage(void) {
	fprintf(stderr, "usage: http-get [-t SECONDS] [-H 'Name: value']... [-i] http://HOST[:PORT][/PATH]\n");
	return 2;
}

int main(int argc, char **argv) {
	unsigned timeout = 10;
	int include_headers = 0;
	char headers[4096] = "";
	int opt;
	while ((opt = getopt(argc, argv, "t:H:i")) != -1) {
		switch (opt) {
		case 't':
			timeout = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'H':
			if (strlen(headers) + strlen(optarg) + 3 > sizeof headers)
				return usage();
			strcat(headers, optarg);
			strcat(headers, "\r\n");
			break;
		case 'i':
			include_headers = 1;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1)
		return usage();
	url = argv[optind];
	if (strncmp(url, "http://", 7) != 0)
		fail("only http:// URLs are supported", NULL);

	/* http://HOST[:PORT][/PATH] */
	char host[256], port[8] = "80";
	const char *authority = url + 7;
	const char *path = strchr(authority, '/');
	size_t alen = path ? (size_t)(path - authority) : strlen(authority);
	if (!path)
		path = "/";
	if (alen == 0 || alen >= sizeof host)
		fail("bad host", NULL);
	char hostport[256];
	memcpy(hostport, authority, alen);
	hostport[alen] = '\0';
	const char *colon;
	if (hostport[0] == '[') {
		char *close = strchr(hostport, ']');
		if (!close)
			fail("bad IPv6 address", NULL);
		*close = '\0';
		snprintf(host, sizeof host, "%s", hostport + 1);
		colon = close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = strrchr(hostport, ':');
		snprintf(host, sizeof host, "%.*s", colon ? (int)(colon - hostport) : (int)alen, hostport);
	}
	if (colon) {
		if (strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof port || strspn(colon + 1, "0123456789") != strlen(colon + 1))
			fail("bad port", NULL);
		snprintf(port, sizeof port, "%s", colon + 1);
	}

	if (timeout > 0) {
		signal(SIGALRM, timed_out);
		alarm(timeout);
	}

	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res, *ai;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0)
		fail("cannot resolve host", gai_strerror(rc));
	int fd = -1, err = 0;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		fail("cannot connect", strerror(err));

	char request[8192];
	int n = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: http-get\r\nAccept: */*\r\nConnection: close\r\n%s\r\n", path, hostport, headers);
	if (n < 0 || (size_t)n >= sizeof request)
		fail("request too long", NULL);
	for (char *p = request; n > 0;) {
		ssize_t w = write(fd, p, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fail("cannot send request", strerror(errno));
		p += w;
		n -= (int)w;
	}

	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (len == cap)
			buf = realloc(buf, cap *= 2);
		if (!buf)
			fail("out of memory", NULL);
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail("cannot read answer", strerror(errno));
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);

	char *head_end = memmem(buf, len, "\r\n\r\n", 4);
	if (!head_end || len < 12 || strncmp(buf, "HTTP/", 5) != 0)
		fail("not an HTTP answer", NULL);
	char *sp = memchr(buf, ' ', (size_t)(head_end - buf));
	int status = sp ? atoi(sp + 1) : 0;
	char *body = head_end + 4;
	if (include_headers)
		write_all(buf, (size_t)(body - buf));

	if (status < 200 || status > 299) {
		*(char *)memchr(buf, '\r', (size_t)(head_end - buf) + 1) = '\0';
		fail("server answered", buf);
	}

	/* Header names are case-insensitive; look for a chunked transfer coding. */
	int chunked = 0;
	for (char *line = memchr(buf, '\n', (size_t)(head_end - buf)); line && line < head_end; line = memchr(line, '\n', (size_t)(head_end - line))) {
		line++;
		if (strncasecmp(line, "transfer-encoding:", 18) == 0) {
			char *v = line + 18, *eol = memchr(v, '\r', (size_t)(head_end + 2 - v));
			size_t vlen = eol ? (size_t)(eol - v) : 0;
			for (size_t i = 0; i + 7 <= vlen; i++)
				if (strncasecmp(v + i, "chunked", 7) == 0)
					chunked = 1;
		}
	}
	if (chunked) {
		if (write_chunked(body, buf + len) != 0)
			fail("bad chunked body", NULL);
	} else {
		write_all(body, (size_t)(buf + len - body));
	}
	return 0;
}
