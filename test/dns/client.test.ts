import { expect } from "chai";
import { readAddrInfoAnswer, readHostAnswer, readPtrAnswer } from "../../src/dns/answer.js";
import { formatAddress, parseIPv6 } from "../../src/inet.js";
import { DnsClient } from "../../src/dns/client.js";
import { DnsLookupError } from "../../src/dns/errors.js";
import { reverseName } from "../../src/dns/reverse.js";
import { NetTransport } from "../../src/dns/transport/net.js";
import type { ResolvConf } from "../../src/files/resolvconf.js";
import type { TraceEvent } from "../../src/trace.js";
import { TestDnsServer } from "../support/dnsserver.js";
import { assertNoLeaks, resourceBaseline } from "../support/handles.js";
import { testConf, ZONES } from "./world.js";

describe("DnsClient over sockets, against the test server", () => {
  let server: TestDnsServer;
  let second: TestDnsServer;
  let transport: NetTransport;
  let baseline: Map<string, number>;

  before(async () => {
    server = await TestDnsServer.start({ zones: ZONES });
    second = await TestDnsServer.start({ zones: ZONES });
  });
  after(async () => {
    await server.stop();
    await second.stop();
  });
  beforeEach(async () => {
    server.reset();
    second.reset();
    baseline = await resourceBaseline();
    transport = new NetTransport();
  });
  afterEach(async () => {
    await transport.close();
    await assertNoLeaks(baseline, "the lookup");
  });

  const client = (conf: ResolvConf, events?: TraceEvent[]) =>
    new DnsClient({ conf: () => conf, transport, ...(events !== undefined && { tracer: (e: TraceEvent) => events.push(e) }) });

  it("searches a short name and gets A and AAAA in one go", async () => {
    const got = await client(testConf([server.nameServer(4)])).search("www", ["A", "AAAA"]);
    expect(got.name).to.equal("www.netdb.test");
    expect(got.results.map((r) => readHostAnswer(r).addresses.map(formatAddress))).to.deep.equal([["192.0.2.1"], ["2001:db8::1"]]);
    expect(readAddrInfoAnswer(got.results).addresses).to.deep.equal([
      { family: 4, address: Uint8Array.of(192, 0, 2, 1) },
      { family: 6, address: parseIPv6("2001:db8::1") },
    ]);
    // The server sees names in random case (0x20).
    expect(server.queries.map((q) => `${q.protocol} ${q.name.toLowerCase()} ${q.type}`)).to.deep.equal(["udp www.netdb.test A", "udp www.netdb.test AAAA"]);
  });

  it("gets the answer for a name with characters the text form escapes (space, dot in a label, backslash)", async () => {
    const wild = await TestDnsServer.start({ zones: [{ origin: "esc.test.", text: "$TTL 300\n@ IN SOA ns hm 1 3600 900 604800 60\n@ IN NS ns\n* IN A 192.0.2.7\n" }] });
    try {
      const conf = testConf([wild.nameServer(4)]);
      for (const [name, text] of [["a b.esc.test", "a\\032b.esc.test"], ["a\\.b.esc.test", "a\\.b.esc.test"], ["a\\\\b.esc.test", "a\\\\b.esc.test"]]) {
        wild.reset();
        const got = await client(conf).query(name!, ["A"]);
        const { message } = got.results[0]!;
        expect(message.answers.map((rr) => [rr.name, rr.data])).to.deep.equal([[text, "192.0.2.7"]]);
        expect(wild.queries.map((q) => q.name.toLowerCase())).to.deep.equal([text]);
      }
    } finally {
      await wild.stop();
    }
  });

  it("asks a server on ::1", async () => {
    const got = await client(testConf([server.nameServer(6)])).query("v6.netdb.test", ["AAAA"]);
    expect(readHostAnswer(got.results[0]!).addresses.map(formatAddress)).to.deep.equal(["2001:db8::6"]);
    expect(got.results[0]!.server.address).to.equal("::1");
    expect(server.queries[0]!.family).to.equal(6);
  });

  it("follows CNAMEs: aliases in order, canonical name last", async () => {
    const got = await client(testConf([server.nameServer(4)])).search("chain", ["A"]);
    expect(readHostAnswer(got.results[0]!)).to.deep.include({ name: "www.netdb.test", aliases: ["chain.netdb.test", "alias.netdb.test"], addresses: [Uint8Array.of(192, 0, 2, 1)] });
  });

  it("reverse lookups, including an RFC 2317 CNAME", async () => {
    const c = client(testConf([server.nameServer(4)]));
    const plain = await c.query(reverseName(Uint8Array.from([203, 0, 113, 1])), ["PTR"]);
    expect(readPtrAnswer(plain.results[0]!)).to.deep.equal({ names: ["www.netdb.test"], aliases: [], ttl: 300 });
    const classless = await c.query(reverseName(Uint8Array.from([203, 0, 113, 2])), ["PTR"]);
    expect(readPtrAnswer(classless.results[0]!).names).to.deep.equal(["classless.netdb.test"]);
  });

  it("NXDOMAIN is HOST_NOT_FOUND and a name without the type NO_DATA", async () => {
    const c = client(testConf([server.nameServer(4)], { search: [] }));
    const nx = (await c.search("nosuch.netdb.test", ["A"]).catch((e: unknown) => e)) as DnsLookupError;
    expect([nx.status, nx.name, nx.servers]).to.deep.equal(["HOST_NOT_FOUND", "nosuch.netdb.test", [`127.0.0.1:${server.port}`]]);
    const nodata = (await c.search("text.netdb.test", ["A", "AAAA"]).catch((e: unknown) => e)) as DnsLookupError;
    expect(nodata.status).to.equal("NO_DATA");
  });

  it("an answer too big for UDP is asked again over TCP, for real", async () => {
    const events: TraceEvent[] = [];
    const got = await client(testConf([server.nameServer(4)]), events).query("medium.netdb.test", ["A"]);
    expect(readHostAnswer(got.results[0]!).addresses).to.have.length(40);
    expect(got.results[0]!.protocol).to.equal("tcp");
    expect([server.count("udp"), server.count("tcp")]).to.deep.equal([1, 1]);
    expect(events.some((e) => e.kind === "response" && e.truncated)).to.equal(true);
  });

  it("with edns0 the same answer fits in UDP; a bigger one still goes to TCP", async () => {
    const c = client(testConf([server.nameServer(4)], { edns0: true }));
    const medium = await c.query("medium.netdb.test", ["A"]);
    expect(medium.results[0]!.protocol).to.equal("udp");
    expect(medium.results[0]!.message.edns?.udpPayloadSize).to.equal(1232);
    const large = await c.query("large.netdb.test", ["AAAA"]);
    expect(readHostAnswer(large.results[0]!).addresses).to.have.length(60);
    expect(large.results[0]!.protocol).to.equal("tcp");
    expect(server.queries.map((q) => `${q.protocol}${q.edns ? " edns" : ""}`)).to.deep.equal(["udp edns", "udp edns", "tcp edns"]);
  });

  it("use-vc asks over TCP only", async () => {
    const got = await client(testConf([server.nameServer(4)], { useVc: true })).search("www", ["A", "AAAA"]);
    expect(got.results.map((r) => r.protocol)).to.deep.equal(["tcp", "tcp"]);
    expect([server.count("udp"), server.count("tcp")]).to.deep.equal([0, 2]);
  });

  it("rotate spreads queries over the servers", async () => {
    const c = client(testConf([server.nameServer(4), second.nameServer(4)], { rotate: true }));
    for (let i = 0; i < 4; i++) await c.query("v4.netdb.test", ["A"]);
    expect([server.count(), second.count()]).to.deep.equal([2, 2]);
  });

  it("each candidate of a search is its own res_send: rotate moves on between them, and a candidate's failures stay its own", async () => {
    // www.sub.netdb.test is NXDOMAIN, www.netdb.test answers: two res_send calls of one lookup, on one state object.
    const c = client(testConf([server.nameServer(4), second.nameServer(4)], { rotate: true, search: ["sub.netdb.test", "netdb.test"] }));
    const got = await c.search("www", ["A"]);
    expect(got.name).to.equal("www.netdb.test");
    expect([server.count(), second.count()]).to.deep.equal([1, 1]);
    expect([server.queries[0]!.name, second.queries[0]!.name].map((n) => n.toLowerCase()).sort()).to.deep.equal(["www.netdb.test", "www.sub.netdb.test"]);
    expect(got.results[0]!.rcode).to.equal("NOERROR");
    // A first candidate that fails at both servers in both rounds (attempts:2; SERVFAIL lets the search go on), then one the first server answers: the second res_send starts at its first try.
    server.reset();
    second.reset();
    server.misbehave({ name: "www.sub.netdb.test", behaviour: { kind: "rcode", rcode: "SERVFAIL" } });
    second.misbehave({ name: "www.sub.netdb.test", behaviour: { kind: "rcode", rcode: "SERVFAIL" } });
    const plain = client(testConf([server.nameServer(4), second.nameServer(4)], { search: ["sub.netdb.test", "netdb.test"] }));
    const answered = await plain.search("www", ["A"]);
    expect(answered.name).to.equal("www.netdb.test");
    expect(answered.results[0]!.server.port).to.equal(server.port);
    expect([server.count(), second.count()]).to.deep.equal([3, 2]);
  });

  it("fails over to the second server when the first says SERVFAIL", async () => {
    server.misbehave({ behaviour: { kind: "rcode", rcode: "SERVFAIL" } });
    const got = await client(testConf([server.nameServer(4), second.nameServer(4)])).query("v4.netdb.test", ["A"]);
    expect(got.results[0]!.server.port).to.equal(second.port);
    expect([server.count(), second.count()]).to.deep.equal([1, 1]);
  });

  it("single-request asks A, then AAAA", async () => {
    server.misbehave({ type: "A", behaviour: { kind: "delay", ms: 30 } });
    const got = await client(testConf([server.nameServer(4)], { singleRequest: true })).query("www.netdb.test", ["A", "AAAA"]);
    expect(got.results.map((r) => r.question.type)).to.deep.equal(["A", "AAAA"]);
    expect(server.queries.map((q) => q.type)).to.deep.equal(["A", "AAAA"]);
  });

  it("reads the configuration at each call, so a changed resolv.conf takes effect", async () => {
    let conf = testConf([server.nameServer(4)]);
    const c = new DnsClient({ conf: () => conf, transport });
    await c.query("v4.netdb.test", ["A"]);
    conf = testConf([second.nameServer(4)]);
    await c.query("v4.netdb.test", ["A"]);
    expect([server.count(), second.count()]).to.deep.equal([1, 1]);
  });
});
