#!/usr/bin/env bash
# Regenerate fixtures/golden/hostaliases.json: CPython's (glibc's) answers
# with HOSTALIASES naming fixtures/hostaliases/aliases, in the seed world.
# regen.sh runs python with an empty environment so that the caller's
# HOSTALIASES cannot leak in; this one sets it on purpose.
#
#   scripts/golden/hostaliases.sh     (root; a few seconds)
set -euo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
python=$(command -v "${PYTHON:-python3}")
python=$(realpath -- "$python")
scripts/netns/run.sh fixtures/worlds/seed -- \
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 \
  HOSTALIASES="$repo/fixtures/hostaliases/aliases" \
  "$python" scripts/golden/hostaliases.py fixtures/golden/hostaliases.json
