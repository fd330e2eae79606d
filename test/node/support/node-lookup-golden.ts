/**
 * Records what node:dns's own lookup (glibc's getaddrinfo) answers for
 * every case of node-lookup-cases.ts, inside a world's network namespace:
 *
 *   scripts/netns/run.sh fixtures/worlds/WORLD node --import tsx \
 *     test/node/support/node-lookup-golden.ts WORLD > test/node/fixtures/node-lookup-WORLD.json
 *
 * (or test/node/support/regen-node-lookup.sh for every world). Refuses to
 * run outside a namespace, where it would ask the machine's resolver.
 */
import { execFileSync } from "node:child_process";
import dns from "node:dns";
import { CASES, outcome } from "./node-lookup-cases.js";

const links = execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" }).trim().split("\n");
if (links.some((line) => !/: lo:/.test(line))) {
  process.stderr.write("node-lookup-golden: not in a private network namespace; use scripts/netns/run.sh\n");
  process.exit(2);
}

const results = [];
for (const c of CASES) results.push({ ...c, ...(await outcome(dns.lookup as never, c)) });
// One case per line, so a re-recording diffs case by case.
const lines = results.map((r) => JSON.stringify(r)).join(",\n");
process.stdout.write(`{"world": ${JSON.stringify(process.argv[2])}, "node": ${JSON.stringify(process.version)}, "cases": [\n${lines}\n]}\n`);
