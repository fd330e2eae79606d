/**
 * Fuzzing the parts that read untrusted input: DNS responses (the decoder,
 * the answer readers, and DnsClient over a fake transport), every /etc
 * parser, and the public functions' arguments. Each case must end in a result or a documented error;
 * a crash, an endless loop, an unhandled rejection or an undocumented
 * exception fails the test with the seed and case number to replay it:
 *
 *   node --import tsx test/reliability/fuzz-runner.ts TARGET SEED CASE 1
 *
 * FUZZ_SEED=n npm test replays a whole run.
 */
import { expect } from "chai";
import { recordFigures } from "./figures.js";
import type { FuzzReport } from "./fuzz-runner.js";
import { runSeed } from "./random.js";
import { runFuzz } from "./run-fuzz.js";

const seed = runSeed();

/** Fails with every failure the run found, and checks that the run covered what it should. */
function expectClean(report: FuzzReport, cases: number): void {
  expect(report.failures, `fuzz failures (FUZZ_SEED=${seed}):\n${report.failures.join("\n\n")}`).to.deep.equal([]);
  expect(report.cases).to.equal(cases);
}

describe(`reliability: fuzzing (FUZZ_SEED=${seed})`, function () {
  this.timeout(120_000);
  const figures: Record<string, unknown> = { seed };
  after(() => recordFigures("fuzz", figures));

  it("100,000 random and mutated responses through readResponse, decodeMessage and the answer readers", async () => {
    const report = await runFuzz("responses", seed, 100_000);
    figures.responses = { faults: report.faults, outcomes: report.outcomes };
    expectClean(report, 100_000);
    // The mix is wide enough to mean something: thousands are rejected
    // (header or question broken), thousands read only up to damage past
    // the question, and thousands still decode into answers with addresses.
    expect(report.outcomes.malformed).to.be.above(10_000);
    expect(report.outcomes["cut-short"]).to.be.above(5_000);
    expect(report.outcomes.addresses).to.be.above(5_000);
    expect(report.outcomes["no-addresses"]).to.be.above(5_000);
  });

  it("10,000 DnsClient calls (send, query, search) over a transport that hands out fuzzed responses and network errors", async () => {
    const report = await runFuzz("client", seed, 10_000);
    figures.client = { faults: report.faults, outcomes: report.outcomes };
    expectClean(report, 10_000);
    const ended = (suffix: string): number => Object.entries(report.outcomes).filter(([k]) => k.endsWith(suffix)).reduce((n, [, v]) => n + v, 0);
    expect(ended(":addresses")).to.be.above(500);
    expect(ended(":TRY_AGAIN") + (report.outcomes["send:DnsError"] ?? 0)).to.be.above(500);
    expect(ended(":HOST_NOT_FOUND") + ended(":NO_DATA") + ended(":NO_RECOVERY")).to.be.above(250);
  });

  it("48,000 damaged /etc files (hosts, services, protocols, resolv.conf, nsswitch.conf, hostname, gai.conf, host.conf) through their parsers and lookups", async () => {
    const report = await runFuzz("etc", seed, 48_000);
    figures.etc = { faults: report.faults, outcomes: report.outcomes };
    expectClean(report, 48_000);
    for (const kind of ["hosts", "services", "protocols", "resolvconf", "nsswitch", "hostname", "gaiconf", "hostconf"]) {
      const cases = Object.entries(report.outcomes).filter(([k]) => k.startsWith(`${kind}:`)).reduce((n, [, v]) => n + v, 0);
      expect(cases, kind).to.equal(6_000);
    }
  });

  it("20,000 calls of the public functions with hostile arguments: a value or SocketError, TypeError, RangeError", async () => {
    const report = await runFuzz("api", seed, 20_000);
    figures.api = { faults: report.faults, outcomes: report.outcomes };
    expectClean(report, 20_000);
    const ended = (suffix: string): number => Object.entries(report.outcomes).filter(([k]) => k.endsWith(suffix)).reduce((n, [, v]) => n + v, 0);
    expect(ended(":ok")).to.be.above(1_000);
    expect(ended(":GaiError") + ended(":HError") + ended(":SocketError")).to.be.above(1_000);
  });

  it("1,000 damaged exchange logs: parsed, or rejected naming the line", async () => {
    const report = await runFuzz("exchangelog", seed, 1_000);
    figures.exchangelog = { faults: report.faults, outcomes: report.outcomes };
    expectClean(report, 1_000);
    expect(report.outcomes.parsed).to.be.above(100);
    expect(report.outcomes.rejected).to.be.above(100);
  });
});
