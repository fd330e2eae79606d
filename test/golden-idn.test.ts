/**
 * getaddrinfo with bytes hosts and AI_IDN / AI_CANONIDN against
 * CPython/glibc (fixtures/golden/idn.json, scripts/golden/idn.sh): bytes
 * reach glibc's IDN code as they are (a str host is encoded by Python's
 * idna codec first), which decodes them as UTF-8 and reports
 * EAI_IDN_ENCODE for bytes that are no UTF-8. The seed world's zones on
 * the in-process server; every case in order on one Resolver.
 */
import { join } from "node:path";
import { Resolver } from "../src/resolver.js";
import { expectGolden, goldenNetwork, readGolden, startWorld, WORLDS, type GoldenCase, type LiveWorld } from "./support/golden-lookup.js";

const golden = readGolden("idn.json");

/** A case with its `{"bytes": hex}` arguments as the Uint8Arrays netdb takes for Python's bytes. */
function withBytes(c: GoldenCase): GoldenCase {
  const args = c.args.map((a) => (typeof a === "object" && a !== null && "bytes" in a ? Buffer.from((a as { bytes: string }).bytes, "hex") : a));
  return { ...c, args };
}

describe("golden lookups: bytes hosts and the IDN flags (seed world)", function () {
  this.timeout(30000);
  let resolver: Resolver;
  let live: LiveWorld | undefined;

  before(async () => {
    live = await startWorld("seed");
    resolver = new Resolver({ root: join(WORLDS, "seed"), nameservers: live.nameservers, network: goldenNetwork(golden), env: {} });
  });
  after(async () => {
    await resolver?.close();
    await live?.stop();
  });

  for (const c of golden.cases) {
    it(c.id, () => expectGolden(resolver, withBytes(c)));
  }
});
