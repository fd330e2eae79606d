#!/usr/bin/env bash
# Regenerate fixtures/golden/wire.json: the queries glibc sends (server,
# transport, flags, OPT) for each resolv.conf variant of scripts/golden/wire.py.
#
#   scripts/golden/wire.sh      (root; a few seconds)
#
# Runs in the hostsonly world's namespace (no name server of its own), with
# nsswitch.conf `hosts: dns` and each variant's resolv.conf bound over /etc.
set -euo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
python=$(command -v "${PYTHON:-python3}")
python=$(realpath -- "$python")
out=fixtures/golden/wire.json

if [[ ${1:-} == --inside ]]; then
  tmp=$(mktemp -d /tmp/netdb-wire.XXXXXX)
  trap 'rm -rf -- "$tmp"' EXIT
  printf 'hosts: dns\n' > "$tmp/nsswitch.conf"
  mount --bind "$tmp/nsswitch.conf" /etc/nsswitch.conf
  cd scripts/golden
  for variant in $("$python" wire.py --variants); do
    "$python" wire.py --resolv "$variant" > "$tmp/resolv.conf.$variant"
    mount --bind "$tmp/resolv.conf.$variant" /etc/resolv.conf
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 "$python" wire.py "$variant"
    umount /etc/resolv.conf
  done
  umount /etc/nsswitch.conf
  exit 0
fi

lines=$(scripts/netns/run.sh fixtures/worlds/hostsonly -- "$0" --inside)
{
  printf '{\n "python": "%s", "glibc": "%s",\n "variants": [\n' \
    "$("$python" -c 'import platform; print(platform.python_version())')" "$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)"
  printf '%s\n' "$lines" | sed -e 's/^/  /' -e '$!s/$/,/'
  printf ' ]\n}\n'
} > "$out"
echo "wire: $(printf '%s\n' "$lines" | wc -l) variants -> $out"
