#!/usr/bin/env bash
# Run a command inside a private network namespace set up as a test world.
#
#   scripts/netns/run.sh WORLD_DIR [--] CMD [ARG...]
#
# CMD sees a fresh network namespace (only `lo`, plus the world's `net`
# commands), its own hostname (WORLD_DIR/etc/hostname), the world's /etc
# files bind-mounted over /etc in a private mount namespace, and knotd on
# 127.0.0.1:53 and [::1]:53 serving the zones listed in WORLD_DIR/zones.
# Nothing leaves the namespace and the host's /etc is never written.
# Needs root (unshare, mount, knotd on port 53). Exit status is CMD's.
# The world layout is described in fixtures/worlds/README.md.
set -euo pipefail

usage() {
  echo "usage: $0 WORLD_DIR [--] CMD [ARG...]" >&2
  exit 2
}

[[ $# -ge 2 ]] || usage
world=$(realpath -e -- "$1") || usage
shift
[[ $1 == -- ]] && shift
[[ $# -ge 1 ]] || usage
[[ -d $world/etc ]] || { echo "$0: $world has no etc/ directory" >&2; exit 2; }

here=$(dirname -- "$(realpath -e -- "${BASH_SOURCE[0]}")")
exec unshare --net --mount --uts --propagation private -- "$here/enter.sh" "$world" "$@"
