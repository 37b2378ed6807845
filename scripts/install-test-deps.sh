#!/usr/bin/env bash
# Installs what the product needs (scripts/install-deps.sh: iptables, the
# bundled runtime and images), then the Debian packages the test suite and
# benchmarks drive as real peers: etcd (server and etcdctl, to compare against
# and to act as a client), dnsmasq (the binary only, no system service: the
# DNS benchmark's peer), docker-registry and skopeo (a registry on loopback
# for pull tests, and the tool that pushes the test image into it; the
# registry's system service is not used). Idempotent; needs root on Debian 12.
set -euo pipefail
bash "$(dirname "$0")/install-deps.sh"
packages=(etcd-server etcd-client dnsmasq-base docker-registry skopeo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi
echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package may start a system etcd where systemd runs; tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
  systemctl stop etcd || true
  systemctl disable etcd >/dev/null 2>&1 || true
fi
# Likewise the registry package's service (on :5000); tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  systemctl stop docker-registry || true
  systemctl disable docker-registry >/dev/null 2>&1 || true
fi
