/**
 * Integration with a real Knot DNS server (knotd, installed by .ci/run).
 * Without knotd these tests fail, saying so: they are part of the suite.
 */
import { expect } from "chai";
import { fileURLToPath } from "node:url";
import { readAddrInfoAnswer, readHostAnswer, readPtrAnswer } from "../../src/dns/answer.js";
import { formatAddress } from "../../src/inet.js";
import { DnsClient } from "../../src/dns/client.js";
import { DnsLookupError } from "../../src/dns/errors.js";
import { reverseName } from "../../src/dns/reverse.js";
import { NetTransport } from "../../src/dns/transport/net.js";
import type { ResolvConf } from "../../src/files/resolvconf.js";
import type { TraceEvent } from "../../src/trace.js";
import { TestDnsServer } from "../support/dnsserver.js";
import { assertNoLeaks, resourceBaseline } from "../support/handles.js";
import { askUdp as ask, startKnot, worldZones, type KnotServer } from "../support/knot.js";
import { testConf, ZONES } from "./world.js";

const SEED_ZONES = fileURLToPath(new URL("../../fixtures/worlds/seed/zones", import.meta.url));

/** Questions whose answers the test server must give exactly as Knot does. */
const QUESTIONS: Array<[string, string]> = [
  ["www.hellfly.net", "A"], ["WWW.HELLFLY.NET", "A"], ["Www.Hellfly.Net", "AAAA"], ["WWW.hellfly.NET", "MX"],
  ["hellfly.net", "MX"], ["hellfly.net", "NS"], ["hellfly.net", "SOA"], ["hellfly.net", "ANY"],
  ["nosuch.hellfly.net", "A"], ["a.b.hellfly.net", "A"], ["www.hellfly.net", "CNAME"], ["homer.hellfly.net", "CNAME"],
  ["chain5.edge.test", "A"], ["chain20.edge.test", "A"], ["chain40.edge.test", "A"], ["C5-1.Edge.Test", "A"],
  ["loop1.edge.test", "A"], ["self.edge.test", "A"],
  ["cname-aaaa.edge.test", "A"], ["cname-txt.edge.test", "A"], ["cname-dangling.edge.test", "A"], ["cname-external.edge.test", "A"], ["cname-python.edge.test", "A"],
  ["x.wild.edge.test", "A"], ["X.Wild.EDGE.test", "A"], ["a.b.wild.edge.test", "AAAA"], ["wild.edge.test", "A"],
  ["x.deleg.edge.test", "A"], ["x.DELEG.edge.test", "AAAA"], ["Deleg.Edge.Test", "A"], ["deleg.edge.test", "NS"], ["ns.deleg.edge.test", "A"],
  ["big.edge.test", "A"], ["big6.edge.test", "AAAA"], ["dual.edge.test", "A"], ["dual.edge.test", "AAAA"],
  ["mixedcase.edge.test", "A"], ["MIXEDCASE.edge.test", "A"], ["only-mx.edge.test", "MX"], ["_sip._tcp.edge.test", "SRV"], ["_tcp.edge.test", "A"],
  ["only-txt.edge.test", "TXT"], ["edge.test", "A"], ["edge.test", "NS"],
  ["www.broken.test", "A"], ["broken.test", "SOA"], ["1.100.51.198.in-addr.arpa", "PTR"],
  ["8.1.168.192.in-addr.arpa", "PTR"], ["30.2.0.192.in-addr.arpa", "PTR"], ["35.2.0.192.in-addr.arpa", "PTR"], ["36.2.0.192.in-addr.arpa", "PTR"],
  ["37.2.0.192.in-addr.arpa", "PTR"], ["20.2.0.192.in-addr.arpa", "PTR"],
  ["2.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.0.0.0.0.0.0.2.8.8.8.0.1.0.0.2.ip6.arpa", "PTR"],
  ["nosuch.invalid", "A"], ["www.python.org", "A"], [`${"x".repeat(63)}.edge.test`, "A"],
];

