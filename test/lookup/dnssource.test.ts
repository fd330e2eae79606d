import { expect } from "chai";
import { HOST_NOT_FOUND, NO_DATA, NO_RECOVERY, TRY_AGAIN } from "../../src/constants.js";
import { DnsClient } from "../../src/dns/client.js";
import { NetTransport } from "../../src/dns/transport/net.js";
import { parseResolvConf } from "../../src/files/resolvconf.js";
import { formatAddress } from "../../src/inet.js";
import { dnsModule, isHostNameText } from "../../src/lookup/dnssource.js";
import type { HostsModule } from "../../src/lookup/sources.js";
import type { AddrTuple, HostEnt } from "../../src/lookup/hostent.js";
import { answerOf } from "./support/modules.js";
import { TestDnsServer } from "../support/dnsserver.js";

const ZONE = `
$ORIGIN test.
$TTL 300
@        IN SOA ns.test. hostmaster.test. 1 3600 900 604800 300
@        IN NS  ns.test.
ns       IN A   127.0.0.1
dual     IN A   192.0.2.10
dual     IN AAAA 2001:db8::10
www      IN CNAME dual
v4       IN A   192.0.2.4
txt      IN TXT "no address"
loop     IN CNAME loop
`;

const REVERSE = `
$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
@   IN SOA ns.test. hostmaster.test. 1 3600 900 604800 300
10  IN PTR dual.test.
11  IN TXT "no ptr"
`;

