/**
 * Records what node:dns's own lookup (glibc's getaddrinfo) and its
 * promises Resolver (c-ares, which reads the hosts file for reverse())
 * answer for every case of node-lookup-cases.ts, inside a world's network
 * namespace:
 *
 *   scripts/netns/run.sh fixtures/worlds/WORLD node --import tsx \
 *     test/node/support/node-lookup-golden.ts WORLD > test/node/fixtures/node-lookup-WORLD.json
 *
 * (or test/node/support/regen-node-lookup.sh for every world). Refuses to
 * run outside a namespace, where it would ask the machine's resolver.
 */
import { execFileSync } from "node:child_process";
import dns from "node:dns";
import { CASES, outcome, RESOLVER_CASES, settled } from "./node-lookup-cases.js";

const links = execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" }).trim().split("\n");
if (links.some((line) => !/: lo:/.test(line))) {
  process.stderr.write("node-lookup-golden: not in a private network namespace; use scripts/netns/run.sh\n");
  process.exit(2);
}

const results = [];
for (const c of CASES) results.push({ ...c, ...(await outcome(dns.lookup as never, c)) });
// The resolver of the system's configuration: resolv.conf's servers, the hosts file for reverse().
const resolver = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
const resolverResults = [];
for (const c of RESOLVER_CASES) {
  const method = (resolver as unknown as Record<string, (...a: string[]) => Promise<unknown>>)[c.method]!;
  resolverResults.push({ ...c, ...(await settled(method.apply(resolver, c.args))) });
}

// One case per line, so a re-recording diffs case by case.
const lines = (list: unknown[]): string => list.map((r) => JSON.stringify(r)).join(",\n");
process.stdout.write(
  `{"world": ${JSON.stringify(process.argv[2])}, "node": ${JSON.stringify(process.version)},\n` +
    `"cases": [\n${lines(results)}\n],\n"resolver": [\n${lines(resolverResults)}\n]}\n`,
);
