/**
 * Records fixtures/seed-world, the world `npm start` replays, from the real
 * thing: the seed world of fixtures/worlds/seed (its etc files, its network,
 * its zones served by Knot on 127.0.0.1:53) built by scripts/netns/run.sh in
 * a private network namespace.
 *
 *   npx tsx scripts/record-world.ts [SOURCE_WORLD [OUT_DIR]]
 *
 * (defaults: fixtures/worlds/seed and fixtures/seed-world; needs root, as
 * run.sh does). Inside the namespace it
 *   1. runs the seed tour (examples/seed.ts) with netdb over the live
 *      network, recording every DNS exchange, the etc files and the network
 *      facts into OUT_DIR;
 *   2. runs the same programs with CPython (OUT_DIR/tour.py) and saves what
 *      it prints as OUT_DIR/expected-output.txt;
 *   3. replays the recorded world and checks that the tour prints the same
 *      as live and as CPython, and that every recording was used.
 * It exits 1 when a check fails (the files are written anyway, to look at).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runSeedTour } from "../examples/seed.js";
import { NetTransport } from "../src/dns/transport/net.js";
import { systemNetwork } from "../src/lookup/network.js";
import { Resolver } from "../src/resolver.js";
import { NETWORK_FILE, openWorld, recordWorld, EXCHANGE_LOG } from "../src/world.js";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
const INSIDE = "NETDB_RECORD_WORLD_INSIDE";

async function tourText(resolver: Resolver): Promise<string> {
  const lines: string[] = [];
  await runSeedTour(resolver, (line = "") => lines.push(line));
  return lines.join("\n") + "\n";
}

/** Step 1: the live run, recorded. */
async function record(source: string, out: string): Promise<string> {
  rmSync(join(out, "etc"), { recursive: true, force: true });
  rmSync(join(out, EXCHANGE_LOG), { force: true });
  rmSync(join(out, NETWORK_FILE), { force: true });
  mkdirSync(out, { recursive: true });
  const recording = recordWorld(out, { root: source, transport: new NetTransport(), network: systemNetwork, hostname: hostname() });
  const resolver = new Resolver({ root: recording.root, hostname: recording.hostname, env: {}, transport: recording.transport, network: recording.network });
  try {
    return await tourText(resolver);
  } finally {
    await recording.finish();
  }
}

/** Step 3: the replayed run; returns the problems found. */
async function replay(out: string, live: string, cpython: string): Promise<string[]> {
  const world = openWorld(out);
  const replayed = await tourText(new Resolver(world));
  const problems: string[] = [];
  if (replayed !== live) problems.push(`the replayed tour differs from the live one:\n${replayed}`);
  if (replayed !== cpython) problems.push(`the replayed tour differs from CPython's (expected-output.txt):\n${replayed}`);
  for (const unused of world.transport.unused()) problems.push(`recording never used: ${unused.question.name} ${unused.question.type}`);
  return problems;
}

async function inside(source: string, out: string): Promise<void> {
  const live = await record(source, out);
  const cpython = execFileSync("python3", [join(out, "tour.py")], { encoding: "utf8" });
  writeFileSync(join(out, "expected-output.txt"), cpython);
  const problems = await replay(out, live, cpython);
  for (const problem of problems) console.error(`record-world: ${problem}`);
  console.error(`record-world: ${out} recorded${problems.length === 0 ? "; replay matches CPython" : `, with ${problems.length} problem(s)`}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}

const [source = join(repo, "fixtures/worlds/seed"), out = join(repo, "fixtures/seed-world")] = process.argv.slice(2).map((p) => resolve(p));
if (process.env[INSIDE] === "1") {
  await inside(source, out);
} else {
  // Re-run this script inside the world's namespace, where Knot answers on
  // 127.0.0.1:53 and the network is the world's.
  const self = fileURLToPath(import.meta.url);
  try {
    execFileSync(join(repo, "scripts/netns/run.sh"), [source, "--", "env", `${INSIDE}=1`, process.execPath, "--import", "tsx", self, source, out], {
      stdio: "inherit",
      cwd: repo,
    });
  } catch (err) {
    process.exitCode = (err as { status?: number }).status ?? 1;
  }
}
