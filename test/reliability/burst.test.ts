/**
 * Bursts: 10,000 gethostbyname calls of distinct names started at once,
 * timeout 200 ms × 3 attempts, against a server in its own process
 * (burst-server.ts) that drops every 20th query it receives (5% loss, each
 * name at most once) or nothing; c-ares (`dns.promises.Resolver`, the same
 * timeout and tries) gets the same burst in the same test, as the measure
 * of what a stub resolver on this machine can do. Every client is a fresh
 * process (burst-netdb.ts, burst-cares.ts), started after the server's
 * counters were reset.
 */
import { expect } from "chai";
import { recordFigures } from "./figures.js";
import type { BurstReport, BurstTask } from "./burst-client.js";
import type { BurstStats } from "./burst-dns.js";
import { runBurstClient, startBurstServer, type BurstLibrary, type BurstServerProcess } from "./burst-run.js";

const LOOKUPS = 10_000;
/** Every DROP_EVERY-th query received is dropped: 5%. */
const DROP_EVERY = 20;
/** A client that has not finished after this long has hung (c-ares takes up to about 22 s here at 5% loss). */
const CLIENT_DEADLINE_MS = 45_000;

/** The burst of one library against the server in `mode`: the client's report and what the server saw. */
async function burst(server: BurstServerProcess, library: BurstLibrary, dropEvery: number): Promise<{ report: BurstReport; server: BurstStats }> {
  await server.command({ cmd: "reset", mode: { dropEvery } });
  const task: BurstTask = { port: server.port, lookups: LOOKUPS, concurrency: LOOKUPS, timeout: 200, attempts: 3, tag: `${library}-drop${dropEvery}`, warmup: true };
  const report = await runBurstClient(library, task, CLIENT_DEADLINE_MS);
  return { report, server: await server.command({ cmd: "stats" }) };
}

const summary = (r: { report: BurstReport; server: BurstStats }): string =>
  `${r.report.library}: ${r.report.resolved} resolved, failed ${JSON.stringify(r.report.failed)}, ${r.report.wallMs.toFixed(0)} ms, ` +
  `${r.server.queries} queries from ${r.server.ports} ports${r.report.firstError === undefined ? "" : ` (${r.report.firstError})`}`;

describe("reliability: bursts of 10,000 lookups, beside c-ares", function () {
  this.timeout(60_000);
  let server: BurstServerProcess;

  before(async () => {
    server = await startBurstServer();
  });
  after(async () => {
    await server.stop();
  });

  it(`${LOOKUPS.toLocaleString("en")} at once, 5% of queries dropped, timeout 200 ms × 3: at least 9,990 resolved, in no more wall time than c-ares`, async () => {
    const cares = await burst(server, "cares", DROP_EVERY);
    const netdb = await burst(server, "netdb", DROP_EVERY);
    recordFigures("burst", { loss5: { netdb, cares } });

    expect(netdb.report.forged + netdb.report.otherAddress, "lookups answered with another address").to.equal(0);
    expect(netdb.report.resolved, `${summary(netdb)}; ${summary(cares)}`).to.be.at.least(9990);
    // The goal is c-ares' wall time or less. The machine is shared with
    // other work and the two bursts run one after the other, so netdb gets
    // a 1.25× margin over c-ares' time in the same test.
    expect(netdb.report.wallMs, `netdb's wall time against c-ares' ${cares.report.wallMs.toFixed(0)} ms × 1.25`).to.be.at.most(1.25 * cares.report.wallMs);
  });

  it(`${LOOKUPS.toLocaleString("en")} at once, no loss, timeout 200 ms × 3: all resolved, at most 1% more queries than lookups`, async () => {
    const cares = await burst(server, "cares", 0);
    const netdb = await burst(server, "netdb", 0);
    recordFigures("burst", { loss0: { netdb, cares } });

    expect(netdb.report.forged + netdb.report.otherAddress, "lookups answered with another address").to.equal(0);
    expect(netdb.report.resolved, `${summary(netdb)}; ${summary(cares)}`).to.equal(LOOKUPS);
    // Nothing is lost, so a re-sent query is one sent too early: 1% of
    // them at most, and the warm-up lookup's query.
    expect(netdb.server.queries, "queries the server received").to.be.at.most(1.01 * LOOKUPS + 1);
  });
});
