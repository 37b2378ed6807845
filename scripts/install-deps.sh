#!/usr/bin/env bash
# What `tsk8s server` needs on a fresh Debian 12 machine (as root): iptables
# on the host (pod masquerade, hostPorts, the service proxy), and the bundled
# runtime — containerd, runc, CNI plugins and the pause and busybox images —
# fetched from Debian's packages into runtime/ (scripts/fetch-runtime.sh).
# Idempotent.
set -euo pipefail
here=$(dirname "$0")
packages=(iptables)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash "$here/fetch-runtime.sh"
