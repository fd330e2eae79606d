import { expect } from "chai";
import { readFileSync } from "node:fs";
import { readHostAnswer } from "../../src/dns/answer.js";
import { DnsClient } from "../../src/dns/client.js";
import { DnsLookupError } from "../../src/dns/errors.js";
import { NetTransport } from "../../src/dns/transport/net.js";
import type { NameServer } from "../../src/dns/server.js";
import type { ResolvConf } from "../../src/files/resolvconf.js";
import { TestDnsServer, type Behaviour } from "../support/dnsserver.js";
import { abortListeners, assertNoLeaks, resourceBaseline } from "../support/handles.js";
import { closedPort, testConf, timeBound, ZONES } from "./world.js";

/** A small zone for "a.test", the name the malformed fixtures answer. */
const TEST_ZONE = { origin: "test.", text: "$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\na A 192.0.2.1\n" };

/** fixtures/dns/malformed.txt, with the query's ID patched in. */
const malformed = readFileSync(new URL("../../fixtures/dns/malformed.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"))
  .map((line) => {
    const [what, , hex, outcome] = line.split(" | ");
    return { what: what!, bytes: Buffer.from(hex!, "hex"), outcome: outcome as Expected | "ignored" | undefined };
  });

/** How a lookup of a.test A ended: 192.0.2.1, the failure, or an answer nss_dns cannot read (UNAVAIL). */
type Expected = "answer" | DnsLookupError["status"] | "UNAVAIL";

interface Case {
  what: string;
  behaviour: Behaviour;
  conf?: Partial<ResolvConf>;
  /** With the misbehaving server alone. */
  alone: Expected;
  /** With a good server after it. */
  withGood: Expected;
}

const cases: Case[] = [
  { what: "drops every query", behaviour: { kind: "drop" }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "answers after the deadline", behaviour: { kind: "delay", ms: 450 }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "answers slowly but in time", behaviour: { kind: "delay", ms: 60 }, alone: "answer", withGood: "answer" },
  { what: "truncates every UDP answer", behaviour: { kind: "truncate" }, alone: "answer", withGood: "answer" },
  { what: "sends the answer with a wrong ID only", behaviour: { kind: "spoof", how: "wrong-id", thenAnswer: false }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "sends a wrong-ID answer, then the right one", behaviour: { kind: "spoof", how: "wrong-id", thenAnswer: true }, alone: "answer", withGood: "answer" },
  { what: "answers another question only", behaviour: { kind: "spoof", how: "wrong-question", thenAnswer: false }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "answers another question, then ours", behaviour: { kind: "spoof", how: "wrong-question", thenAnswer: true }, alone: "answer", withGood: "answer" },
  { what: "sends its answer with QR clear, then properly", behaviour: { kind: "spoof", how: "not-response", thenAnswer: true }, alone: "answer", withGood: "answer" },
  { what: "answers from another port only", behaviour: { kind: "spoof", how: "other-port", thenAnswer: false }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "answers from another port, then from its own", behaviour: { kind: "spoof", how: "other-port", thenAnswer: true }, alone: "answer", withGood: "answer" },
  { what: "sends garbage only", behaviour: { kind: "spoof", how: "garbage", thenAnswer: false }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "sends garbage, then the answer", behaviour: { kind: "spoof", how: "garbage", thenAnswer: true }, alone: "answer", withGood: "answer" },
  { what: "says SERVFAIL", behaviour: { kind: "rcode", rcode: "SERVFAIL" }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "says REFUSED", behaviour: { kind: "rcode", rcode: "REFUSED" }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "says REFUSED in a bare header", behaviour: { kind: "rcode", rcode: "REFUSED", bare: true }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "says NOTIMP", behaviour: { kind: "rcode", rcode: "NOTIMP" }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "says FORMERR (an answer to glibc: no failover)", behaviour: { kind: "rcode", rcode: "FORMERR" }, alone: "NO_RECOVERY", withGood: "NO_RECOVERY" },
  { what: "says FORMERR to EDNS queries only (an answer to glibc 2.36: no retry without EDNS)", behaviour: { kind: "formerr-to-edns" }, conf: { edns0: true }, alone: "NO_RECOVERY", withGood: "NO_RECOVERY" },
  { what: "says FORMERR to EDNS queries only, with ednsFallback", behaviour: { kind: "formerr-to-edns" }, conf: { edns0: true, ednsFallback: true }, alone: "answer", withGood: "answer" },
  { what: "gives lame answers", behaviour: { kind: "lame" }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "TCP: closes the connection mid-message", behaviour: { kind: "tcp-close-mid" }, conf: { useVc: true }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "TCP: announces 65535 octets and sends fewer", behaviour: { kind: "tcp-huge-length" }, conf: { useVc: true }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "TCP: dribbles one octet every 50 ms", behaviour: { kind: "tcp-slowloris", intervalMs: 50 }, conf: { useVc: true }, alone: "TRY_AGAIN", withGood: "answer" },
  { what: "TCP: sends the answer in pieces of two octets", behaviour: { kind: "tcp-split" }, conf: { useVc: true }, alone: "answer", withGood: "answer" },
  { what: "TCP: sends a frame shorter than a header", behaviour: { kind: "raw", bytes: () => new Uint8Array(5) }, conf: { useVc: true }, alone: "TRY_AGAIN", withGood: "answer" },
  ...malformed.map(
    ({ what, bytes, outcome }): Case => ({
      what: `sends a malformed response: ${what}${outcome === undefined ? " (a server failure)" : outcome === "ignored" ? " (for another question: ignored)" : " (read as far as it goes: that server's answer)"}`,
      behaviour: {
        kind: "raw",
        bytes: (query) => {
          const copy = Buffer.from(bytes);
          if (copy.length >= 2) copy.writeUInt16BE(query.id, 0);
          return copy;
        },
      },
      alone: outcome === undefined || outcome === "ignored" ? "TRY_AGAIN" : outcome,
      withGood: outcome === undefined || outcome === "ignored" ? "answer" : outcome,
    }),
  ),
];

