#!/bin/sh
# `npm run mocha [-- ARGS]`, and so `npm test -- FILE...`: mocha on the
# test files named in ARGS, or on every test file when ARGS names none
# (options alone, such as `--grep x`, still run them all). The spec stays
# out of .mocharc.json because mocha adds a configured spec to the files
# named on its command line; `npx mocha FILE` runs just FILE.
for arg in "$@"; do
  if [ -e "$arg" ]; then exec mocha "$@"; fi
done
exec mocha 'test/**/*.test.ts' "$@"
