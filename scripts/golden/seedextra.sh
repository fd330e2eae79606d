#!/usr/bin/env bash
# Regenerate the golden files of the seed world that need more than
# regen.sh's empty environment and JSON arguments:
#
#   fixtures/golden/hostaliases.json   HOSTALIASES naming fixtures/hostaliases/aliases (hostaliases.py)
#   fixtures/golden/idn.json           bytes hosts with AI_IDN / AI_CANONIDN (idn.py)
#
#   scripts/golden/seedextra.sh       (root; a few seconds)
#
# regen.sh runs python with an empty environment so that the caller's
# HOSTALIASES cannot leak in; here it is set on purpose, for hostaliases.py only.
set -euo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
python=$(command -v "${PYTHON:-python3}")
python=$(realpath -- "$python")

# in_seed [VAR=VALUE...] SCRIPT OUT: SCRIPT in the seed world with an otherwise empty environment.
in_seed() {
  local vars=()
  while [[ $1 == *=* ]]; do vars+=("$1"); shift; done
  scripts/netns/run.sh fixtures/worlds/seed -- \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 "${vars[@]}" \
    "$python" "scripts/golden/$1" "$2"
}

in_seed HOSTALIASES="$repo/fixtures/hostaliases/aliases" hostaliases.py fixtures/golden/hostaliases.json
in_seed idn.py fixtures/golden/idn.json