describe("DnsClient against misbehaving servers", () => {
  let bad: TestDnsServer;
  let good: TestDnsServer;
  let transport: NetTransport;
  let baseline: Map<string, number>;

  before(async () => {
    bad = await TestDnsServer.start({ zones: [...ZONES, TEST_ZONE] });
    good = await TestDnsServer.start({ zones: [...ZONES, TEST_ZONE] });
  });
  after(async () => {
    await bad.stop();
    await good.stop();
  });
  beforeEach(async () => {
    bad.reset();
    good.reset();
    transport = new NetTransport();
    baseline = await resourceBaseline();
  });
  afterEach(async () => {
    await transport.close();
    // Replies the servers still hold back (delays, dribbles) are theirs, not the client's.
    bad.reset();
    good.reset();
    await assertNoLeaks(baseline, "the lookup");
  });

  /** Looks `a.test` up (A) and says how it ended and how long it took. */
  async function lookUp(servers: NameServer[], overrides: Partial<ResolvConf> = {}): Promise<{ outcome: Expected; elapsed: number; conf: ResolvConf }> {
    const conf = testConf(servers, { search: [], ...overrides });
    const client = new DnsClient({ conf: () => conf, transport });
    const started = performance.now();
    let outcome: Expected;
    try {
      const got = await client.search("a.test", ["A"]);
      const answer = readHostAnswer(got.results[0]!);
      if (answer.error === "UNAVAIL") outcome = "UNAVAIL";
      else {
        expect(answer.addresses).to.deep.equal([Uint8Array.of(192, 0, 2, 1)]);
        outcome = "answer";
      }
    } catch (err) {
      if (!(err instanceof DnsLookupError)) throw err;
      outcome = err.status;
    }
    return { outcome, elapsed: performance.now() - started, conf };
  }

  for (const c of cases) {
    describe(`a server that ${c.what}`, () => {
      it(`alone: ${c.alone}, within the time bound`, async () => {
        bad.misbehave({ behaviour: c.behaviour });
        const { outcome, elapsed, conf } = await lookUp([bad.nameServer(4)], c.conf);
        expect(outcome).to.equal(c.alone);
        expect(elapsed).to.be.below(timeBound(conf));
      });

      it(`followed by a good server: ${c.withGood}, within the time bound`, async () => {
        bad.misbehave({ behaviour: c.behaviour });
        const { outcome, elapsed, conf } = await lookUp([bad.nameServer(4), good.nameServer(4)], { attempts: 1, ...c.conf });
        expect(outcome).to.equal(c.withGood);
        expect(elapsed).to.be.below(timeBound(conf));
      });
    });
  }

  it("a spoofed answer does not delay the real one: it comes well before the deadline", async () => {
    bad.misbehave({ behaviour: { kind: "spoof", how: "wrong-id", thenAnswer: true } });
    const { outcome, elapsed } = await lookUp([bad.nameServer(4)]);
    expect(outcome).to.equal("answer");
    expect(elapsed).to.be.below(150);
    expect(bad.count()).to.equal(1);
  });

  it("an answer broken past its question is that server's answer at once: no other server is asked (glibc)", async () => {
    bad.misbehave({ behaviour: { kind: "raw", bytes: (q, normal) => Buffer.concat([Buffer.from([q.id >> 8, q.id & 0xff]), normal.subarray(2), Buffer.from("garbage")]) } });
    const { outcome, elapsed } = await lookUp([bad.nameServer(4), good.nameServer(4)], { attempts: 1 });
    expect(outcome).to.equal("answer");
    expect(elapsed).to.be.below(120);
    expect(good.count()).to.equal(0);
  });

  it("a server that is not there (ICMP port unreachable) fails fast with ECONNREFUSED, and the search stops", async () => {
    const closed = await closedPort();
    const conf = testConf([{ address: "127.0.0.1", port: closed, family: 4 }], { search: ["netdb.test", "other.test"] });
    const client = new DnsClient({ conf: () => conf, transport });
    const started = performance.now();
    const err = (await client.search("www", ["A", "AAAA"]).catch((e: unknown) => e)) as DnsLookupError;
    expect([err.status, err.errno]).to.deep.equal(["TRY_AGAIN", "ECONNREFUSED"]);
    expect(performance.now() - started).to.be.below(150);
  });

  it("a truncated answer is taken over TCP from the same server", async () => {
    bad.misbehave({ protocol: "udp", behaviour: { kind: "truncate" } });
    const { outcome } = await lookUp([bad.nameServer(4), good.nameServer(4)]);
    expect(outcome).to.equal("answer");
    expect([bad.count("udp"), bad.count("tcp"), good.count()]).to.deep.equal([1, 1, 0]);
  });

  it("SERVFAIL once, then a good answer on the second attempt at the same server", async () => {
    bad.misbehave({ times: 1, behaviour: { kind: "rcode", rcode: "SERVFAIL" } });
    const { outcome } = await lookUp([bad.nameServer(4)]);
    expect(outcome).to.equal("answer");
    expect(bad.count()).to.equal(2);
  });

  it("an abort ends the lookup at once and leaves no socket, timer or listener", async () => {
    bad.misbehave({ behaviour: { kind: "drop" } });
    const conf = testConf([bad.nameServer(4)], { timeout: 5000 });
    const client = new DnsClient({ conf: () => conf, transport });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    const err = (await client.search("www", ["A", "AAAA"], { signal: controller.signal }).catch((e: unknown) => e)) as Error;
    expect(err.name).to.equal("AbortError");
    expect(performance.now() - started).to.be.below(150);
    expect(abortListeners(controller.signal)).to.equal(0);
  });

  it("an already aborted signal sends nothing", async () => {
    const conf = testConf([bad.nameServer(4)]);
    const client = new DnsClient({ conf: () => conf, transport });
    const err = (await client.query("www.netdb.test", ["A"], { signal: AbortSignal.abort() }).catch((e: unknown) => e)) as Error;
    expect(err.name).to.equal("AbortError");
    expect(bad.count()).to.equal(0);
  });

  it("after a lookup that succeeded, the caller's signal has no listener left", async () => {
    const controller = new AbortController();
    const conf = testConf([good.nameServer(4)]);
    await new DnsClient({ conf: () => conf, transport }).search("www", ["A", "AAAA"], { signal: controller.signal });
    expect(abortListeners(controller.signal)).to.equal(0);
  });
});
