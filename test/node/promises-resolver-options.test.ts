import { expect } from "chai";
import { PromisesResolver, type PromisesResolverOptions } from "../../src/node/promises-resolver.js";
import { Resolver } from "../../src/resolver.js";
import { TestDnsServer } from "../support/dnsserver.js";

const ZONE = `
$ORIGIN diff.test.
$TTL 300
@      IN SOA ns.diff.test. hostmaster.diff.test. 1 3600 900 604800 60
web    IN A   192.0.2.80
hosted IN A   192.0.2.99
`;

/** So that names outside diff.test are NXDOMAIN rather than REFUSED. */
const ROOT = `
$ORIGIN .
$TTL 300
@      IN SOA ns.diff.test. hostmaster.diff.test. 1 3600 900 604800 60
`;

const REVERSE = `
$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
@   IN SOA ns.diff.test. hostmaster.diff.test. 1 3600 900 604800 60
50  IN PTR from-dns.diff.test.
`;

/** Hosts lines checked against node:dns's reverse() with this file bind-mounted over /etc/hosts (unshare -m). */
const HOSTS = `127.0.0.1 localhost
192.0.2.50 first.test alias1 alias2
192.0.2.50 second.test alias3
2001:db8::50 six.test sixalias
192.0.2.99 hosted.diff.test
`;

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code: string }).code;
  }
  return "no error";
}

