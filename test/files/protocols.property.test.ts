import { expect } from "chai";
import fc from "fast-check";
import { parseProtocols } from "../../src/files/protocols.js";
import { RUNS, hasSeparator, inputs } from "./arbitraries.js";

const texts = inputs("fixtures/etc/hostile/protocols", "fixtures/etc/crlf/protocols", "fixtures/netbase/protocols");

describe("parseProtocols (properties)", () => {
  it("never throws; numbers are C ints, names clean; the first entry answers", () => {
    fc.assert(fc.property(texts, (text) => {
      const table = parseProtocols(text);
      for (const e of table.entries) {
        expect(e.number).to.equal(e.number | 0);
        expect(e.name).to.not.equal("");
        for (const word of [e.name, ...e.aliases]) expect(hasSeparator(word), JSON.stringify(word)).to.equal(false);
        for (const name of [e.name, ...e.aliases]) {
          expect(table.byName(name)).to.equal(table.entries.find((x) => x.name === name || x.aliases.includes(name)));
        }
        expect(table.byNumber(e.number)).to.equal(table.entries.find((x) => x.number === e.number));
      }
    }), RUNS);
  });
});
