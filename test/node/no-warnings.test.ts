/**
 * Normal use prints no warning. Many lookups in flight on one shared
 * AbortSignal (a PromisesResolver's `cancel()` signal, or a Resolver's
 * `signal` option) used to add a listener each, and past ten Node prints
 * MaxListenersExceededWarning; src/dns/abort.ts gives a signal one
 * listener for all its lookups. Here the lookups run against the
 * in-process test server, which holds every answer a little so that they
 * are all in flight together, while a sampler counts the listeners on
 * every signal that got an abort listener.
 */
import { expect } from "chai";
import { Resolver } from "../../src/index.js";
import { PromisesResolver } from "../../src/node/promises-resolver.js";
import { ZONES } from "../dns/world.js";
import { TestDnsServer } from "../support/dnsserver.js";
import { abortListeners } from "../support/handles.js";

/** How long the server holds each answer: long enough for the sampler to see every lookup in flight. */
const HOLD_MS = 40;

/** Warnings emitted while `run` runs (and the turn after, since process.emitWarning emits on the next tick). */
async function warningsDuring<T>(run: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }): void => void warnings.push(`${w.name}${w.code === undefined ? "" : ` ${w.code}`}: ${w.message}`);
  process.on("warning", onWarning);
  try {
    const result = await run();
    await new Promise((resolve) => setImmediate(resolve));
    return { result, warnings };
  } finally {
    process.off("warning", onWarning);
  }
}

/**
 * Runs `calls` together, noting every AbortSignal that an abort listener
 * is added to meanwhile, and samples the listeners on each at every turn
 * of the event loop until all calls have settled.
 */
async function watchListeners<T>(calls: () => Array<Promise<T>>): Promise<{ results: T[]; signals: Set<AbortSignal>; most: number; samples: number }> {
  const signals = new Set<AbortSignal>();
  const original = EventTarget.prototype.addEventListener;
  // An own property of AbortSignal.prototype, deleted afterwards: EventTarget itself is left as it is.
  Object.defineProperty(AbortSignal.prototype, "addEventListener", {
    configurable: true,
    writable: true,
    value: function (this: AbortSignal, type: string, ...rest: unknown[]) {
      if (type === "abort") signals.add(this);
      return (original as (...args: unknown[]) => void).call(this, type, ...rest);
    },
  });
  let most = 0;
  let samples = 0;
  let settled = false;
  const sample = (): void => {
    if (settled) return;
    samples++;
    for (const signal of signals) most = Math.max(most, abortListeners(signal));
    setImmediate(sample);
  };
  try {
    const pending = calls();
    sample();
    const results = await Promise.all(pending);
    return { results, signals, most, samples };
  } finally {
    settled = true;
    delete (AbortSignal.prototype as { addEventListener?: unknown }).addEventListener;
  }
}

describe("no warning in normal use: many lookups on one signal", function () {
  this.timeout(20_000);
  let server: TestDnsServer;

  before(async () => {
    server = await TestDnsServer.start({ zones: ZONES, ipv6: false });
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.reset();
    server.misbehave({ behaviour: { kind: "delay", ms: HOLD_MS } });
  });

  for (const lookups of [11, 100]) {
    it(`${lookups} concurrent resolve4 on one PromisesResolver: no warning, one abort listener on its cancel() signal while in flight, none after`, async () => {
      const netdb = new Resolver({ files: {}, nameservers: [`127.0.0.1:${server.port}`] });
      const resolver = new PromisesResolver({ resolver: netdb, timeout: 5000, tries: 1 });
      try {
        const { result, warnings } = await warningsDuring(() => watchListeners(() => Array.from({ length: lookups }, () => resolver.resolve4("www.netdb.test"))));
        expect(warnings).to.deep.equal([]);
        expect(result.results).to.deep.equal(Array.from({ length: lookups }, () => ["192.0.2.1"]));
        expect(server.count(), "each lookup its own query").to.equal(lookups);
        // Every lookup watches the resolver's cancel() signal, through one listener.
        expect(result.signals.size, "signals that got an abort listener").to.equal(1);
        expect(result.most, "abort listeners on the signal while the lookups were in flight").to.equal(1);
        expect(result.samples, "turns sampled while in flight").to.be.above(1);
        expect([...result.signals].map(abortListeners), "abort listeners once settled").to.deep.equal([0]);
      } finally {
        await netdb.close();
      }
    });
  }

  it("100 concurrent gethostbyname on a Resolver given a signal: no warning, one abort listener while in flight, none after", async () => {
    const controller = new AbortController();
    const resolver = new Resolver({
      files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
      nameservers: [`127.0.0.1:${server.port}`],
      timeout: 5000,
      attempts: 1,
      signal: controller.signal,
    });
    try {
      const { result, warnings } = await warningsDuring(() => watchListeners(() => Array.from({ length: 100 }, () => resolver.gethostbyname("www.netdb.test"))));
      expect(warnings).to.deep.equal([]);
      expect(result.results).to.deep.equal(Array.from({ length: 100 }, () => "192.0.2.1"));
      expect(server.count(), "each lookup its own query").to.equal(100);
      expect([...result.signals], "signals that got an abort listener").to.deep.equal([controller.signal]);
      expect(result.most, "abort listeners on the signal while the lookups were in flight").to.equal(1);
      expect(abortListeners(controller.signal), "abort listeners once settled").to.equal(0);
    } finally {
      await resolver.close();
    }
  });
});
