import { expect } from "chai";
import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { AF_INET, SOCK_STREAM } from "../src/constants.js";
import { GaiError } from "../src/errors.js";
import { getDefaultResolver } from "../src/index.js";
import { Resolver } from "../src/resolver.js";
import { NetTransport } from "../src/dns/transport/net.js";
import type { Transport } from "../src/dns/transport/transport.js";
import type { TraceEvent } from "../src/trace.js";
import { LOOPBACK_ONLY } from "./lookup/support/context.js";
import { TestDnsServer } from "./support/dnsserver.js";

const ZONE = `
$ORIGIN test.
$TTL 300
@     IN SOA ns.test. hostmaster.test. 1 3600 900 604800 300
@     IN NS  ns.test.
www   IN A   192.0.2.1
www   IN AAAA 2001:db8::1
slow  IN A   192.0.2.2
`;

describe("Resolver", function () {
  let server: TestDnsServer;
  const resolvers: Resolver[] = [];

  /** A resolver over given files and the test server, closed after each test. */
  function make(options: ConstructorParameters<typeof Resolver>[0] = {}): Resolver {
    const resolver = new Resolver({
      files: { hosts: "127.0.0.1 localhost\n::1 localhost\n192.0.2.99 filehost\n", "resolv.conf": "search test\noptions timeout:1 attempts:1\n" },
      nameservers: [`127.0.0.1:${server.port}`],
      network: LOOPBACK_ONLY,
      env: {},
      ...options,
    });
    resolvers.push(resolver);
    return resolver;
  }

  before(async () => {
    server = await TestDnsServer.start({ zones: [{ origin: "test.", text: ZONE }], ipv6: false });
  });
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((r) => r.close()));
    server.reset();
  });
  after(() => server.stop());

  describe("configuration", () => {
    it("applies its options over resolv.conf", () => {
      const conf = make({
        files: { "resolv.conf": "nameserver 192.0.2.53\nsearch a.example\noptions ndots:3 timeout:4 attempts:5\n" },
        nameservers: ["127.0.0.1:5353", "[::1]:53"], search: ["b.example"], ndots: 2, timeout: 250, attempts: 1,
        rotate: true, edns0: true, useTcp: true,
      }).resolvConf();
      expect(conf.nameservers).to.deep.equal([{ address: "127.0.0.1", port: 5353, family: 4 }, { address: "::1", port: 53, family: 6 }]);
      expect([conf.search, conf.ndots, conf.timeout, conf.attempts, conf.rotate, conf.edns0, conf.useVc]).to.deep.equal([["b.example"], 2, 250, 1, true, true, true]);
    });

    it("keeps resolv.conf's settings where no option is given", () => {
      const conf = make({ files: { "resolv.conf": "search a.example\noptions ndots:3\n" }, nameservers: undefined }).resolvConf();
      expect([conf.search, conf.ndots]).to.deep.equal([["a.example"], 3]);
    });

    it("refuses a name server it cannot read at once", () => {
      expect(() => new Resolver({ nameservers: ["dns.example:53"] })).to.throw(TypeError, "dns.example:53");
    });

    it("gethostname: the option, else the given root's etc/hostname, else os.hostname()", () => {
      expect(make({ hostname: "given.example" }).gethostname()).to.equal("given.example");
      expect(make({ files: { hostname: "fromfile.example\n" } }).gethostname()).to.equal("fromfile.example");
      expect(make({ files: {} }).gethostname()).to.equal(os.hostname());
      expect(new Resolver({ network: LOOPBACK_ONLY }).gethostname()).to.equal(os.hostname());
    });

    it("takes the default search domain from the host name, as glibc does", () => {
      const conf = make({ files: { hostname: "bender.edge.test\n", "resolv.conf": "nameserver 127.0.0.1\n" } }).resolvConf();
      expect(conf.search).to.deep.equal(["edge.test"]);
    });

    it("re-reads its files when they change (host.conf's multi here)", async function () {
      this.timeout(5000);
      const root = mkdtempSync(join(os.tmpdir(), "netdb-resolver-"));
      try {
        mkdirSync(join(root, "etc"));
        writeFileSync(join(root, "etc", "hosts"), "192.0.2.1 twice\n192.0.2.2 twice\n");
        writeFileSync(join(root, "etc", "nsswitch.conf"), "hosts: files\n");
        writeFileSync(join(root, "etc", "host.conf"), "multi off\n");
        const resolver = make({ root, files: undefined });
        expect((await resolver.gethostbyname_ex("twice"))[2]).to.deep.equal(["192.0.2.1"]);
        writeFileSync(join(root, "etc", "host.conf"), "multi on\n");
        utimesSync(join(root, "etc", "host.conf"), new Date(), new Date(Date.now() + 5000));
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect((await resolver.gethostbyname_ex("twice"))[2]).to.deep.equal(["192.0.2.1", "192.0.2.2"]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    it("sorts by the precedence table of a given gai.conf", async () => {
      const plain = await make().getaddrinfo(null, 80, 0, SOCK_STREAM);
      const preferV4 = await make({ files: { "gai.conf": "precedence ::ffff:0:0/96 100\n" } }).getaddrinfo(null, 80, 0, SOCK_STREAM);
      expect(plain.map((t) => t[4][0])).to.deep.equal(["::1", "127.0.0.1"]);
      expect(preferV4.map((t) => t[4][0])).to.deep.equal(["127.0.0.1", "::1"]);
    });
  });

  describe("lookups", () => {
    it("answers from the files and from DNS", async () => {
      const resolver = make();
      expect(await resolver.gethostbyname("filehost")).to.equal("192.0.2.99");
      expect(await resolver.gethostbyname("www")).to.equal("192.0.2.1");
      expect(await resolver.getaddrinfo("www", 80, AF_INET, SOCK_STREAM)).to.deep.equal([[AF_INET, SOCK_STREAM, 6, "", ["192.0.2.1", 80]]]);
      expect(await resolver.getnameinfo(["192.0.2.99", 22], 0)).to.deep.equal(["filehost", "ssh"]);
      expect(await resolver.getfqdn("localhost")).to.equal("localhost");
      expect(resolver.getservbyname("http")).to.equal(80);
    });

    it("a transport of the user's with only exchange (no send) answers every lookup, with and without the cache and merger over it", async () => {
      for (const cache of [false, true]) {
        const net = new NetTransport();
        let exchanges = 0;
        const transport: Transport = {
          exchange: (request) => {
            exchanges++;
            return net.exchange(request);
          },
          close: () => net.close(),
        };
        const resolver = make({ transport, cache });
        expect(await resolver.gethostbyname("www")).to.equal("192.0.2.1");
        expect(await resolver.getaddrinfo("www", 80, AF_INET, SOCK_STREAM)).to.deep.equal([[AF_INET, SOCK_STREAM, 6, "", ["192.0.2.1", 80]]]);
        const err = await resolver.getaddrinfo("nosuch.test.", 80).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(GaiError).with.property("code", "EAI_NONAME");
        expect(exchanges).to.be.above(0);
        await net.close();
      }
    });

    it("errors carry the name looked up and the servers asked", async () => {
      const err = await make().getaddrinfo("nosuch.test.", 80).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(GaiError).with.property("code", "EAI_NONAME");
      expect(err).to.have.property("hostname", "nosuch.test.");
      expect((err as GaiError).servers).to.deep.equal([`127.0.0.1:${server.port}`]);
    });

    it("accepts a trailing { signal } on every method, and aborts with it", async () => {
      server.misbehave({ name: "slow.test", behaviour: { kind: "delay", ms: 2000 } });
      const resolver = make();
      const controller = new AbortController();
      const started = Date.now();
      const pending = resolver.getaddrinfo("slow.test.", 80, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error("stop")), 50);
      await pending.then(() => expect.fail("resolved"), (e: unknown) => expect(e).to.have.property("message", "stop"));
      expect(Date.now() - started).to.be.lessThan(1000);
      expect(await resolver.gethostbyname("www", { signal: new AbortController().signal })).to.equal("192.0.2.1");
    });

    it("the table lookups take the options object too", () => {
      const resolver = make();
      expect(resolver.getservbyname("https", "udp", {})).to.equal(443);
      expect(resolver.getservbyname("http", {})).to.equal(80);
      expect(resolver.getservbyport(22, {})).to.equal("ssh");
      const aborted = AbortSignal.abort(new Error("no"));
      expect(() => resolver.getprotobyname("tcp", { signal: aborted })).to.throw("no");
    });

    it("aborts every lookup with its own signal", async () => {
      const controller = new AbortController();
      controller.abort(new Error("resolver closed for business"));
      await make({ signal: controller.signal }).gethostbyname("www").then(() => expect.fail("resolved"), (e: unknown) => {
        expect(e).to.have.property("message", "resolver closed for business");
      });
    });

    it("reports the steps of a lookup to its tracer", async () => {
      const events: TraceEvent[] = [];
      await make({ tracer: (e) => events.push(e) }).getaddrinfo("www", 80, 0, SOCK_STREAM);
      const kinds = events.map((e) => e.kind);
      expect(kinds).to.include.members(["source", "search", "query", "response", "sort"]);
      expect(events.filter((e) => e.kind === "source")).to.deep.equal([
        { kind: "source", source: "files", name: "www", result: "notfound" },
        { kind: "source", source: "dns", name: "www", result: "found" },
      ]);
    });
  });

  describe("close", () => {
    it("closes the transport it made", async () => {
      const resolver = make();
      await resolver.close();
      await resolver.gethostbyname("www").then(() => expect.fail("resolved"), (e: unknown) => expect(String(e)).to.include("after close"));
    });

    it("leaves a transport it was given to its owner", async () => {
      let closed = false;
      const transport: Transport = { exchange: () => Promise.reject(new Error("unused")), close: async () => void (closed = true) };
      await make({ transport }).close();
      expect(closed).to.equal(false);
    });
  });

  it("the module functions share one default resolver, built on first use", () => {
    expect(getDefaultResolver()).to.equal(getDefaultResolver());
  });
});
