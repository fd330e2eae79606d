/**
 * Faults from a seed, on top of any transport: the same seed drops the
 * same queries on every run; each fault gives the outcome the same
 * misbehaviour of a real server over loopback sockets gives (the test
 * server, test/support/dnsserver.ts); and the fault transport works over
 * real sockets too.
 */
import { expect } from "chai";
import { ZoneTransport } from "../../src/dns/transport/zone.js";
import { NetTransport } from "../../src/dns/transport/net.js";
import type { ResolverOptions } from "../../src/options.js";
import { Resolver } from "../../src/resolver.js";
import { FaultTransport, type Fault, type FaultRule } from "../../src/testing/faults.js";
import type { Transport } from "../../src/dns/transport/transport.js";
import { parseZoneText } from "../../src/zone/zonefile.js";
import { TestDnsServer, type Behaviour } from "../support/dnsserver.js";
import { SHOP_ZONE } from "./shop-world.js";
import { decodeMessage, encodeQuery } from "../../src/dns/message.js";
import type { TransportRequest } from "../../src/dns/transport/transport.js";
import { answerOf, errorOf, sendTo, settleAll } from "../dns/support/sinks.js";

const TWO_SERVERS = { hosts: "", "resolv.conf": "nameserver 127.0.53.1\nnameserver 127.0.53.2\n", "nsswitch.conf": "hosts: files dns\n" };
const quick: ResolverOptions = { timeout: 100, attempts: 1 };

function zoneResolver(rules: FaultRule[], seed = 1, options: ResolverOptions = {}): { resolver: Resolver; faults: FaultTransport; seen: string[] } {
  const seen: string[] = [];
  const zone = new ZoneTransport([parseZoneText(SHOP_ZONE)]);
  const noting: Transport = {
    exchange: (r) => {
      seen.push(`${r.protocol} ${r.question.name}`);
      return zone.exchange(r);
    },
    close: () => zone.close(),
  };
  const faults = new FaultTransport(noting, { seed, rules });
  return { resolver: new Resolver({ files: TWO_SERVERS, ...quick, ...options, transport: faults }), faults, seen };
}

/** The value of a call, or its error's class and message. */
async function outcome(call: Promise<unknown>): Promise<unknown> {
  return call.then((v) => v, (e: Error) => `${e.name}: ${e.message}`);
}

/** Which of `names` failed to resolve. */
async function failures(resolver: Resolver, names: string[]): Promise<string[]> {
  const results = await Promise.all(names.map((n) => resolver.gethostbyname(n).then(() => undefined, () => n)));
  return results.filter((n): n is string => n !== undefined);
}

