/**
 * HOSTALIASES against CPython/glibc: fixtures/golden/hostaliases.json,
 * recorded by scripts/golden/hostaliases.sh in the seed world with
 * HOSTALIASES naming fixtures/hostaliases/aliases; here the same file is
 * named in the Resolver's environment, the seed world's zones on the
 * in-process server, every case in order on one Resolver.
 */
import { join } from "node:path";
import { Resolver } from "../src/resolver.js";
import { expectGolden, goldenNetwork, readGolden, startWorld, WORLDS, type LiveWorld } from "./support/golden-lookup.js";

const golden = readGolden("hostaliases.json") as ReturnType<typeof readGolden> & { hostaliases: string };
const REPO = join(import.meta.dirname, "..");

describe("golden lookups with HOSTALIASES (seed world)", function () {
  this.timeout(30000);
  let resolver: Resolver;
  let live: LiveWorld | undefined;

  before(async () => {
    live = await startWorld("seed");
    const env = { HOSTALIASES: join(REPO, golden.hostaliases) };
    resolver = new Resolver({ root: join(WORLDS, "seed"), nameservers: live.nameservers, network: goldenNetwork(golden), env });
  });
  after(async () => {
    await resolver?.close();
    await live?.stop();
  });

  for (const c of golden.cases) {
    it(c.id, () => expectGolden(resolver, c));
  }
});
