import { expect } from "chai";
import { parseHostConf, reorderAddresses, trimDomains } from "../../src/lookup/hostconf.js";
import type { HostEnt } from "../../src/lookup/hostent.js";
import type { InterfaceAddress } from "../../src/lookup/network.js";

describe("lookup/hostconf: /etc/host.conf", () => {
  const cases: Array<[string, string | undefined, Record<string, string>, ReturnType<typeof parseHostConf>]> = [
    ["no file: glibc's defaults", undefined, {}, { multi: false, reorder: false, trimDomains: [] }],
    ["Debian's file", "multi on\n", {}, { multi: true, reorder: false, trimDomains: [] }],
    ["case and comments", "  MULTI On  # yes\n# reorder on\nReorder ON\n", {}, { multi: true, reorder: true, trimDomains: [] }],
    ["the last line wins", "multi on\nmulti off\n", {}, { multi: false, reorder: false, trimDomains: [] }],
    ["a value that is neither on nor off changes nothing", "multi on\nmulti yes\n", {}, { multi: true, reorder: false, trimDomains: [] }],
    ["order and unknown commands are ignored", "order hosts,bind\nnospoof on\n", {}, { multi: false, reorder: false, trimDomains: [] }],
    ["trim lists take , ; or : between domains", "trim a.example, b.example ; c.example\n", {}, { multi: false, reorder: false, trimDomains: ["a.example", "b.example", "c.example"] }],
    ["but only a comma ends a domain by itself", "trim b.example;c.example\n", {}, { multi: false, reorder: false, trimDomains: ["b.example;c.example"] }],
    ["no more than four trim domains", "trim a,b,c,d,e\n", {}, { multi: false, reorder: false, trimDomains: ["a", "b", "c", "d"] }],
    ["a space does not separate trim domains", "trim a.example b.example\n", {}, { multi: false, reorder: false, trimDomains: ["a.example"] }],
    ["RESOLV_MULTI and RESOLV_REORDER override the file", "multi on\n", { RESOLV_MULTI: "off", RESOLV_REORDER: "on" }, { multi: false, reorder: true, trimDomains: [] }],
    ["RESOLV_ADD_TRIM_DOMAINS adds, RESOLV_OVERRIDE_TRIM_DOMAINS replaces", "trim a\n", { RESOLV_ADD_TRIM_DOMAINS: "b" }, { multi: false, reorder: false, trimDomains: ["a", "b"] }],
    ["RESOLV_OVERRIDE_TRIM_DOMAINS", "trim a\n", { RESOLV_OVERRIDE_TRIM_DOMAINS: "c : d" }, { multi: false, reorder: false, trimDomains: ["c", "d"] }],
  ];
  for (const [title, text, env, expected] of cases) {
    it(title, () => expect(parseHostConf(text, env)).to.deep.equal(expected));
  }

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
