/**
 * interceptDns itself: node:dns swapped and put back exactly (the module,
 * dns.promises, node:dns/promises and ES modules' named imports), one
 * interception at a time, every question logged with its API and answer,
 * misses loud unless NXDOMAIN is asked for, no packet sent, and the other
 * sources: a world directory, a Resolver, faults on top, record mode.
 */
import { expect } from "chai";
import dgram from "node:dgram";
import dns, { lookup as namedLookup, Resolver as NamedResolver } from "node:dns";
import * as dnsPromisesModule from "node:dns/promises";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ZoneTransport } from "../../src/dns/transport/zone.js";
import { Resolver } from "../../src/resolver.js";
import { parseZoneText } from "../../src/zone/zonefile.js";
import { interceptDns, RECORD_ENV } from "../../src/testing/index.js";
import { TestDnsServer } from "../support/dnsserver.js";
import { SHOP_HOSTS, SHOP_ZONE } from "./shop-world.js";

const SEED_WORLD = fileURLToPath(new URL("../../fixtures/seed-world", import.meta.url));
const world = { hosts: SHOP_HOSTS, zone: SHOP_ZONE };

/** Every own property descriptor of an object, to compare before and after. */
function descriptors(o: object): Record<string, PropertyDescriptor> {
  return Object.getOwnPropertyDescriptors(o);
}

/** The callback API as a promise. */
function callback<T>(call: (cb: (err: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value))));
}

