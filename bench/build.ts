/**
 * netdb as users run it: compiled by tsc with the package's build config,
 * not through tsx (whose esbuild transform wraps every function in a
 * `__name` call that costs CPU and heap at every closure creation). The
 * bench builds once, into node_modules/.cache (so that dns-packet resolves
 * as it would for a user), and every netdb client imports from there.
 */
import { rmSync } from "node:fs";
import { runChild, ROOT } from "./spawn.js";

/** Where the bench's build of src/ lives. */
export const NETDB_BUILD = `${ROOT}node_modules/.cache/netdb-bench/dist`;

/** Compiles src/ to {@link NETDB_BUILD}. */
export async function buildNetdb(): Promise<void> {
  rmSync(NETDB_BUILD, { recursive: true, force: true });
  await runChild(
    [process.execPath, `${ROOT}node_modules/typescript/bin/tsc`, "-p", `${ROOT}tsconfig.build.json`, "--outDir", NETDB_BUILD, "--sourceMap", "false", "--declaration", "false"],
    120_000,
  );
}

/** Imports a module of the build: `importBuilt<typeof import("../src/index.js")>("index.js")`. */
export async function importBuilt<T>(module: string): Promise<T> {
  return (await import(`${NETDB_BUILD}/${module}`)) as T;
}