describe("FaultTransport", function () {
  this.timeout(30_000);
  const NAMES = Array.from({ length: 200 }, (_, i) => `t${i}.tenants.shop.test`);
  const AGAIN = "GaiError: [Errno -3] Temporary failure in name resolution";

  it("drops the same share of queries, the same ones, on every run with the same seed", async () => {
    const rules: FaultRule[] = [{ fault: { kind: "drop" }, fraction: 0.25 }];
    const runs = [zoneResolver(rules, 7), zoneResolver(rules, 7), zoneResolver(rules, 8)];
    const started = Date.now();
    const [a, b, c] = await Promise.all(runs.map((r) => failures(r.resolver, NAMES)));
    const elapsed = Date.now() - started;
    // Both servers must drop a lookup's queries for it to fail: about a sixteenth of 200.
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
    expect(a.length).to.be.within(4, 30);
    // Every query either met the fault or was passed on to the zone.
    const dropped = runs[0]!.faults.applied().length;
    expect(dropped / (dropped + runs[0]!.seen.length)).to.be.within(0.15, 0.35);
    // Two tries of 100 ms at most, every lookup at once.
    expect(elapsed).to.be.below(2000);
  });

  it("drops named queries only, and those lookups fail within the two tries", async () => {
    const { resolver, faults } = zoneResolver([{ fault: { kind: "drop" }, name: ["api.shop.test"] }]);
    const started = Date.now();
    expect(await outcome(resolver.gethostbyname("API.shop.test."))).to.equal(AGAIN);
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.within(190, 1000);
    expect(await resolver.gethostbyname("www.shop.test")).to.equal("127.0.0.10");
    expect(faults.applied().map((f) => f.server)).to.deep.equal(["127.0.53.1:53", "127.0.53.2:53"]);
  });

  it("delays answers: in time they arrive, past the try's timeout they do not", async () => {
    const slow = zoneResolver([{ fault: { kind: "delay", ms: 150 } }], 1, { timeout: 1000 });
    const started = Date.now();
    expect(await slow.resolver.gethostbyname("api.shop.test")).to.equal("127.0.0.10");
    expect(Date.now() - started).to.be.within(145, 900);
    const late = zoneResolver([{ fault: { kind: "delay", ms: 150 } }]);
    expect(await outcome(late.resolver.gethostbyname("api.shop.test"))).to.equal(AGAIN);
    await late.faults.close();
  });

  it("truncates UDP answers, and the lookup gets its answer over TCP", async () => {
    const { resolver, seen } = zoneResolver([{ fault: { kind: "truncate" } }]);
    expect(await resolver.gethostbyname("api.shop.test")).to.equal("127.0.0.10");
    expect(seen).to.deep.equal(["tcp api.shop.test"]);
  });

  it("a TCP-only server: refused over UDP, answering with use-vc", async () => {
    const udp = zoneResolver([{ fault: { kind: "tcp-only" } }]);
    expect(await outcome(udp.resolver.gethostbyname("api.shop.test"))).to.equal(AGAIN);
    const vc = zoneResolver([{ fault: { kind: "tcp-only" } }], 1, { useTcp: true });
    expect(await vc.resolver.gethostbyname("api.shop.test")).to.equal("127.0.0.10");
    expect(vc.seen).to.deep.equal(["tcp api.shop.test"]);
  });

  it("failover: the first server times out, the next one answers", async () => {
    const { resolver, faults, seen } = zoneResolver([{ fault: { kind: "failover" } }], 1, { timeout: 200 });
    const started = Date.now();
    expect(await resolver.gethostbyname("api.shop.test")).to.equal("127.0.0.10");
    expect(Date.now() - started).to.be.within(195, 1500);
    expect(faults.applied().map((f) => f.server)).to.deep.equal(["127.0.53.1:53"]);
    expect(seen).to.deep.equal(["udp api.shop.test"]);
  });

  it("rejects a faulted query that does not decode, without throwing", async () => {
    const transport = new FaultTransport(new ZoneTransport([]), { rules: [{ fault: { kind: "rcode", rcode: "SERVFAIL" } }] });
    const question = { name: "x.test", type: "A", class: "IN" };
    const garbage = { server: { address: "127.0.53.1", port: 53, family: 4 as const }, protocol: "udp" as const, message: Uint8Array.of(9), id: 1, question, timeout: 100 };
    const pending = transport.exchange(garbage);
    expect(await pending.catch((e: Error) => e.name)).to.equal("MalformedMessageError");
  });

  it("refuses rules it cannot apply", () => {
    const inner = new ZoneTransport([]);
    const bad: Array<[unknown, RegExp]> = [
      [{ fault: { kind: "explode" } }, /fault\.kind must be one of drop, delay/],
      [{ fault: { kind: "delay" } }, /a delay needs ms >= 0/],
      [{ fault: { kind: "rcode", rcode: "NXDOMAIN" } }, /rcode must be one of SERVFAIL, REFUSED, FORMERR/],
      [{ fault: { kind: "drop" }, fraction: 1.5 }, /fraction must be between 0 and 1/],
      [{ fault: { kind: "drop" }, times: -1 }, /times must be a whole number/],
    ];
    for (const [rule, message] of bad) expect(() => new FaultTransport(inner, { rules: [rule as FaultRule] })).to.throw(TypeError, message);
  });

  describe("gives the outcome a real server's misbehaviour gives over loopback", () => {
    let server: TestDnsServer;
    before(async () => {
      server = await TestDnsServer.start({ zones: [{ origin: "shop.test", text: SHOP_ZONE }], ipv6: false });
    });
    after(() => server.stop());
    afterEach(() => server.reset());

    const cases: Array<[string, Fault, Behaviour]> = [
      ["drop", { kind: "drop" }, { kind: "drop" }],
      ["SERVFAIL", { kind: "rcode", rcode: "SERVFAIL" }, { kind: "rcode", rcode: "SERVFAIL" }],
      ["REFUSED", { kind: "rcode", rcode: "REFUSED" }, { kind: "rcode", rcode: "REFUSED" }],
      ["FORMERR", { kind: "rcode", rcode: "FORMERR" }, { kind: "rcode", rcode: "FORMERR" }],
      ["truncate", { kind: "truncate" }, { kind: "truncate" }],
    ];
    for (const [what, fault, behaviour] of cases) {
      it(what, async () => {
        const calls = (r: Resolver) => Promise.all([outcome(r.gethostbyname_ex("www.shop.test")), outcome(r.getaddrinfo("api.shop.test", 80))]);
        const inMemory = zoneResolver([{ fault }]).resolver;
        server.misbehave({ behaviour });
        const live = new Resolver({ files: TWO_SERVERS, ...quick, nameservers: [`127.0.0.1:${server.port}`, `127.0.0.1:${server.port}`] });
        try {
          expect(await calls(inMemory)).to.deep.equal(await calls(live));
        } finally {
          await live.close();
        }
      });
    }

    it("over real sockets: faulted queries never reach the server, the others do", async () => {
      const transport = new FaultTransport(new NetTransport(), { rules: [{ fault: { kind: "rcode", rcode: "SERVFAIL" }, name: "www.shop.test" }] });
      const resolver = new Resolver({ files: TWO_SERVERS, ...quick, nameservers: [`127.0.0.1:${server.port}`], transport });
      try {
        expect(await outcome(resolver.gethostbyname("www.shop.test"))).to.equal(AGAIN);
        expect(await resolver.gethostbyname("api.shop.test")).to.equal("127.0.0.10");
        expect(server.queries.map((q) => q.name.toLowerCase())).to.deep.equal(["api.shop.test"]);
      } finally {
        await transport.close();
      }
    });
  });
});