describe("node/promises-resolver: search list, hosts table, shared resolver", () => {
  let server: TestDnsServer;
  before(async () => {
    server = await TestDnsServer.start({ zones: [{ origin: ".", text: ROOT }, { origin: "diff.test.", text: ZONE }, { origin: "2.0.192.in-addr.arpa.", text: REVERSE }], ipv6: false });
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => server.reset());

  const make = (options: Omit<PromisesResolverOptions, "resolver"> = {}): PromisesResolver =>
    new PromisesResolver({
      resolver: { files: { hosts: HOSTS, "resolv.conf": "search diff.test\n" }, nameservers: [`127.0.0.1:${server.port}`], timeout: 500 },
      tries: 1,
      ...options,
    });

  describe("search list", () => {
    it("is not applied by default, as node:dns", async () => {
      const resolver = make();
      expect(await code(resolver.resolve4("web"))).to.equal("ENOTFOUND");
      // The server sees the name in random case (0x20).
      expect(server.queries.map((q) => q.name.toLowerCase())).to.deep.equal(["web"]);
    });

    it("is applied with search: true, as res_search (ndots 1: a single label tries the domain first)", async () => {
      const resolver = make({ search: true });
      expect(await resolver.resolve4("web")).to.deep.equal(["192.0.2.80"]);
      expect(server.queries.map((q) => q.name.toLowerCase())).to.deep.equal(["web.diff.test"]);
    });

    it("reports a name found nowhere as ENOTFOUND for the name given", async () => {
      const resolver = make({ search: true });
      try {
        await resolver.resolveMx("nothing");
        expect.fail("should reject");
      } catch (err) {
        expect(err).to.include({ code: "ENOTFOUND", hostname: "nothing", syscall: "queryMx", message: "queryMx ENOTFOUND nothing" });
      }
    });

    it("reports NODATA as ENODATA", async () => {
      const resolver = make({ search: true });
      expect(await code(resolver.resolveTxt("web"))).to.equal("ENODATA");
    });
  });

  describe("hosts table", () => {
    it("is not read by resolve4 by default, as node:dns", async () => {
      const resolver = make();
      expect(await code(resolver.resolve4("first.test"))).to.equal("ENOTFOUND");
    });

    it("answers resolve4/resolve6 first with hosts: true, with TTL 0", async () => {
      const resolver = make({ hosts: true });
      expect(await resolver.resolve4("first.test")).to.deep.equal(["192.0.2.50"]);
      expect(await resolver.resolve4("ALIAS3", { ttl: true })).to.deep.equal([{ address: "192.0.2.50", ttl: 0 }]);
      expect(await resolver.resolve6("sixalias")).to.deep.equal(["2001:db8::50"]);
      expect(await resolver.resolve("six.test", "AAAA")).to.deep.equal(["2001:db8::50"]);
      expect(server.count()).to.equal(0);
      // Another family falls through to DNS.
      expect(await code(resolver.resolve6("first.test"))).to.equal("ENOTFOUND");
    });

    // What node:dns's reverse() returned with HOSTS as /etc/hosts: c-ares
    // merges the lines of an address and node:dns reports the names after
    // the first; a line with one name gives an empty list, not DNS.
    const nodeShape: Array<[string, string[]]> = [
      ["192.0.2.50", ["alias1", "alias2", "second.test", "alias3"]],
      ["2001:db8::50", ["sixalias"]],
      ["2001:db8:0::50", ["sixalias"]],
      ["127.0.0.1", []],
    ];
    for (const [address, names] of nodeShape) {
      it(`reverse(${address}) reads it by default, in node:dns's shape`, async () => {
        expect(await make().reverse(address)).to.deep.equal(names);
        expect(server.count()).to.equal(0);
      });
    }

    it("reverse() reports every name with hosts: true, canonical names first", async () => {
      expect(await make({ hosts: true }).reverse("192.0.2.50")).to.deep.equal(["first.test", "alias1", "alias2", "second.test", "alias3"]);
    });

    it("is never read with hosts: false", async () => {
      expect(await make({ hosts: false }).reverse("192.0.2.50")).to.deep.equal(["from-dns.diff.test"]);
    });

    it("reverse() asks DNS for an address the table does not have", async () => {
      expect(await code(make().reverse("192.0.2.51"))).to.equal("ENOTFOUND");
      expect(server.queries.map((q) => `${q.name.toLowerCase()} ${q.type}`)).to.deep.equal(["51.2.0.192.in-addr.arpa PTR"]);
    });
  });

  describe("a shared netdb Resolver", () => {
    it("sends each lookup's own query by default, as glibc", async () => {
      const resolver = make();
      await Promise.all([resolver.resolve4("web.diff.test"), resolver.resolve4("web.diff.test"), resolver.resolve4("web.diff.test")]);
      expect(server.count()).to.equal(3);
    });

    it("merges identical queries in flight into one with mergeQueries", async () => {
      const resolver = new PromisesResolver({
        resolver: { files: { hosts: HOSTS, "resolv.conf": "search diff.test\n" }, nameservers: [`127.0.0.1:${server.port}`], timeout: 500, mergeQueries: true },
        tries: 1,
      });
      const results = await Promise.all([resolver.resolve4("web.diff.test"), resolver.resolve4("web.diff.test"), resolver.resolve4("web.diff.test")]);
      expect(results).to.deep.equal([["192.0.2.80"], ["192.0.2.80"], ["192.0.2.80"]]);
      expect(server.count()).to.equal(1);
    });

    it("answers from the Resolver's cache, with TTLs that count down", async () => {
      let now = 0;
      const netdb = new Resolver({ files: {}, nameservers: [`127.0.0.1:${server.port}`], cache: { now: () => now } });
      const resolver = new PromisesResolver({ resolver: netdb });
      expect(await resolver.resolve4("web.diff.test", { ttl: true })).to.deep.equal([{ address: "192.0.2.80", ttl: 300 }]);
      now += 100_000;
      expect(await resolver.resolve4("web.diff.test", { ttl: true })).to.deep.equal([{ address: "192.0.2.80", ttl: 200 }]);
      expect(await code(resolver.resolve4("nowhere.diff.test"))).to.equal("ENOTFOUND");
      expect(await code(resolver.resolve4("nowhere.diff.test"))).to.equal("ENOTFOUND");
      expect(server.count()).to.equal(2);
      expect(netdb.cache!.stats()).to.include({ hits: 2, misses: 2 });
      // The getaddrinfo of the same Resolver shares the cache.
      expect((await netdb.getaddrinfo("web.diff.test", 80, 2, 1))[0]![4]).to.deep.equal(["192.0.2.80", 80]);
      expect(server.queries.filter((q) => q.type === "A").length).to.equal(2);
      netdb.cache!.clear();
      expect(await resolver.resolve4("web.diff.test")).to.deep.equal(["192.0.2.80"]);
      expect(server.queries.filter((q) => q.type === "A").length).to.equal(3);
    });
  });
});
