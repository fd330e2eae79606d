#!/usr/bin/env bash
# Re-records test/node/fixtures/node-lookup-<world>.json: node:dns's lookup
# (glibc) in each world's namespace. Needs root (see scripts/netns/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../../.."
for world in seed dualstack; do
  scripts/netns/run.sh "fixtures/worlds/$world" node --import tsx test/node/support/node-lookup-golden.ts "$world" \
    > "test/node/fixtures/node-lookup-$world.json"
done
