import { expect } from "chai";
import fc from "fast-check";
import { parseServices } from "../../src/files/services.js";
import { RUNS, hasSeparator, inputs } from "./arbitraries.js";

const texts = inputs("fixtures/etc/hostile/services", "fixtures/etc/crlf/services", "fixtures/netbase/services");

describe("parseServices (properties)", () => {
  it("never throws; ports are 16-bit, names and protocols clean", () => {
    fc.assert(fc.property(texts, (text) => {
      for (const e of parseServices(text).entries) {
        expect(Number.isInteger(e.port) && e.port >= 0 && e.port <= 0xffff, String(e.port)).to.equal(true);
        expect(e.name).to.not.equal("");
        for (const word of [e.name, e.proto, ...e.aliases]) expect(hasSeparator(word), JSON.stringify(word)).to.equal(false);
      }
    }), RUNS);
  });

  it("answers with the first matching entry in file order", () => {
    fc.assert(fc.property(texts, (text) => {
      const table = parseServices(text);
      const { entries } = table;
      for (const e of entries) {
        for (const name of [e.name, ...e.aliases]) {
          const named = (x: typeof e) => x.name === name || x.aliases.includes(name);
          expect(table.byName(name)).to.equal(entries.find(named));
          expect(table.byName(name, e.proto)).to.equal(entries.find((x) => named(x) && x.proto === e.proto));
        }
        expect(table.byPort(e.port)).to.equal(entries.find((x) => x.port === e.port));
        expect(table.byPort(e.port, e.proto)).to.equal(entries.find((x) => x.port === e.port && x.proto === e.proto));
      }
    }), RUNS);
  });
});