describe("FaultTransport.send", () => {
  const server = { address: "127.0.53.1", port: 53, family: 4 as const };
  function request(name: string, protocol: "udp" | "tcp" = "udp", timeout = 1000): TransportRequest {
    const question = { name, type: "A" };
    return { server, protocol, message: encodeQuery(question, { id: 7, edns0: false }), id: 7, question, timeout };
  }
  const faults = (rules: FaultRule[]): FaultTransport => new FaultTransport(new ZoneTransport([parseZoneText(SHOP_ZONE)]), { rules });

  it("passes an unmatched query to the inner layer's send; answers a synthesized RCODE after send returned", async () => {
    const transport = faults([{ name: "api.shop.test", fault: { kind: "rcode", rcode: "REFUSED" } }]);
    const passed = await sendTo(transport, request("www.shop.test")).settled;
    expect(decodeMessage(answerOf(passed).message).rcode).to.equal("NOERROR");
    const refused = sendTo(transport, request("api.shop.test"));
    expect(refused.reports).to.have.length(0);
    const report = await refused.settled;
    expect([report.afterSend, decodeMessage(answerOf(report).message).rcode]).to.deep.equal([true, "REFUSED"]);
  });

  it("a drop reaches the sink once, at the timeout; tcp-only refuses UDP and answers over TCP", async () => {
    const transport = faults([
      { name: "api.shop.test", fault: { kind: "drop" } },
      { name: "www.shop.test", fault: { kind: "tcp-only" } },
    ]);
    const dropped = sendTo(transport, request("api.shop.test", "udp", 30));
    expect(errorOf(await dropped.settled)).to.have.property("code", "ETIMEDOUT");
    expect(errorOf(await sendTo(transport, request("www.shop.test")).settled)).to.have.property("code", "ECONNREFUSED");
    expect(decodeMessage(answerOf(await sendTo(transport, request("www.shop.test", "tcp")).settled).message).rcode).to.equal("NOERROR");
    await settleAll();
    expect(dropped.reports).to.have.length(1);
    expect(transport.applied().map((a) => a.fault.kind)).to.deep.equal(["drop", "tcp-only", "tcp-only"]);
  });

  it("a delay answers through the inner layer later; close() ends it once", async () => {
    const transport = faults([{ name: "api.shop.test", fault: { kind: "delay", ms: 10_000 } }]);
    const delayed = sendTo(transport, request("api.shop.test", "udp", 5000));
    await transport.close();
    expect(errorOf(await delayed.settled)).to.have.property("message", "FaultTransport closed");
    await settleAll();
    expect(delayed.reports).to.have.length(1);
  });
});
