/**
 * The zone transport answers as an authoritative server: byte for byte as
 * knotd answers the same zone, and through a Resolver with glibc's
 * outcomes for CNAME chains, NXDOMAIN and NODATA, wildcards, and answers
 * truncated over UDP and asked again over TCP. A name in no zone is a
 * loud miss unless NXDOMAIN is asked for.
 */
import { expect } from "chai";
import { encodeQuery } from "../../../src/dns/message.js";
import { ZoneMissError, ZoneTransport } from "../../../src/dns/transport/zone.js";
import { AF_INET, AF_INET6, SOCK_STREAM } from "../../../src/constants.js";
import { GaiError } from "../../../src/errors.js";
import { createDns } from "../../../src/node/create-dns.js";
import { Resolver } from "../../../src/resolver.js";
import type { Protocol } from "../../../src/dns/question.js";
import type { Transport, TransportRequest } from "../../../src/dns/transport/transport.js";
import { parseZoneText } from "../../../src/zone/zonefile.js";
import { askUdp, startKnot, type KnotServer } from "../../support/knot.js";
import { SHOP_ZONE } from "../../testing/shop-world.js";
import { answerOf, errorOf, sendTo, settleAll } from "../support/sinks.js";

const SERVER = { address: "127.0.53.1", port: 53, family: 4 as const };

function request(name: string, type: string, protocol: Protocol, edns: boolean): TransportRequest {
  const question = { name, type, class: "IN" };
  return { server: SERVER, protocol, message: encodeQuery(question, { id: 0x4242, edns0: edns }), id: 0x4242, question, timeout: 1000 };
}

/** A transport that notes the protocol of every exchange it passes on. */
function spy(inner: Transport): Transport & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    exchange: (r) => {
      seen.push(`${r.question.name} ${r.question.type} ${r.protocol}`);
      return inner.exchange(r);
    },
    close: () => inner.close(),
  };
}

const zones = () => [parseZoneText(SHOP_ZONE)];
const files = { hosts: "", "resolv.conf": "nameserver 127.0.53.1\n", "nsswitch.conf": "hosts: files dns\n" };

/** What a call gives: its value, or its error's class and message. */
async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call();
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

