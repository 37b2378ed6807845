#!/bin/bash
# tsk8s-killall.sh: stops tsk8s and everything it started on this host, for an
# uninstall or a clean restart: the tsk8s service, its containerd and every
# pod (the containerd shims and what runs under them), the pod bridge and the
# pods' veths, every TSK8S-* iptables chain with the jumps to it (and the
# hostPort rules portmap made for the tsk8s network), and the mounts under
# the runtime state dir and the data dir. Data stays on disk.
#
# Environment:
#   TSK8S_DATA_DIR  the data dir (default /var/lib/tsk8s)
#   TSK8S_UNITS     systemd units to stop first (default "tsk8s tsk8s-agent"; empty: none)
#   TSK8S_BRIDGE    the pod bridge (default cni0)
set -u

[ "$(id -u)" -eq 0 ] || { echo "tsk8s-killall: run as root" >&2; exit 1; }

data_dir=${TSK8S_DATA_DIR:-/var/lib/tsk8s}
data_dir=${data_dir%/}
units=${TSK8S_UNITS-tsk8s tsk8s-agent}
bridge=${TSK8S_BRIDGE:-cni0}

# The runtime state of the default data dir is /run/tsk8s; any other data dir
# has /run/tsk8s/<first 8 hex digits of the SHA-256 of its path>.
# The default's state must not reach into those of the others.
if [ "$data_dir" = /var/lib/tsk8s ]; then
  run_dir=/run/tsk8s
  others='^/run/tsk8s/[0-9a-f]{8}(/|$)'
else
  run_dir=/run/tsk8s/$(printf %s "$data_dir" | sha256sum | cut -c1-8)
  others='^$'
fi
state_dir=$run_dir/containerd

# Every process but this script, one a line: "<pid> <arguments joined by spaces>".
process_list() {
  local d args
  for d in /proc/[0-9]*; do
    [ "${d#/proc/}" = "$$" ] && continue
    mapfile -d '' -t args 2>/dev/null <"$d/cmdline" || continue
    [ ${#args[@]} -gt 0 ] && printf '%s %s\n' "${d#/proc/}" "${args[*]}"
  done
}

# pids whose command line matches the extended regex $1.
pids_matching() {
  process_list | awk -v re="$1" '{ pid = $1; sub(/^[0-9]+ /, ""); if ($0 ~ re) print pid }'
}

# The pids given and all their descendants.
with_descendants() {
  local queue="$*" pid child out=""
  while [ -n "$queue" ]; do
    set -- $queue
    pid=$1
    shift
    queue="$*"
    case " $out " in *" $pid "*) continue ;; esac
    out="$out $pid"
    for child in $(awk -v p="$pid" '{ sub(/^.*\) /, ""); if ($2 == p) print FILENAME }' /proc/[0-9]*/stat 2>/dev/null | sed 's#/proc/\([0-9]*\)/stat#\1#'); do
      queue="$queue $child"
    done
  done
  echo "$out"
}

kill_all() {
  local signal=$1
  shift
  [ $# -gt 0 ] && kill "-$signal" "$@" 2>/dev/null
  return 0
}

wait_gone() {
  local i pid alive
  for i in $(seq 1 50); do
    alive=""
    for pid in "$@"; do [ -d "/proc/$pid" ] && alive="$alive $pid"; done
    [ -z "$alive" ] && return 0
    sleep 0.2
  done
  return 1
}

quote_re() { printf '%s' "$1" | sed 's/[][\.*^$(){}+?|/]/\\&/g'; }

# 1. tsk8s itself: its service, else its processes for this data dir.
if [ -n "$units" ] && command -v systemctl >/dev/null 2>&1; then
  for unit in $units; do
    systemctl stop "$unit" 2>/dev/null || true
  done
fi
if [ "$data_dir" = /var/lib/tsk8s ]; then
  servers=$(process_list | awk '{ pid = $1; sub(/^[0-9]+ /, ""); if ($0 ~ /tsk8s (server|agent)( |$)/ && $0 !~ /--data-dir[ =]/) print pid }')
else
  servers=$(pids_matching "tsk8s (server|agent) .*--data-dir[ =]$(quote_re "$data_dir")( |/|$)")
fi
if [ -n "$servers" ]; then
  kill_all TERM $servers
  wait_gone $servers || kill_all KILL $servers
fi

# 2. containerd and the pods: the shims serve the containerd socket in the state dir; their children are the containers.
shims=$(pids_matching "containerd-shim.* -address $(quote_re "$state_dir")/")
containerd=$(pids_matching "^[^ ]*containerd .*($(quote_re "$state_dir")/|$(quote_re "$data_dir")/)")
victims=$(with_descendants $shims $containerd)
if [ -n "${victims// /}" ]; then
  kill_all KILL $victims
  wait_gone $victims
fi

# 3. Mounts: the pods' netns, shm and rootfs mounts under the state dir and the data dir, deepest first.
for root in "$run_dir" "$data_dir"; do
  awk '{ print $5 }' /proc/self/mountinfo | sed 's/\\040/ /g' | grep -E "^$(quote_re "$root")(/|$)" | grep -Ev "$others" | sort -r | while read -r point; do
    umount -l "$point" 2>/dev/null || true
  done
done

# 4. Interfaces: the pods' veths on the bridge, then the bridge (its routes go with it).
if command -v ip >/dev/null 2>&1; then
  for link in $(ip -o link show master "$bridge" type veth 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link show "$bridge" >/dev/null 2>&1 && ip link del "$bridge"
fi

# 5. iptables: every TSK8S-* chain and each rule naming one (the jumps into them), and portmap's rules for the tsk8s network.
for pair in "iptables-save iptables-restore" "ip6tables-save ip6tables-restore"; do
  set -- $pair
  command -v "$1" >/dev/null 2>&1 || continue
  saved=$("$1" -c 2>/dev/null) || continue
  printf '%s\n' "$saved" | grep -Eq -- 'TSK8S-|dnat name: \\"tsk8s\\"' || continue
  printf '%s\n' "$saved" | grep -Ev -- 'TSK8S-|dnat name: \\"tsk8s\\"' | "$2" -c
done

# 6. containerd's runtime state (sockets, pid files); the data dir is kept.
rm -rf "$state_dir"
[ -d "$run_dir" ] && rmdir "$run_dir" 2>/dev/null
[ -d /run/tsk8s ] && rmdir /run/tsk8s 2>/dev/null
exit 0