describe("interceptDns", function () {
  this.timeout(20_000);

  describe("swapping node:dns", () => {
    it("replaces the functions of node:dns, dns.promises, node:dns/promises and named imports, and restore() puts back the very same ones", async () => {
      const before = { dns: descriptors(dns), promises: descriptors(dns.promises), lookup: namedLookup, Resolver: NamedResolver, esm: dnsPromisesModule.lookup };
      const handle = interceptDns(world);
      expect(dns.lookup).to.not.equal(before.dns.lookup!.value);
      expect(dns.promises.lookup).to.not.equal(before.promises.lookup!.value);
      expect(namedLookup, "the named import follows").to.equal(dns.lookup);
      expect(NamedResolver).to.equal(dns.Resolver);
      expect(dnsPromisesModule.lookup, "node:dns/promises is dns.promises").to.equal(dns.promises.lookup);
      expect(await dnsPromisesModule.lookup("db.internal")).to.deep.equal({ address: "127.0.0.20", family: 4 });
      await handle.restore();
      expect(descriptors(dns)).to.deep.equal(before.dns);
      expect(descriptors(dns.promises)).to.deep.equal(before.promises);
      expect([namedLookup, NamedResolver, dnsPromisesModule.lookup]).to.deep.equal([before.lookup, before.Resolver, before.esm]);
    });

    it("allows one interception at a time, and another after restore()", async () => {
      const first = interceptDns(world);
      expect(() => interceptDns(world)).to.throw(/already intercepted/);
      await first.restore();
      await first.restore();
      const second = interceptDns({ hosts: "127.0.0.99 second.test\n" });
      expect(await dns.promises.lookup("second.test")).to.deep.equal({ address: "127.0.0.99", family: 4 });
      await second.restore();
    });
  });

  describe("refusing what is not a world, before touching node:dns", () => {
    const lookup = dns.lookup;
    const bad: Array<[string, unknown, RegExp]> = [
      ["a number", 42, /not 42/],
      ["a misspelt key", { hosts: "", zones: "" }, /not zones/],
      ["hosts that are not text", { hosts: ["127.0.0.1 a"] }, /hosts must be the text/],
      ["a zone that is not text", { zone: [1] }, /zone must be zone-file text/],
    ];
    for (const [what, source, message] of bad) {
      it(what, () => {
        expect(() => interceptDns(source as never)).to.throw(TypeError, message);
        expect(dns.lookup).to.equal(lookup);
      });
    }
    it("zone text that does not load, naming the zone and line", () => {
      expect(() => interceptDns({ zone: "$ORIGIN a.test.\n$TTL 5\nwww A 192.0.2.300\n" })).to.throw(/^inline zone 1:3: bad IPv4 address 192\.0\.2\.300$/);
      expect(dns.lookup).to.equal(lookup);
    });
  });

  describe("an inline world", () => {
    let handle: ReturnType<typeof interceptDns>;
    beforeEach(() => {
      handle = interceptDns(world);
    });
    afterEach(() => handle.restore());

    it("logs every question with the API that asked it and its answer or error", async () => {
      await callback<string>((cb) => dns.lookup("api.shop.test", 6, cb));
      await callback((cb) => dns.resolve("shop.test", "MX", cb));
      await new dns.promises.Resolver().resolveTxt("shop.test");
      await callback((cb) => new dns.Resolver().resolve4("www.shop.test", cb));
      await dns.promises.lookupService("127.0.0.20", 80);
      await dns.promises.resolve4("nosuch.shop.test").catch(() => undefined);
      expect(handle.questions.map(({ api, name, type, answer, error }) => [api, name, type, answer ?? (error as { code: string }).code])).to.deep.equal([
        ["dns.lookup", "api.shop.test", "AAAA", { address: "::1", family: 6 }],
        ["dns.resolve", "shop.test", "MX", [{ exchange: "mail.shop.test", priority: 10 }]],
        ["dns.promises.Resolver#resolveTxt", "shop.test", "TXT", [["v=spf1 -all", "second string"]]],
        ["dns.Resolver#resolve4", "www.shop.test", "A", ["127.0.0.10"]],
        ["dns.promises.lookupService", "127.0.0.20", "PTR", { hostname: "db.internal", service: "http" }],
        ["dns.promises.resolve4", "nosuch.shop.test", "A", "ENOTFOUND"],
      ]);
    });

    it("lists what the world had that nobody asked", async () => {
      await dns.promises.lookup("www.shop.test", { all: true });
      await dns.promises.lookup("db", { family: 4 });
      const unused = handle.unused().map((u) => `${u.from} ${u.name} ${u.type}`);
      expect(unused).to.include.members(["hosts cache.internal A", "zone mail.shop.test A", "zone shop.test NAPTR"]);
      expect(unused).to.not.include.members(["hosts db.internal A", "zone api.shop.test A", "zone www.shop.test CNAME", "zone api.shop.test AAAA"]);
    });

    it("fails a name the world does not have loudly, naming the query", async () => {
      const err = (await dns.promises.lookup("api.elsewhere.example").catch((e: unknown) => e)) as Error;
      expect([err.name, err.message]).to.deep.equal(["ZoneMissError", "api.elsewhere.example A is in no zone of the inline world: add it to the world, or answer such names NXDOMAIN with nxdomainOnMiss"]);
      const mx = (await callback((cb) => dns.resolveMx("mail.elsewhere.example", cb)).catch((e: unknown) => e)) as Error;
      expect(mx.message).to.match(/^mail\.elsewhere\.example MX is in no zone of the inline world/);
    });

    it("sends no packet and opens no connection while it answers", async () => {
      const proto = { udp: dgram.Socket.prototype as unknown as Record<string, unknown>, tcp: net.Socket.prototype as unknown as Record<string, unknown> };
      const originals = { send: proto.udp.send, connect: proto.tcp.connect };
      let packets = 0;
      proto.udp.send = function (this: unknown, ...args: unknown[]) {
        packets++;
        return (originals.send as (...a: unknown[]) => unknown).apply(this, args);
      };
      proto.tcp.connect = function (this: unknown, ...args: unknown[]) {
        packets++;
        return (originals.connect as (...a: unknown[]) => unknown).apply(this, args);
      };
      try {
        await Promise.all([
          dns.promises.lookup("many.shop.test", { all: true }),
          dns.promises.resolveTxt("shop.test"),
          dns.promises.resolveNaptr("shop.test"),
          dns.promises.resolveSrv("_imaps._tcp.shop.test"),
          dns.promises.lookup("nosuch.shop.test").catch(() => undefined),
          dns.promises.lookup("elsewhere.example").catch(() => undefined),
        ]);
      } finally {
        proto.udp.send = originals.send;
        proto.tcp.connect = originals.connect;
      }
      expect(packets).to.equal(0);
    });
  });

  it("answers a name in no zone NXDOMAIN with nxdomainOnMiss", async () => {
    const handle = interceptDns(world, { nxdomainOnMiss: true });
    try {
      const err = (await dns.promises.lookup("api.elsewhere.example").catch((e: unknown) => e)) as NodeJS.ErrnoException;
      expect([err.code, err.message]).to.deep.equal(["ENOTFOUND", "getaddrinfo ENOTFOUND api.elsewhere.example"]);
    } finally {
      await handle.restore();
    }
  });

  it("answers from a recorded world directory, and lists the recordings nobody used", async () => {
    const handle = interceptDns(SEED_WORLD);
    const homer = () => handle.unused().filter((u) => u.from === "recording" && `${u.name} ${u.type}` === "homer.hellfly.net A").length;
    try {
      const before = homer();
      expect(await dns.promises.lookup("homer", { family: 4 })).to.deep.equal({ address: "67.215.65.132", family: 4 });
      expect(homer()).to.equal(before - 1);
    } finally {
      await handle.restore();
    }
  });

  it("answers from a Resolver given as it is", async () => {
    const resolver = new Resolver({ files: { hosts: "127.0.0.7 given.test\n", "nsswitch.conf": "hosts: files\n" } });
    const handle = interceptDns(resolver);
    try {
      expect(handle.resolver).to.equal(resolver);
      expect(await dns.promises.lookup("given.test")).to.deep.equal({ address: "127.0.0.7", family: 4 });
    } finally {
      await handle.restore();
    }
    expect(() => interceptDns(resolver, { record: { server: "127.0.0.1" } })).to.throw(TypeError, /record mode needs a world directory/);
  });

  it("applies faults on top of a Resolver's own transport, and leaves that transport open", async () => {
    const files = { hosts: "", "resolv.conf": "nameserver 127.0.53.1\n", "nsswitch.conf": "hosts: files dns\n" };
    const resolver = new Resolver({ files, transport: new ZoneTransport([parseZoneText(SHOP_ZONE)]) });
    const handle = interceptDns(resolver, { faults: { rules: [{ fault: { kind: "rcode", rcode: "REFUSED" }, name: "api.shop.test" }] }, resolver: { timeout: 100, attempts: 1 } });
    try {
      expect(handle.resolver).to.not.equal(resolver);
      expect(((await dns.promises.resolve4("api.shop.test").catch((e: unknown) => e)) as NodeJS.ErrnoException).code).to.equal("EREFUSED");
      expect(await dns.promises.resolve4("mail.shop.test")).to.deep.equal(["127.0.0.13"]);
    } finally {
      await handle.restore();
    }
    expect(await resolver.gethostbyname("api.shop.test")).to.equal("127.0.0.10");
    expect(handle.unused().map((u) => `${u.name} ${u.type}`)).to.not.include("mail.shop.test A");
  });

  it("applies faults on top of the world, and lists them", async () => {
    const handle = interceptDns(world, {
      faults: { seed: 3, rules: [{ fault: { kind: "rcode", rcode: "SERVFAIL" }, name: "api.shop.test" }] },
      resolver: { timeout: 100, attempts: 1 },
    });
    try {
      const resolve = (await dns.promises.resolve4("api.shop.test").catch((e: unknown) => e)) as NodeJS.ErrnoException;
      const lookup = (await dns.promises.lookup("api.shop.test", 4).catch((e: unknown) => e)) as NodeJS.ErrnoException;
      expect([resolve.code, lookup.code]).to.deep.equal(["ESERVFAIL", "EAI_AGAIN"]);
      expect(await dns.promises.resolve4("mail.shop.test")).to.deep.equal(["127.0.0.13"]);
      // c-ares' tries for resolve4, glibc's for lookup: every one met the fault, at both servers.
      expect(new Set(handle.faults().map((f) => `${f.name} ${f.type} ${f.server} ${f.fault.kind}`))).to.deep.equal(new Set([
        "api.shop.test A 127.0.53.1:53 rcode", "api.shop.test A 127.0.53.2:53 rcode",
      ]));
    } finally {
      await handle.restore();
    }
  });

  describe("record mode", () => {
    let server: TestDnsServer;
    let dir: string;
    before(async () => {
      server = await TestDnsServer.start({ zones: [{ origin: "shop.test", text: SHOP_ZONE }], ipv6: false });
    });
    after(() => server.stop());
    beforeEach(() => {
      dir = join(mkdtempSync(join(tmpdir(), "netdb-record-")), "world");
      server.reset();
    });
    afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

    it("asks the named loopback server what the world lacks, appends it, and replays it offline", async () => {
      const recording = interceptDns(dir, { record: { server: `127.0.0.1:${server.port}` } });
      const live = await dns.promises.resolveMx("shop.test");
      await dns.promises.resolveMx("shop.test");
      await recording.restore();
      expect(server.count()).to.equal(1);
      expect(readFileSync(join(dir, "exchanges.jsonl"), "utf8").trim().split("\n")).to.have.length(1);

      const replay = interceptDns(dir);
      try {
        expect(await dns.promises.resolveMx("shop.test")).to.deep.equal(live);
        expect(replay.unused()).to.deep.equal([]);
        expect(server.count()).to.equal(1);
        expect(((await dns.promises.resolveTxt("shop.test").catch((e: unknown) => e)) as Error).name).to.equal("ReplayMissError");
      } finally {
        await replay.restore();
      }
    });

    it("is turned on by NETDB_RECORD", async () => {
      process.env[RECORD_ENV] = `127.0.0.1:${server.port}`;
      try {
        const handle = interceptDns(dir);
        expect(await dns.promises.resolve4("api.shop.test")).to.deep.equal(["127.0.0.10"]);
        await handle.restore();
      } finally {
        delete process.env[RECORD_ENV];
      }
      expect(server.count()).to.equal(1);
    });

    it("refuses a server off loopback unless allowed", async () => {
      expect(() => interceptDns(dir, { record: { server: "192.0.2.53" } })).to.throw(TypeError, /record mode asks only loopback servers, not 192\.0\.2\.53/);
      const allowed = interceptDns(dir, { record: { server: "192.0.2.53", allowNonLoopback: true } });
      await allowed.restore();
    });

    it("needs a world directory, not an inline world", () => {
      expect(() => interceptDns(world, { record: { server: "127.0.0.1" } })).to.throw(TypeError, /record mode needs a world directory/);
    });
  });
});
