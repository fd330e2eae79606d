#!/usr/bin/env node
/**
 * The `netdb` command (the package's bin): getent- and dig-shaped lookups
 * computed by netdb itself. See docs/cli.md, or run `netdb --help`.
 */
import { runCli } from "./cli/run.js";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
