import { expect } from "chai";
import fc from "fast-check";
import { parseHostname } from "../../src/files/hostname.js";
import { RUNS, inputs } from "./arbitraries.js";

describe("parseHostname (properties)", () => {
  it("never throws; a name is one word, not a comment", () => {
    fc.assert(fc.property(inputs("fixtures/worlds/seed/etc/hostname"), (text) => {
      const name = parseHostname(text);
      if (name === undefined) return;
      expect(name).to.not.equal("");
      expect(/[ \t\n\v\f\r]/.test(name)).to.equal(false);
      expect(name.startsWith("#")).to.equal(false);
    }), RUNS);
  });
});
