#!/usr/bin/env bash
# Regenerate fixtures/golden/idn.json: CPython's (glibc's) getaddrinfo for
# bytes hosts with AI_IDN / AI_CANONIDN, in the seed world (see idn.py).
#
#   scripts/golden/idn.sh     (root; a few seconds)
set -euo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
python=$(command -v "${PYTHON:-python3}")
python=$(realpath -- "$python")
scripts/netns/run.sh fixtures/worlds/seed -- \
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 \
  "$python" scripts/golden/idn.py fixtures/golden/idn.json
