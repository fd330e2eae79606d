/**
 * netdb as users run it: compiled by tsc with the package's build config,
 * not through tsx (whose esbuild transform wraps every function in a
 * `__name` call that costs CPU and heap at every closure creation). The
 * bench builds once, into node_modules/.cache (so that dns-packet resolves
 * as it would for a user). Two builds: tsc's one file per module, which
 * the throughput clients import (some reach past index.js, and profiles
 * then name src/ files), and the published bundle (scripts/build.ts),
 * which the cold start imports, since import time is what bundling changes.
 */
import { rmSync } from "node:fs";
import { bundleNetdb } from "../scripts/build.js";
import { runChild, ROOT } from "./spawn.js";

/** Where the bench's build of src/ lives. */
export const NETDB_BUILD = `${ROOT}node_modules/.cache/netdb-bench/dist`;

/** Where the bench's copy of the published bundle lives. */
export const NETDB_BUNDLE = `${ROOT}node_modules/.cache/netdb-bench/bundle`;

/** Compiles src/ to {@link NETDB_BUILD} and bundles it to {@link NETDB_BUNDLE}. */
export async function buildNetdb(): Promise<void> {
  rmSync(NETDB_BUILD, { recursive: true, force: true });
  rmSync(NETDB_BUNDLE, { recursive: true, force: true });
  await bundleNetdb(NETDB_BUNDLE, false);
  await runChild(
    [process.execPath, `${ROOT}node_modules/typescript/bin/tsc`, "-p", `${ROOT}tsconfig.build.json`, "--outDir", NETDB_BUILD, "--sourceMap", "false", "--declaration", "false"],
    120_000,
  );
}

/** Imports a module of the build: `importBuilt<typeof import("../src/index.js")>("index.js")`. */
export async function importBuilt<T>(module: string): Promise<T> {
  return (await import(`${NETDB_BUILD}/${module}`)) as T;
}
