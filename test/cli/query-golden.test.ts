/**
 * `netdb query` against BIND's dig: every case of
 * test/cli/golden/dig-cases.txt, asked of a real Knot serving the same
 * zones dig-regen.ts recorded dig against, must print dig's bytes once
 * the same things are masked in both (maskDig: banner line, message ID,
 * query time, date, server port) and exit with dig's status.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { startKnot, type KnotServer } from "../support/knot.js";
import { closedPort, DIG_GOLDEN, digArgs, digZones, maskDig, netdbArgs, readDigCases, run, type DigGolden } from "./golden/dig-regen.js";
import { netdbAll } from "./process.js";

describe("netdb query prints what dig prints", function () {
  this.timeout(120_000);
  let knot: KnotServer;
  before(async () => {
    knot = await startKnot(digZones());
  });
  after(async () => {
    await knot.stop();
  });

  const golden = JSON.parse(readFileSync(DIG_GOLDEN, "utf8")) as DigGolden[];

  it("dig.json is what dig prints today (bind9-dnsutils, installed by .ci/run)", async () => {
    for (const c of golden) {
      const port = c.mode === "noreply" ? await closedPort() : knot.port;
      const dig = await run("dig", digArgs(c, port));
      expect({ status: dig.status, stdout: maskDig(dig.stdout, port) }, `dig ${digArgs(c, port).join(" ")}`).to.deep.equal({ status: c.status, stdout: c.stdout });
    }
  });

  it(`${golden.length} command lines against Knot: dig's output and exit status`, async () => {
    expect(golden.map(({ mode, name, words }) => ({ mode, name, words }))).to.deep.equal(readDigCases(), "dig.json is stale: run test/cli/golden/dig-regen.ts");
    const ports = await Promise.all(golden.map((c) => (c.mode === "noreply" ? closedPort() : knot.port)));
    const runs = await netdbAll(golden.map((c, i) => netdbArgs(c, ports[i]!)));
    const got = runs.map((r, i) => ({ status: r.status, stdout: maskDig(r.stdout, ports[i]!) }));
    golden.forEach((c, i) => {
      expect(got[i], `netdb ${netdbArgs(c, ports[i]!).join(" ")}\n${runs[i]!.stderr}`).to.deep.equal({ status: c.status, stdout: c.stdout });
    });
  });
});
