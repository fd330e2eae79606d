#!/usr/bin/env bash
# Regenerate fixtures/golden/lookup-<world>.json: CPython's (glibc's) answers
# to scripts/golden/cases.py in every world of fixtures/worlds/.
#
#   scripts/golden/regen.sh            all worlds
#   scripts/golden/regen.sh seed ...   only these
#
# Needs root (see scripts/netns/run.sh). Worlds run in parallel, each in its
# own namespace; python runs with an empty environment so that LOCALDOMAIN,
# RES_OPTIONS or HOSTALIASES of the caller cannot leak in.
set -euo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
python=$(command -v "${PYTHON:-python3}")
python=$(realpath -- "$python")   # pyenv shims need their environment; the real binary does not

if [[ $# -gt 0 ]]; then
  worlds=("$@")
else
  worlds=()
  for dir in fixtures/worlds/*/; do
    dir=${dir%/}
    worlds+=("${dir##*/}")
  done
fi

mkdir -p fixtures/golden
logs=$(mktemp -d)
trap 'rm -rf -- "$logs"' EXIT
pids=()
for world in "${worlds[@]}"; do
  scripts/netns/run.sh "fixtures/worlds/$world" -- \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 \
    "$python" scripts/golden/lookup.py "$world" "fixtures/golden/lookup-$world.json" \
    > "$logs/$world" 2>&1 &
  pids+=("$!")
done
status=0
for i in "${!worlds[@]}"; do
  if wait "${pids[$i]}"; then
    cat "$logs/${worlds[$i]}"
  else
    status=1
    echo "${worlds[$i]}: FAILED" >&2
    cat "$logs/${worlds[$i]}" >&2
  fi
done
exit "$status"
