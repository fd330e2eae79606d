import { expect } from "chai";
import fc from "fast-check";
import type { InterfaceAddress, NetworkEnvironment } from "../../src/lookup/network.js";
import { configuredFamilies, filterAddrconfig, interleaveFamilies } from "../../src/node/happy-eyeballs.js";

const a = (address: string): { address: string; family: number } => ({ address, family: address.includes(":") ? 6 : 4 });
const addresses = (list: Array<{ address: string }>): string[] => list.map((x) => x.address);

function iface(address: string, name = "eth0"): InterfaceAddress {
  return { name, index: 2, family: address.includes(":") ? 6 : 4, address, prefixlen: address.includes(":") ? 64 : 24 };
}

function network(list: InterfaceAddress[]): NetworkEnvironment {
  return {
    addresses: () => list,
    indexOf: () => 0,
    nameOf: () => undefined,
    sourceFor: () => Promise.resolve(null),
  };
}

describe("node/happy-eyeballs: RFC 8305 interleaving", () => {
  const cases: Array<[string, string[], number, string[]]> = [
    ["IPv6 preferred", ["2001:db8::1", "2001:db8::2", "2001:db8::3", "192.0.2.1", "192.0.2.2"], 1, ["2001:db8::1", "192.0.2.1", "2001:db8::2", "192.0.2.2", "2001:db8::3"]],
    ["IPv4 preferred", ["192.0.2.1", "192.0.2.2", "2001:db8::1"], 1, ["192.0.2.1", "2001:db8::1", "192.0.2.2"]],
    ["First Address Family Count 2 (RFC 8305's example)", ["2001:db8::1", "2001:db8::2", "2001:db8::3", "192.0.2.1", "192.0.2.2"], 2, ["2001:db8::1", "2001:db8::2", "192.0.2.1", "2001:db8::3", "192.0.2.2"]],
    ["one family only keeps its order", ["192.0.2.3", "192.0.2.1", "192.0.2.2"], 1, ["192.0.2.3", "192.0.2.1", "192.0.2.2"]],
    ["more of the other family than the preferred", ["2001:db8::1", "192.0.2.1", "192.0.2.2", "192.0.2.3"], 1, ["2001:db8::1", "192.0.2.1", "192.0.2.2", "192.0.2.3"]],
    ["already mixed input", ["192.0.2.1", "2001:db8::1", "192.0.2.2", "2001:db8::2"], 1, ["192.0.2.1", "2001:db8::1", "192.0.2.2", "2001:db8::2"]],
    ["empty", [], 1, []],
  ];
  for (const [title, input, count, expected] of cases) {
    it(title, () => {
      expect(addresses(interleaveFamilies(input.map(a), count))).to.deep.equal(expected);
    });
  }

  it("keeps every address, keeps each family's order, and starts with the first address", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ address: fc.uuid(), family: fc.constantFrom(4, 6) })), fc.integer({ min: 1, max: 4 }), (list, count) => {
        const out = interleaveFamilies(list, count);
        expect(out).to.have.members(list);
        expect(out).to.have.length(list.length);
        for (const family of [4, 6]) {
          expect(out.filter((x) => x.family === family)).to.deep.equal(list.filter((x) => x.family === family));
        }
        if (list.length > 0) expect(out[0]).to.equal(list[0]);
      }),
    );
  });

  it("refuses a First Address Family Count below 1", () => {
    expect(() => interleaveFamilies([a("192.0.2.1")], 0)).to.throw(RangeError);
  });
});

describe("node/happy-eyeballs: AI_ADDRCONFIG", () => {
  it("counts a family only for an address other than the loopback address itself (glibc __check_pf)", () => {
    expect(configuredFamilies([iface("127.0.0.1", "lo"), iface("::1", "lo")])).to.deep.equal({ v4: false, v6: false });
    expect(configuredFamilies([iface("127.0.0.2", "lo")])).to.deep.equal({ v4: true, v6: false });
    expect(configuredFamilies([iface("192.0.2.9"), iface("fe80::1")])).to.deep.equal({ v4: true, v6: true });
  });

  const mixed = ["2001:db8::1", "192.0.2.1"].map(a);
  it("drops IPv6 on an IPv4-only machine", () => {
    expect(addresses(filterAddrconfig(mixed, network([iface("127.0.0.1", "lo"), iface("::1", "lo"), iface("192.0.2.9")])))).to.deep.equal(["192.0.2.1"]);
  });
  it("drops IPv4 on an IPv6-only machine", () => {
    expect(addresses(filterAddrconfig(mixed, network([iface("2001:db8::9")])))).to.deep.equal(["2001:db8::1"]);
  });
  it("keeps both with both, and with neither (as glibc with AF_UNSPEC)", () => {
    expect(addresses(filterAddrconfig(mixed, network([iface("2001:db8::9"), iface("192.0.2.9")])))).to.deep.equal(["2001:db8::1", "192.0.2.1"]);
    expect(addresses(filterAddrconfig(mixed, network([iface("127.0.0.1", "lo")])))).to.deep.equal(["2001:db8::1", "192.0.2.1"]);
  });
});
