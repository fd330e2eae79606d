import { expect } from "chai";
import fc from "fast-check";
import { inet4Address, parseHosts } from "../../src/files/hosts.js";
import { formatAddress, parseIPv4, parseIPv6 } from "../../src/inet.js";
import { RUNS, hasSeparator, inputs } from "./arbitraries.js";

const texts = inputs("fixtures/etc/hostile/hosts", "fixtures/etc/crlf/hosts", "fixtures/worlds/seed/etc/hosts");

describe("parseHosts (properties)", () => {
  it("never throws, and every entry is a canonical address with clean names", () => {
    fc.assert(fc.property(texts, (text) => {
      const table = parseHosts(text);
      for (const e of table.entries) {
        const bytes = e.family === 4 ? parseIPv4(e.address) : parseIPv6(e.address);
        expect(bytes, e.address).to.not.equal(null);
        expect(formatAddress(bytes as Uint8Array)).to.equal(e.address);
        for (const name of [e.canonical, ...e.aliases]) expect(hasSeparator(name), JSON.stringify(name)).to.equal(false);
        expect(e.aliases.every((a) => a !== "")).to.equal(true);
      }
      expect(table.entries.length).to.be.at.most(text.split("\n").length);
    }), RUNS);
  });

  it("finds every entry by each of its names, in file order, and by its address", () => {
    fc.assert(fc.property(texts, (text) => {
      const table = parseHosts(text);
      for (const e of table.entries) {
        for (const name of [e.canonical, ...e.aliases]) {
          const found = table.byName(name.replace(/[a-z]/g, (c) => c.toUpperCase()));
          expect(found).to.include(e);
          expect(found.map((f) => table.entries.indexOf(f))).to.deep.equal(found.map((f) => table.entries.indexOf(f)).sort((a, b) => a - b));
        }
        expect(table.byAddress(e.address)).to.include(e);
        const v4 = inet4Address(e);
        if (v4 !== undefined) expect(table.byAddress(v4)).to.include(e);
      }
    }), RUNS);
  });
});
