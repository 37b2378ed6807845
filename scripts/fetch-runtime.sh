#!/usr/bin/env bash
# Fetches the container runtime tsk8s bundles — containerd, its runc shim,
# ctr, runc and the CNI plugins — from Debian's packages without installing
# them (apt-get download + dpkg -x), into runtime/bin/ at the repository root,
# and records in runtime/manifest.json each file's sha256 and size, the package
# versions, and a hash of the whole set (sha256 of the sorted `sha256sum`
# lines, so `cd runtime/bin && sha256sum * | sha256sum` reproduces it).
#
# Idempotent: when runtime/ already holds exactly what the manifest records,
# and apt knows of no newer candidate version, nothing is downloaded.
# --force fetches again regardless. Needs Debian 12 (apt, dpkg); apt-get
# update runs only if apt has no package lists, which needs root. Ends by
# building the bundled images into runtime/images (scripts/build-images.mjs,
# idempotent as well; --force is passed on).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/runtime
manifest=$out/manifest.json
packages=(containerd runc containernetworking-plugins)
# name:package:path inside the package
files=(
  containerd:containerd:usr/bin/containerd
  containerd-shim-runc-v2:containerd:usr/bin/containerd-shim-runc-v2
  ctr:containerd:usr/bin/ctr
  runc:runc:usr/sbin/runc
  bridge:containernetworking-plugins:usr/lib/cni/bridge
  host-local:containernetworking-plugins:usr/lib/cni/host-local
  loopback:containernetworking-plugins:usr/lib/cni/loopback
  portmap:containernetworking-plugins:usr/lib/cni/portmap
)
force=false
[ "${1:-}" = "--force" ] && force=true

say() { echo "fetch-runtime: $*"; }
fail() { echo "fetch-runtime: $*" >&2; exit 1; }

# The set hash: sha256 over "<sha256>  <name>" lines sorted by name.
set_hash() { (cd "$1" && for f in "${files[@]}"; do echo "${f%%:*}"; done | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1); }

# Fills `version` with apt's candidate version of each package (empty when
# apt has no lists for it); one apt-cache call, as each costs most of a second.
declare -A version
load_candidates() {
  local name ver
  for p in "${packages[@]}"; do version[$p]=; done
  while read -r name ver; do
    [ "$ver" = "(none)" ] || version[$name]=$ver
  done < <(apt-cache policy "${packages[@]}" 2>/dev/null | awk '/^[^ ]/ { p = $1; sub(":$", "", p) } /Candidate:/ { print p, $2 }')
}

# A manifest value: `manifest_get packages.runc` or `manifest_get hash`.
manifest_get() {
  node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = process.argv[2].split(".").reduce((o, k) => (o == null ? undefined : o[k]), m);
    if (typeof v === "string") console.log(v);' "$manifest" "$1"
}

up_to_date() {
  [ -f "$manifest" ] || return 1
  for f in "${files[@]}"; do [ -f "$out/bin/${f%%:*}" ] || return 1; done
  [ "$(set_hash "$out/bin")" = "$(manifest_get hash)" ] || return 1
  load_candidates
  for p in "${packages[@]}"; do
    local have
    have=$(manifest_get "packages.$p")
    if [ -n "${version[$p]}" ] && [ "${version[$p]}" != "$have" ]; then
      say "$p ${version[$p]} is available (have $have)"
      return 1
    fi
  done
}

build_images() { node "$root/scripts/build-images.mjs" $($force && echo --force); }

if ! $force && up_to_date; then
  say "runtime/ is up to date ($(manifest_get hash | cut -c1-12))"
  build_images
  exit 0
fi

command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "needs apt-get and dpkg (Debian 12)"
command -v node >/dev/null || fail "needs node on PATH"

load_candidates
if [ -z "${version[containerd]}" ]; then
  [ "$(id -u)" -eq 0 ] || fail "apt has no package lists; run 'apt-get update' as root first"
  say "apt-get update"
  apt-get update -qq
  load_candidates
fi

started=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"
# apt drops privileges to _apt while downloading; let it write here.
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$work"; fi

specs=()
for p in "${packages[@]}"; do
  [ -n "${version[$p]}" ] || fail "apt knows no package $p"
  specs+=("$p=${version[$p]}")
done
say "downloading ${specs[*]}"
(cd "$work" && apt-get download -qq "${specs[@]}" >/dev/null) || fail "apt-get download failed"

mkdir -p "$work/x"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$work/x"; done

staged=$work/bin
mkdir -p "$staged"
for f in "${files[@]}"; do
  name=${f%%:*}
  path=${f#*:*:}
  [ -f "$work/x/$path" ] || fail "$path is missing from package ${f#*:}"
  install -m 0755 "$work/x/$path" "$staged/$name"
done

hash=$(set_hash "$staged")
{
  echo '{'
  echo "  \"hash\": \"$hash\","
  echo '  "packages": {'
  for i in "${!packages[@]}"; do
    p=${packages[$i]}
    sep=,; [ "$i" -eq $((${#packages[@]} - 1)) ] && sep=
    echo "    \"$p\": \"${version[$p]}\"$sep"
  done
  echo '  },'
  echo '  "files": {'
  for i in "${!files[@]}"; do
    f=${files[$i]}
    name=${f%%:*}
    pkg=${f#*:}; pkg=${pkg%%:*}
    sum=$(sha256sum "$staged/$name" | cut -d' ' -f1)
    size=$(stat -c %s "$staged/$name")
    sep=,; [ "$i" -eq $((${#files[@]} - 1)) ] && sep=
    echo "    \"$name\": { \"sha256\": \"$sum\", \"size\": $size, \"package\": \"$pkg\" }$sep"
  done
  echo '  }'
  echo '}'
} >"$work/manifest.json"

# Replace runtime/ as a whole so a reader never sees a half-written set.
rm -rf "$out.new"
mkdir -p "$out.new"
mv "$staged" "$out.new/bin"
mv "$work/manifest.json" "$out.new/manifest.json"
# The images are build-images' to keep or rebuild.
if [ -d "$out/images" ]; then mv "$out/images" "$out.new/images"; fi
rm -rf "$out"
mv "$out.new" "$out"

total=$(du -sb "$out/bin" | cut -f1)
say "wrote runtime/ (${#files[@]} files, $((total / 1048576)) MiB, hash ${hash:0:12}) in $(($(date +%s) - started))s"
build_images
