import { expect } from "chai";
import fc from "fast-check";
import { nssLines, readUnsigned32 } from "../../src/files/lines.js";
import { RUNS, anyText, inputs } from "./arbitraries.js";

describe("nss_files line reading (properties)", () => {
  it("never throws; lines are non-empty, start with no space and hold no newline, comment or NUL", () => {
    fc.assert(fc.property(inputs("fixtures/etc/hostile/services", "fixtures/etc/hostile/hosts"), (text) => {
      const lines = nssLines(text);
      for (const line of lines) {
        expect(line).to.not.equal("");
        expect(/^[ \t\n\v\f\r]/.test(line)).to.equal(false);
        expect(/[\n#\0]/.test(line), JSON.stringify(line)).to.equal(false);
      }
      expect(lines.length).to.be.at.most(text.split("\n").length);
    }), RUNS);
  });

  it("reads unindented lines with a newline as they are, up to the comment", () => {
    const plain = fc.string({ unit: fc.constantFrom("a", "b", " ", "\t", "#", "1"), maxLength: 30 })
      .filter((s) => s !== "" && !/^[ \t]/.test(s) && !s.startsWith("#"));
    fc.assert(fc.property(fc.array(plain, { maxLength: 10 }), (lines) => {
      expect(nssLines(lines.map((l) => `${l}\n`).join(""))).to.deep.equal(lines.map((l) => l.split("#")[0]));
    }), RUNS);
  });

  it("readUnsigned32 never throws and agrees with BigInt on plain decimals", () => {
    fc.assert(fc.property(anyText, fc.bigInt({ min: 0n, max: 1n << 70n }), (junk, n) => {
      readUnsigned32(junk, 0, 0);
      readUnsigned32(junk, 0, 10);
      const got = readUnsigned32(`${n}${/^[^0-9]/.test(junk) ? junk : ""}`, 0, 10);
      expect(got?.value).to.equal(n <= 0xffffffffn ? Number(n) : undefined);
    }), RUNS);
  });
});
