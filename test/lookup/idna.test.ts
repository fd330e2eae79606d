import { expect } from "chai";
import { decodeIdnaName, encodeIdna } from "../../src/lookup/idna.js";

const failed = (reason: string): { error: string } => ({ error: `encoding with 'idna' codec failed (UnicodeError: ${reason})` });
const tooLong = failed("label empty or too long");

/** `name.encode("idna")` as CPython 3.11 answers it (recorded with python3 on this machine). */
const CASES: Array<[name: string, expected: string | { error: string }]> = [
  ["", ""],
  ["www.python.org", "www.python.org"],
  // ASCII names pass untouched, case included.
  ["WWW.Python.ORG", "WWW.Python.ORG"],
  ["bücher.de", "xn--bcher-kva.de"],
  ["BÜCHER.example", "xn--bcher-kva.example"],
  // ASCII labels of a non-ASCII name keep their case too.
  ["WWW.Bücher.DE", "WWW.xn--bcher-kva.DE"],
  // IDNA 2003, not UTS #46: ß becomes ss, final sigma is kept as a sigma form, ZWJ vanishes.
  ["faß.example", "fass.example"],
  ["straße.de.", "strasse.de."],
  ["ς.gr", "xn--4xa.gr"],
  ["a\u200db.com", "ab.com"],
  ["ＷＷＷ.example", "www.example"],
  ["Ⅷ.com", "viii.com"],
  ["日本語.jp", "xn--wgv71a119e.jp"],
  ["☃.net", "xn--n3h.net"],
  // Nameprep maps a no-break space to a space, which stays.
  ["a\u00a0b", "a b"],
  ["xn--bcher-kva.ü", "xn--bcher-kva.xn--tda"],
  // The ideographic full stop separates labels.
  ["bücher\u3002de", "xn--bcher-kva.de"],
  ["a".repeat(63), "a".repeat(63)],
  ["a..b", tooLong],
  [".", tooLong],
  [".a", tooLong],
  ["a".repeat(64), failed("label too long")],
  [`${"a".repeat(64)}.com`, tooLong],
  ["bücher..de", tooLong],
  [`ü${"x".repeat(62)}`, tooLong],
  ["xn--bücher.de", failed("Label starts with ACE prefix")],
  ["\u2028", failed("Invalid character '\\u2028'")],
  ["\u0627\u0644a", failed("Violation of BIDI requirement 2")],
];

describe("lookup/idna: Python's idna codec", () => {
  for (const [name, expected] of CASES) {
    it(`${JSON.stringify(name)} → ${JSON.stringify(expected)}`, () => {
      if (typeof expected === "string") {
        expect(encodeIdna(name)).to.equal(expected);
      } else {
        expect(() => encodeIdna(name)).to.throw(RangeError).with.property("message", expected.error);
      }
    });
  }

  it("decodes A-labels back for AI_CANONIDN and NI_IDN, keeping other labels as they are", () => {
    expect(decodeIdnaName("xn--bcher-kva.example")).to.equal("bücher.example");
    expect(decodeIdnaName("WWW.xn--bcher-kva.DE")).to.equal("WWW.bücher.DE");
    expect(decodeIdnaName("localhost")).to.equal("localhost");
  });

  it("gives up on an A-label that is no Punycode, so the ASCII name is used", () => {
    expect(decodeIdnaName("xn--zz.example")).to.equal(undefined);
  });
});
