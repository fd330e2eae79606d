/**
 * Records the world the golden lookups of one world replay
 * (test/golden-replay.test.ts): every case of fixtures/golden/lookup-<world>.json
 * is asked in order, as test/golden-lookup.test.ts asks it live, against the
 * world's zones on the in-process test server, through the recording
 * transport; the etc files, every DNS exchange and the network facts the
 * lookups asked for land in fixtures/golden-worlds/<world>/.
 *
 *   npx tsx scripts/record-golden-world.ts [WORLD]      (default: seed)
 *
 * Needs no root and sends nothing beyond loopback. It exits 1 when a case
 * did not give CPython's answer live (the world is written anyway): a
 * recording of a wrong run would only replay the wrong answer.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { NetTransport } from "../src/dns/transport/net.js";
import { Resolver } from "../src/resolver.js";
import { EXCHANGE_LOG, NETWORK_FILE, recordWorld } from "../src/world.js";
import { expectGolden, goldenNetwork, readGolden, startWorld, WORLDS } from "../test/support/golden-lookup.js";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
const world = process.argv[2] ?? "seed";
const out = join(repo, "fixtures", "golden-worlds", world);
const golden = readGolden(`lookup-${world}.json`);

rmSync(join(out, "etc"), { recursive: true, force: true });
rmSync(join(out, EXCHANGE_LOG), { force: true });
rmSync(join(out, NETWORK_FILE), { force: true });

const live = await startWorld(world);
const liveOptions = { root: join(WORLDS, world), nameservers: live.nameservers, env: {} };
// The hostname the live run sees (the world's etc/hostname), saved into the recorded world.
const probe = new Resolver(liveOptions);
const hostname = probe.gethostname();
await probe.close();
const recording = recordWorld(out, { root: liveOptions.root, transport: new NetTransport(), network: goldenNetwork(golden), hostname });
const resolver = new Resolver({ ...liveOptions, transport: recording.transport, network: recording.network });
const failed: string[] = [];
try {
  for (const c of golden.cases) {
    await expectGolden(resolver, c).catch((err: unknown) => failed.push(`${c.id}: ${(err as Error).message}`));
  }
} finally {
  await resolver.close();
  await recording.finish();
  await live.stop();
}
for (const line of failed) console.error(`record-golden-world: ${line}`);
console.log(`record-golden-world: ${golden.cases.length} cases of world ${world} recorded into ${out}; ${failed.length} differ from CPython`);
process.exitCode = failed.length === 0 ? 0 : 1;