describe("Knot DNS integration", function () {
  this.timeout(30_000);
  let knot: KnotServer;

  before(async () => {
    knot = await startKnot([...worldZones(), ...ZONES.map((z) => ({ origin: z.origin, file: z.file! }))]);
  });
  after(async () => {
    await knot?.stop();
  });

  it("the test server answers byte for byte as knotd does", async () => {
    const server = await TestDnsServer.start({ worldZones: SEED_ZONES, zones: ZONES });
    try {
      const differences: string[] = [];
      for (const [name, type] of QUESTIONS) {
        for (const edns of [false, true]) {
          const [fromKnot, fromServer] = [await ask(knot.port, name, type, edns), await ask(server.port, name, type, edns)];
          if (!fromKnot.equals(fromServer)) differences.push(`${name} ${type}${edns ? " +edns" : ""}\n  knot   ${fromKnot.toString("hex")}\n  server ${fromServer.toString("hex")}`);
        }
      }
      expect(differences.join("\n")).to.equal("");
    } finally {
      await server.stop();
    }
  });

  describe("DnsClient against knotd", () => {
    let transport: NetTransport;
    let baseline: Map<string, number>;
    beforeEach(async () => {
      transport = new NetTransport();
      baseline = await resourceBaseline();
    });
    afterEach(async () => {
      await transport.close();
      await assertNoLeaks(baseline, "the lookup");
    });

    const client = (overrides: Partial<ResolvConf> = {}, events?: TraceEvent[]) => {
      const conf = testConf([knot.nameServer(4)], { search: ["hellfly.net"], ...overrides });
      return new DnsClient({ conf: () => conf, transport, ...(events && { tracer: (e: TraceEvent) => events.push(e) }) });
    };

    it("A and AAAA of a dual-stack name", async () => {
      const got = await client().search("dual.edge.test", ["A", "AAAA"]);
      expect(readAddrInfoAnswer(got.results).addresses.map((a) => formatAddress(a.address))).to.deep.equal(["192.0.2.10", "192.0.2.11", "2001:db8::10", "2001:db8::11"]);
    });

    it("the seed's 'www': a CNAME to the apex, found through the search list", async () => {
      const got = await client().search("www", ["A"]);
      expect(got.name).to.equal("www.hellfly.net");
      expect(readHostAnswer(got.results[0]!)).to.deep.include({ name: "hellfly.net", aliases: ["www.hellfly.net"], addresses: [Uint8Array.of(50, 56, 79, 68)] });
    });

    it("a chain of five CNAMEs", async () => {
      const got = await client().query("chain5.edge.test", ["A"]);
      expect(readHostAnswer(got.results[0]!).aliases).to.deep.equal(["chain5.edge.test", "c5-1.edge.test", "c5-2.edge.test", "c5-3.edge.test", "c5-4.edge.test"]);
    });

    it("PTR through an RFC 2317 CNAME, and an IPv6 PTR", async () => {
      const v4 = await client().query(reverseName(Uint8Array.from([192, 168, 1, 8])), ["PTR"]);
      expect(readPtrAnswer(v4.results[0]!).names).to.deep.equal(["homer.hellfly.net"]);
      const v6 = await client().query(reverseName(Buffer.from("200108882000000d00000000000000a2", "hex")), ["PTR"]);
      expect(readPtrAnswer(v6.results[0]!).names).to.deep.equal(["www.python.org"]);
    });

    it("NXDOMAIN is HOST_NOT_FOUND, a broken zone's SERVFAIL TRY_AGAIN", async () => {
      const nx = (await client({ search: [] }).search("nosuch.invalid", ["A"]).catch((e: unknown) => e)) as DnsLookupError;
      expect(nx.status).to.equal("HOST_NOT_FOUND");
      const sf = (await client({ search: [] }).search("www.broken.test", ["A"]).catch((e: unknown) => e)) as DnsLookupError;
      expect([sf.status, sf.rcode]).to.deep.equal(["TRY_AGAIN", "SERVFAIL"]);
    });

    it("an answer over 512 octets comes truncated over UDP and whole over TCP", async () => {
      const events: TraceEvent[] = [];
      const got = await client({}, events).query("big.edge.test", ["A"]);
      expect(readHostAnswer(got.results[0]!).addresses).to.have.length(40);
      expect(got.results[0]!.protocol).to.equal("tcp");
      expect(events.filter((e) => e.kind === "response").map((e) => e.kind === "response" && `${e.protocol} ${e.truncated}`)).to.deep.equal(["udp true", "tcp false"]);
    });

    it("with EDNS0, an answer of 1232 octets or less stays on UDP", async () => {
      const got = await client({ edns0: true }).query("big6.edge.test", ["AAAA"]);
      expect(readHostAnswer(got.results[0]!).addresses).to.have.length(30);
      expect(got.results[0]!.protocol).to.equal("udp");
      expect(got.results[0]!.message.edns?.udpPayloadSize).to.equal(1232);
    });

    it("over IPv6 and over TCP only", async () => {
      const conf = testConf([knot.nameServer(6)], { useVc: true });
      const got = await new DnsClient({ conf: () => conf, transport }).query("www.python.org", ["A", "AAAA"]);
      expect(got.results.map((r) => `${r.server.address} ${r.protocol} ${readHostAnswer(r).addresses.map(formatAddress).join(",")}`)).to.deep.equal([
        "::1 tcp 82.94.164.162",
        "::1 tcp 2001:888:2000:d::a2",
      ]);
    });
  });
});
