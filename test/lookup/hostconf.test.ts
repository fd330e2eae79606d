import { expect } from "chai";
import { parseHostConf } from "../../src/files/hostconf.js";
import { reorderAddresses, trimDomains } from "../../src/lookup/hostconf.js";
import type { HostEnt } from "../../src/lookup/hostent.js";
import type { InterfaceAddress } from "../../src/lookup/network.js";

describe("lookup/hostconf: what host.conf's trim and reorder do to an answer", () => {
  const host = (name: string, aliases: string[], addresses: number[][]): HostEnt =>
    ({ name, aliases, family: 4, addresses: addresses.map((a) => Uint8Array.from(a)) });

  it("trims the first matching domain off the name and the aliases, ignoring case", () => {
    const conf = parseHostConf("trim hellfly.net,example\n");
    const trimmed = trimDomains(host("homer.HELLFLY.net", ["www.example", "hellfly.net", "other.org"], []), conf);
    expect([trimmed.name, trimmed.aliases]).to.deep.equal(["homer.", ["www.", "hellfly.net", "other.org"]]);
  });

  it("with reorder, swaps the first address on a local subnet to the front", () => {
    const lan: InterfaceAddress[] = [{ name: "eth0", index: 2, family: 4, address: "192.168.1.17", prefixlen: 24 }];
    const answer = host("h", [], [[10, 0, 0, 1], [10, 0, 0, 2], [192, 168, 1, 8], [192, 168, 1, 9]]);
    const reordered = reorderAddresses(answer, parseHostConf("reorder on\n"), () => lan);
    expect(reordered.addresses.map((a) => a.join("."))).to.deep.equal(["192.168.1.8", "10.0.0.2", "10.0.0.1", "192.168.1.9"]);
    expect(reorderAddresses(answer, parseHostConf(""), () => expect.fail("interfaces listed without reorder"))).to.equal(answer);
  });
});
