import { expect } from "chai";
import { formatAddress, parseIPv4, parseIPv6 } from "../../src/inet.js";
import { parseGaiConf } from "../../src/files/gaiconf.js";
import { destinationOrder, type SortCandidate, type SourceInfo } from "../../src/lookup/sort.js";

const bytes = (text: string): Uint8Array => (parseIPv4(text) ?? parseIPv6(text))!;

/** A destination reached from `source` (or unreachable), with the interface facts glibc would find. */
function dest(address: string, source?: string, facts: Partial<Omit<SourceInfo, "address">> = {}): SortCandidate {
  if (source === undefined) return { address: bytes(address), source: undefined };
  return {
    address: bytes(address),
    source: { address: bytes(source), prefixlen: 0, index: 1, deprecated: false, homeAddress: false, native: true, ...facts },
  };
}

const sorted = (cands: SortCandidate[], policy?: Parameters<typeof destinationOrder>[1]) =>
  destinationOrder(cands, policy).map((i) => formatAddress(cands[i]!.address));

describe("lookup/sort: glibc's rfc3484_sort", () => {
  it("rule 1: destinations without a source address go last", () => {
    expect(sorted([dest("2001:db8::1"), dest("192.0.2.1", "192.168.1.17")])).to.deep.equal(["192.0.2.1", "2001:db8::1"]);
  });

  it("rule 2: a destination of the source's scope first", () => {
    expect(sorted([dest("2001:db8::1", "fe80::2"), dest("fe80::1", "fe80::2")])).to.deep.equal(["fe80::1", "2001:db8::1"]);
  });

  it("rule 3: not through a deprecated source", () => {
    expect(sorted([dest("2001:db8::1", "2001:db8::17", { deprecated: true }), dest("2001:db8::2", "2001:db8::18")]))
      .to.deep.equal(["2001:db8::2", "2001:db8::1"]);
  });

  it("rule 4: through a home address", () => {
    expect(sorted([dest("2001:db8::1", "2001:db8::17"), dest("2001:db8::2", "2001:db8::18", { homeAddress: true })]))
      .to.deep.equal(["2001:db8::2", "2001:db8::1"]);
  });

  it("rule 5: a destination with the source's label first", () => {
    // 2002::/16 has label 2, 2001:db8::17 label 1 (::/0): the 6to4 destination's label differs.
    expect(sorted([dest("2002:c000:201::1", "2001:db8::17"), dest("2001:db8::5", "2001:db8::17")]))
      .to.deep.equal(["2001:db8::5", "2002:c000:201::1"]);
  });

  it("rule 6: glibc's precedences, IPv6 (40) before IPv4 (10) when neither is reachable", () => {
    expect(sorted([dest("192.0.2.1"), dest("2001:db8::1"), dest("::1"), dest("2002::1"), dest("::192.0.2.5")]))
      .to.deep.equal(["::1", "2001:db8::1", "2002::1", "::192.0.2.5", "192.0.2.1"]);
  });

  it("rule 6 follows gai.conf's precedence table", () => {
    const preferV4 = parseGaiConf("precedence ::ffff:0:0/96 100\n");
    expect(sorted([dest("2001:db8::1"), dest("192.0.2.1")], preferV4)).to.deep.equal(["192.0.2.1", "2001:db8::1"]);
  });

  it("rule 7: native transport before a tunnel when the interfaces differ", () => {
    expect(sorted([dest("2001:db8::1", "2001:db8::17", { index: 5, native: false }), dest("2001:db8::2", "2001:db8::18", { index: 2 })]))
      .to.deep.equal(["2001:db8::2", "2001:db8::1"]);
  });

  it("rule 8: the smaller scope first", () => {
    expect(sorted([dest("2001:db8::1"), dest("fe80::1")])).to.deep.equal(["fe80::1", "2001:db8::1"]);
  });

  it("rule 9 for IPv4: a common prefix counts only inside the source's subnet", () => {
    const onLan = { prefixlen: 24 };
    expect(sorted([dest("10.0.0.1", "192.168.1.17", onLan), dest("192.168.1.8", "192.168.1.17", onLan)]))
      .to.deep.equal(["192.168.1.8", "10.0.0.1"]);
    // Outside the subnet both count 0: the order stays.
    expect(sorted([dest("192.168.2.1", "192.168.1.17", onLan), dest("192.168.1.200", "10.0.0.5", onLan)]))
      .to.deep.equal(["192.168.2.1", "192.168.1.200"]);
  });

  it("rule 9 for IPv6: the longer common prefix first", () => {
    expect(sorted([dest("2001:db8:2::1", "2001:db8:1::17"), dest("2001:db8:1::1", "2001:db8:1::17")]))
      .to.deep.equal(["2001:db8:1::1", "2001:db8:2::1"]);
  });

  it("rule 10: otherwise the order the sources gave", () => {
    const cands = ["192.0.2.3", "192.0.2.1", "192.0.2.2"].map((a) => dest(a, "192.168.1.17"));
    expect(sorted(cands)).to.deep.equal(["192.0.2.3", "192.0.2.1", "192.0.2.2"]);
  });

  it("the seed world: IPv4 reachable by a default route, IPv6 not, so IPv4 first", () => {
    expect(sorted([dest("2001:888:2000:d::a2"), dest("82.94.164.162", "192.168.1.17", { prefixlen: 24 })]))
      .to.deep.equal(["82.94.164.162", "2001:888:2000:d::a2"]);
  });

  it("no host with AI_PASSIVE: 0.0.0.0 (label 4, like its source 127.0.0.1) before :: (label 3, source ::1 label 0)", () => {
    expect(sorted([dest("::", "::1", { prefixlen: 128 }), dest("0.0.0.0", "127.0.0.1", { prefixlen: 8 })]))
      .to.deep.equal(["0.0.0.0", "::"]);
  });
});
