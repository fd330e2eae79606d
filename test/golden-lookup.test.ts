/**
 * netdb against CPython/glibc: for every world with a golden file
 * (fixtures/golden/lookup-<world>.json), serve the world's zones on a free
 * loopback port (the in-process server, or Knot with NETDB_GOLDEN_SERVER=knot),
 * give a Resolver the world's /etc files, those servers and the network the
 * golden file was recorded in, and ask every case in order: result, or
 * error class, errno and message, must be identical.
 *
 * The cases run in file order on one Resolver per world because CPython's
 * run did the same in one process, and some answers depend on what came
 * before (the thread's h_errno, the local domain of NI_NOFQDN).
 */
import { readdirSync } from "node:fs";
import { describeGolden, GOLDEN, readGolden } from "./support/golden-lookup.js";

const goldenFiles = readdirSync(GOLDEN).filter((f) => /^lookup-.+\.json$/.test(f)).sort();

for (const file of goldenFiles) {
  const golden = readGolden(file);
  describeGolden(`golden lookups: world ${golden.world}`, golden);
}
