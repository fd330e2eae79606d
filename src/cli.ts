#!/usr/bin/env node
/**
 * The `netdb` command (the package's bin): getent- and dig-shaped lookups
 * computed by netdb itself. See docs/cli.md, or run `netdb --help`.
 *
 * A command's start is mostly V8 compiling the bundle, so before loading
 * it this asks Node (22.8 and later; Node 20 lacks the call) to keep the
 * compiled code in its compile cache, as npm and tsc do: the cache lives
 * under the system's temporary directory, `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off, and a cache that cannot be written is skipped silently.
 * The CLI's code is therefore imported after that call, not statically;
 * it is published as CommonJS (dist/cli.cjs and dist/cli/run.cjs,
 * scripts/build.ts), which Node starts sooner than an ES module.
 */
import module from "node:module";

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
void import("./cli/run.js").then(async ({ runCli }) => {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
});