describe("ZoneTransport", function () {
  this.timeout(30_000);

  describe("against knotd serving the same zone", () => {
    let knot: KnotServer;
    before(async () => {
      knot = await startKnot([{ origin: "shop.test", text: SHOP_ZONE }]);
    });
    after(async () => {
      await knot?.stop();
    });

    const QUESTIONS: Array<[string, string]> = [
      ["api.shop.test", "A"], ["API.Shop.Test", "AAAA"], ["www.shop.test", "A"], ["www.shop.test", "AAAA"], ["dangling.shop.test", "A"],
      ["only-v4.shop.test", "AAAA"], ["nosuch.shop.test", "A"], ["x.tenants.shop.test", "A"], ["a.b.tenants.shop.test", "A"], ["tenants.shop.test", "A"],
      ["shop.test", "TXT"], ["shop.test", "MX"], ["_imaps._tcp.shop.test", "SRV"], ["shop.test", "CAA"], ["shop.test", "NAPTR"],
      ["shop.test", "SOA"], ["shop.test", "NS"], ["shop.test", "ANY"], ["many.shop.test", "A"],
    ];

    it("gives every answer byte for byte as knotd (UDP, with and without EDNS)", async () => {
      const transport = new ZoneTransport(zones());
      const differences: string[] = [];
      for (const [name, type] of QUESTIONS) {
        for (const edns of [false, true]) {
          const fromKnot = await askUdp(knot.port, name, type, edns);
          const fromZone = Buffer.from((await transport.exchange(request(name, type, "udp", edns))).message);
          if (!fromKnot.equals(fromZone)) differences.push(`${name} ${type}${edns ? " +edns" : ""}\n  knot ${fromKnot.toString("hex")}\n  zone ${fromZone.toString("hex")}`);
        }
      }
      expect(differences.join("\n")).to.equal("");
    });

    it("gives a Resolver and node:dns the same results as knotd over loopback", async () => {
      const inMemory = new Resolver({ files, transport: new ZoneTransport(zones()) });
      const live = new Resolver({ files, nameservers: [`127.0.0.1:${knot.port}`] });
      const calls: Array<(r: Resolver) => Promise<unknown>> = [
        (r) => r.gethostbyname_ex("www.shop.test"),
        (r) => r.gethostbyname("dangling.shop.test"),
        (r) => r.gethostbyname("nosuch.shop.test"),
        (r) => r.getaddrinfo("only-v4.shop.test", 443, AF_INET6),
        (r) => r.getaddrinfo("api.shop.test", "https", 0, SOCK_STREAM),
        (r) => r.getaddrinfo("x.tenants.shop.test", null, AF_INET),
        (r) => r.gethostbyname_ex("many.shop.test"),
        (r) => createDns(r).promises.resolveTxt("shop.test"),
        (r) => createDns(r).promises.resolveMx("shop.test"),
        (r) => createDns(r).promises.resolveSrv("_imaps._tcp.shop.test"),
        (r) => createDns(r).promises.resolveCaa("shop.test"),
        (r) => createDns(r).promises.resolveNaptr("shop.test"),
        (r) => createDns(r).promises.resolveSoa("shop.test"),
        (r) => createDns(r).promises.resolve6("only-v4.shop.test"),
      ];
      try {
        for (const call of calls) expect(await outcome(() => call(inMemory)), call.toString()).to.deep.equal(await outcome(() => call(live)));
      } finally {
        await Promise.all([inMemory.close(), live.close()]);
      }
    });
  });

  it("rejects a query that does not decode, and after close(), without throwing", async () => {
    const transport = new ZoneTransport(zones());
    const garbage = { ...request("api.shop.test", "A", "udp", false), message: Uint8Array.of(1, 2, 3) };
    const pending = transport.exchange(garbage);
    expect(await pending.catch((e: Error) => e.name)).to.equal("MalformedMessageError");
    await transport.close();
    expect(await transport.exchange(request("api.shop.test", "A", "udp", false)).catch((e: Error) => e.message)).to.equal("zone transport used after close()");
  });

  it("send: answers after send returned, once; fails a miss, a query that does not decode and a send after close() the same way", async () => {
    const transport = new ZoneTransport(zones());
    const answered = sendTo(transport, request("api.shop.test", "A", "udp", false));
    expect(answered.reports).to.have.length(0);
    const report = await answered.settled;
    expect(report.afterSend).to.equal(true);
    expect(Buffer.from(answerOf(report).message).readUInt16BE(0)).to.equal(0x4242);
    const miss = await sendTo(transport, request("nowhere.invalid", "A", "udp", false)).settled;
    expect([miss.afterSend, errorOf(miss) instanceof ZoneMissError]).to.deep.equal([true, true]);
    const garbage = await sendTo(transport, { ...request("api.shop.test", "A", "udp", false), message: Uint8Array.of(1, 2, 3) }).settled;
    expect((errorOf(garbage) as Error).name).to.equal("MalformedMessageError");
    await transport.close();
    const late = await sendTo(transport, request("api.shop.test", "A", "udp", false)).settled;
    expect((errorOf(late) as Error).message).to.equal("zone transport used after close()");
    await settleAll();
    expect(answered.reports).to.have.length(1);
  });

  describe("through a Resolver", () => {
    it("follows a CNAME chain to the address, the chain's names as aliases", async () => {
      const resolver = new Resolver({ files, transport: new ZoneTransport(zones()) });
      expect(await resolver.gethostbyname_ex("www.shop.test")).to.deep.equal(["api.shop.test", ["www.shop.test", "web.shop.test"], ["127.0.0.10"]]);
    });

    it("tells NXDOMAIN (no such name) from NODATA (no address of that family)", async () => {
      const resolver = new Resolver({ files, transport: new ZoneTransport(zones()) });
      const nx = (await resolver.getaddrinfo("nosuch.shop.test", 80).catch((e: unknown) => e)) as GaiError;
      const nodata = (await resolver.getaddrinfo("only-v4.shop.test", 80, AF_INET6).catch((e: unknown) => e)) as GaiError;
      expect([nx, nodata].map((e) => e instanceof GaiError && e.message)).to.deep.equal(["[Errno -2] Name or service not known", "[Errno -5] No address associated with hostname"]);
    });

    it("answers names below a wildcard, and not the wildcard's own parent", async () => {
      const resolver = new Resolver({ files, transport: new ZoneTransport(zones()) });
      expect(await resolver.gethostbyname("anyone.tenants.shop.test")).to.equal("127.0.0.12");
      expect(await outcome(() => resolver.gethostbyname("tenants.shop.test"))).to.equal("GaiError: [Errno -5] No address associated with hostname");
    });

    it("truncates an answer over 512 octets on UDP, and the client gets it whole over TCP", async () => {
      const transport = spy(new ZoneTransport(zones()));
      const resolver = new Resolver({ files, transport });
      const tuples = await resolver.getaddrinfo("many.shop.test", 80, AF_INET, SOCK_STREAM);
      expect(tuples.map(([, , , , [address]]) => address)).to.deep.equal(Array.from({ length: 40 }, (_, i) => `127.0.1.${i + 1}`));
      expect(transport.seen).to.deep.equal(["many.shop.test A udp", "many.shop.test A tcp"]);
    });

    it("fails a name in no zone loudly, naming the query", async () => {
      const resolver = new Resolver({ files, transport: new ZoneTransport(zones(), { source: "the shop world" }) });
      const err = await resolver.gethostbyname("api.elsewhere.test").catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ZoneMissError);
      expect((err as Error).message).to.equal("api.elsewhere.test A is in no zone of the shop world: add it to the world, or answer such names NXDOMAIN with nxdomainOnMiss");
    });

    it("answers such a name NXDOMAIN with nxdomainOnMiss, and lists it among the misses", async () => {
      const transport = new ZoneTransport(zones(), { nxdomainOnMiss: true });
      const resolver = new Resolver({ files, transport });
      expect(await outcome(() => resolver.gethostbyname("api.elsewhere.test"))).to.equal("GaiError: [Errno -2] Name or service not known");
      expect(transport.misses()).to.deep.equal([{ name: "api.elsewhere.test", type: "A", class: "IN" }]);
    });

    it("lists the records no answer carried (the SOA and apex NS left out)", async () => {
      const transport = new ZoneTransport([parseZoneText("$ORIGIN t.test.\n@ 60 SOA ns h 1 1 1 1 1\n@ 60 NS ns\nns 60 A 127.0.0.1\na 60 A 127.0.0.2\nb 60 A 127.0.0.3\n")]);
      const resolver = new Resolver({ files, transport });
      await resolver.gethostbyname("a.t.test");
      expect(transport.unused().map((rr) => `${rr.name} ${rr.type}`)).to.deep.equal(["ns.t.test A", "b.t.test A"]);
    });
  });
});