describe("lookup/dnssource: nss_dns over the DNS client", function () {
  let server: TestDnsServer;
  let transport: NetTransport;
  let dns: HostsModule;

  before(async () => {
    server = await TestDnsServer.start({ zones: [{ origin: "test.", text: ZONE }, { origin: "2.0.192.in-addr.arpa.", text: REVERSE }], ipv6: false });
    transport = new NetTransport();
    const conf = { ...parseResolvConf("search test\noptions timeout:1 attempts:1\n", {}), nameservers: [server.nameServer(4)] };
    dns = dnsModule(new DnsClient({ conf: () => conf, transport }), {});
  });

  after(async () => {
    await transport.close();
    await server.stop();
  });

  it("gethostbyname4: A then AAAA, the canonical name on the first, success", async () => {
    const r = await answerOf<AddrTuple[]>((sink) => dns.byName4("www", sink));
    expect(r.status).to.equal("success");
    expect(r.value!.map((t) => [t.name, formatAddress(t.address)])).to.deep.equal([["dual.test", "192.0.2.10"], [undefined, "2001:db8::10"]]);
    expect(r.herrno).to.equal(0);
  });

  it("gethostbyname4: h_errno is the AAAA answer's verdict (HOST_NOT_FOUND for an empty one)", async () => {
    const r = await answerOf<AddrTuple[]>((sink) => dns.byName4("v4.test", sink));
    expect([r.status, r.herrno]).to.deep.equal(["success", HOST_NOT_FOUND]);
  });

  it("gethostbyname3: the CNAME chain as aliases", async () => {
    const r = await answerOf<HostEnt>((sink) => dns.byName3("www", 4, true, undefined, sink));
    expect([r.value!.name, r.value!.aliases, r.value!.addresses.map(formatAddress), r.canon]).to.deep.equal(["dual.test", ["www.test"], ["192.0.2.10"], "dual.test"]);
  });

  it("res_search failures: NXDOMAIN, NODATA", async () => {
    const nx = await answerOf<HostEnt>((sink) => dns.byName3("nosuch.test.", 4, true, undefined, sink));
    expect([nx.status, nx.herrno, nx.resolverHErrno]).to.deep.equal(["notfound", HOST_NOT_FOUND, HOST_NOT_FOUND]);
    const nodata = await answerOf<HostEnt>((sink) => dns.byName3("txt.test.", 4, true, undefined, sink));
    expect([nodata.status, nodata.herrno]).to.deep.equal(["notfound", NO_DATA]);
  });

  it("an answer without addresses (a CNAME loop) is TRYAGAIN with NO_RECOVERY for gethostbyname3, NOTFOUND for gethostbyname4", async () => {
    const three = await answerOf<HostEnt>((sink) => dns.byName3("loop.test.", 4, true, undefined, sink));
    expect([three.status, three.herrno]).to.deep.equal(["tryagain", NO_RECOVERY]);
    const four = await answerOf<AddrTuple[]>((sink) => dns.byName4("loop.test.", sink));
    expect([four.status, four.herrno]).to.deep.equal(["notfound", HOST_NOT_FOUND]);
  });

  it("refuses names that are no host names without asking, except in gethostbyname3 for AI_CANONNAME", async () => {
    const before = server.count();
    expect(await answerOf<AddrTuple[]>((sink) => dns.byName4("sp ace.test", sink))).to.deep.equal({ status: "notfound", herrno: HOST_NOT_FOUND });
    expect(await answerOf<HostEnt>((sink) => dns.byName3("-dash.test", 4, true, undefined, sink))).to.deep.equal({ status: "notfound", herrno: HOST_NOT_FOUND });
    expect(server.count()).to.equal(before);
    await answerOf<HostEnt>((sink) => dns.byName3("under_score.test.", 4, false, undefined, sink));
    expect(server.count()).to.be.greaterThan(before);
  });

  it("the empty name fails with NO_RECOVERY and no query, as glibc's res_search does", async () => {
    const before = server.count();
    expect(await answerOf<HostEnt>((sink) => dns.byName3("", 4, true, undefined, sink))).to.deep.equal({ status: "notfound", herrno: NO_RECOVERY, resolverHErrno: NO_RECOVERY });
    expect(server.count()).to.equal(before);
  });

  it("gethostbyaddr: the PTR name; an IPv4-mapped address is asked as IPv4 and answers as IPv4", async () => {
    const v4 = await answerOf<HostEnt>((sink) => dns.byAddr(Uint8Array.of(192, 0, 2, 10), 4, sink));
    expect([v4.value!.name, v4.value!.family]).to.deep.equal(["dual.test", 4]);
    const mapped = await answerOf<HostEnt>((sink) => dns.byAddr(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 10), 6, sink));
    expect([mapped.value!.name, mapped.value!.family, formatAddress(mapped.value!.addresses[0]!)]).to.deep.equal(["dual.test", 4, "192.0.2.10"]);
    const nodata = await answerOf<HostEnt>((sink) => dns.byAddr(Uint8Array.of(192, 0, 2, 11), 4, sink));
    expect([nodata.status, nodata.herrno]).to.deep.equal(["notfound", NO_DATA]);
  });

  it("a server that cannot be reached makes nss_dns UNAVAIL with TRY_AGAIN", async () => {
    const conf = { ...parseResolvConf("options timeout:1 attempts:1\n", {}), nameservers: [{ address: "127.0.0.1", port: 9, family: 4 as const }] };
    const refused = dnsModule(new DnsClient({ conf: () => conf, transport }), {});
    const r = await answerOf<HostEnt>((sink) => refused.byName3("dual.test.", 4, true, undefined, sink));
    expect([r.status, r.herrno]).to.deep.equal(["unavail", TRY_AGAIN]);
  });

  it("res_hnok for names as written", () => {
    const cases: Array<[string, boolean]> = [
      ["www.example", true], ["under_score.example", true], ["", true], ["trailing.", true],
      ["-dash.example", false], ["sp ace", false], ["a..b", false], [`${"a".repeat(63)}.b`, true], [`${"a".repeat(64)}.b`, false],
      [`${"a.".repeat(126)}a`, true], [`${"a.".repeat(127)}a`, false],
    ];
    for (const [name, ok] of cases) expect(isHostNameText(name), name).to.equal(ok);
  });
});
