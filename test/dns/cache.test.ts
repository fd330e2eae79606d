import { expect } from "chai";
import { decodeMessage, encodeQuery } from "../../src/dns/message.js";
import { DnsCache } from "../../src/dns/cache.js";
import { responseBytes, soa, type TestResponse } from "../node/support/messages.js";

/** A clock the test moves by hand. */
class FakeClock {
  ms = 1_000_000;
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

const query = (name: string, type = "A", id = 7): Uint8Array => encodeQuery({ name, type }, { id, edns0: false });

const positive = (name: string, ttl: number): TestResponse => ({ name, type: "A", answers: [{ name, type: "A", ttl, data: "192.0.2.1" }] });

function ttlsOf(bytes: Uint8Array | undefined): number[] {
  expect(bytes, "a cached answer").to.not.equal(undefined);
  const message = decodeMessage(bytes!);
  return [...message.answers, ...message.authorities].map((rr) => rr.ttl);
}

describe("dns/cache: DnsCache", () => {
  let clock: FakeClock;
  beforeEach(() => {
    clock = new FakeClock();
  });

  it("answers a stored query until its TTL runs out, with TTLs aged and the asker's ID", () => {
    const cache = new DnsCache({ now: clock.now });
    expect(cache.store(query("a.test"), responseBytes(positive("a.test", 60)))).to.equal(true);
    clock.advance(25);
    const hit = cache.lookup(query("a.test", "A", 0x4242));
    expect(ttlsOf(hit)).to.deep.equal([35]);
    expect(decodeMessage(hit!).id).to.equal(0x4242);
    clock.advance(35);
    expect(cache.lookup(query("a.test"))).to.equal(undefined);
    expect(cache.stats()).to.include({ hits: 1, misses: 1, stored: 1, size: 0 });
  });

  it("keys on the whole query but the ID: another type, name or EDNS0 is another entry", () => {
    const cache = new DnsCache({ now: clock.now });
    cache.store(query("a.test"), responseBytes(positive("a.test", 60)));
    expect(cache.lookup(query("a.test", "AAAA"))).to.equal(undefined);
    expect(cache.lookup(query("b.test"))).to.equal(undefined);
    expect(cache.lookup(encodeQuery({ name: "a.test", type: "A" }, { id: 7, edns0: true }))).to.equal(undefined);
    expect(cache.lookup(query("a.test", "A", 9))).to.not.equal(undefined);
  });

  it("caps every TTL at maxTtl", () => {
    const cache = new DnsCache({ now: clock.now, maxTtl: 10 });
    cache.store(query("a.test"), responseBytes(positive("a.test", 86400)));
    clock.advance(9);
    expect(cache.lookup(query("a.test"))).to.not.equal(undefined);
    clock.advance(1);
    expect(cache.lookup(query("a.test"))).to.equal(undefined);
  });

  it("caches NXDOMAIN for the SOA's negative TTL (RFC 2308)", () => {
    const cache = new DnsCache({ now: clock.now });
    const nx: TestResponse = { name: "nx.test", type: "A", rcode: "NXDOMAIN", authorities: [soa("test", 3600, 30)] };
    expect(cache.store(query("nx.test"), responseBytes(nx))).to.equal(true);
    clock.advance(29);
    const hit = cache.lookup(query("nx.test"));
    expect(decodeMessage(hit!).rcode).to.equal("NXDOMAIN");
    expect(ttlsOf(hit)).to.deep.equal([3571]);
    clock.advance(1);
    expect(cache.lookup(query("nx.test"))).to.equal(undefined);
  });

  it("keeps nothing that must not be cached: SERVFAIL, no SOA, TTL 0, malformed bytes", () => {
    const cache = new DnsCache({ now: clock.now });
    expect(cache.store(query("a.test"), responseBytes({ name: "a.test", type: "A", rcode: "SERVFAIL" }))).to.equal(false);
    expect(cache.store(query("a.test"), responseBytes({ name: "a.test", type: "A", rcode: "NXDOMAIN" }))).to.equal(false);
    expect(cache.store(query("a.test"), responseBytes(positive("a.test", 0)))).to.equal(false);
    expect(cache.store(query("a.test"), new Uint8Array([1, 2, 3]))).to.equal(false);
    expect(cache.stats()).to.include({ stored: 0, size: 0 });
  });

  it("evicts the least recently used entry beyond maxEntries", () => {
    const cache = new DnsCache({ now: clock.now, maxEntries: 2 });
    cache.store(query("a.test"), responseBytes(positive("a.test", 60)));
    cache.store(query("b.test"), responseBytes(positive("b.test", 60)));
    cache.lookup(query("a.test")); // a is now more recent than b
    cache.store(query("c.test"), responseBytes(positive("c.test", 60)));
    expect(cache.lookup(query("b.test"))).to.equal(undefined);
    expect(cache.lookup(query("a.test"))).to.not.equal(undefined);
    expect(cache.lookup(query("c.test"))).to.not.equal(undefined);
    expect(cache.stats()).to.include({ evictions: 1, size: 2 });
  });

  it("drops expired entries before evicting live ones", () => {
    const cache = new DnsCache({ now: clock.now, maxEntries: 2 });
    cache.store(query("short.test"), responseBytes(positive("short.test", 5)));
    cache.store(query("long.test"), responseBytes(positive("long.test", 600)));
    clock.advance(10);
    cache.store(query("new.test"), responseBytes(positive("new.test", 600)));
    expect(cache.lookup(query("long.test"))).to.not.equal(undefined);
    expect(cache.lookup(query("new.test"))).to.not.equal(undefined);
    expect(cache.stats()).to.include({ evictions: 0, size: 2 });
  });

  it("clear() forgets answers and counters", () => {
    const cache = new DnsCache({ now: clock.now });
    cache.store(query("a.test"), responseBytes(positive("a.test", 60)));
    cache.lookup(query("a.test"));
    cache.clear();
    expect(cache.stats()).to.deep.equal({ hits: 0, misses: 0, stored: 0, evictions: 0, size: 0 });
    expect(cache.lookup(query("a.test"))).to.equal(undefined);
  });

  it("refuses nonsense limits", () => {
    expect(() => new DnsCache({ maxEntries: 0 })).to.throw(RangeError);
    expect(() => new DnsCache({ maxTtl: -1 })).to.throw(RangeError);
  });
});
