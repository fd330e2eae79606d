import { expect } from "chai";
import { InvalidNameError, MalformedMessageError } from "../../src/dns/errors.js";
import { canonicalName, isHostName, nameLabels, readName, sameName, withoutTrailingDot } from "../../src/dns/name.js";

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

describe("dns/name", () => {
  describe("readName", () => {
    const cases: Array<[string, string, string, number]> = [
      ["plain labels", "03777777 07 6578616d706c65 03636f6d 00", "www.example.com", 17],
      ["the root", "00", ".", 1],
      ["a dot, a backslash and a space inside labels are escaped", "03 612e62 02 5c20 00", "a\\.b.\\\\\\032", 8],
      ["bytes outside 0x21-0x7e as \\DDD", "02 ff00 00", "\\255\\000", 4],
      ["ns_name_ntop's special characters", "08 22 3b 28 29 40 24 41 7a 00", '\\"\\;\\(\\)\\@\\$Az', 10],
    ];
    for (const [what, bytes, text, end] of cases) {
      it(what, () => expect(readName(hex(bytes), 0)).to.deep.equal({ name: text, end }));
    }

    it("follows a pointer and ends after it", () => {
      // "example.com" at 0, then "www" + pointer to 0 at 13.
      const message = hex("07 6578616d706c65 03 636f6d 00 03 777777 c000");
      expect(readName(message, 13)).to.deep.equal({ name: "www.example.com", end: 19 });
    });

    it("follows pointers to pointers that go further back each time", () => {
      const message = hex("01 61 00 01 62 c000 01 63 c003");
      expect(readName(message, 7).name).to.equal("c.b.a");
    });

    it("accepts a name of exactly 255 octets", () => {
      const labels = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)];
      const wire = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
      expect(wire.length).to.equal(255);
      expect(readName(wire, 0).name).to.equal(labels.join("."));
    });

    it("refuses 256 octets", () => {
      const labels = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62)];
      const wire = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
      expect(() => readName(wire, 0)).to.throw(MalformedMessageError, /longer than 255/);
    });

    it("refuses a pointer to a later stretch even if it points before itself", () => {
      // 0: "a" + pointer to 4; 4: "b" + pointer to 0 — each pointer goes back from where it sits, yet they loop.
      const message = hex("01 61 c004 01 62 c000");
      expect(() => readName(message, 4)).to.throw(MalformedMessageError, /does not point backwards/);
    });
  });

  describe("nameLabels", () => {
    const text = (name: string): string[] => nameLabels(name).map((label) => Buffer.from(label).toString("latin1"));
    it("splits, and ignores one trailing dot", () => {
      expect(text("www.example.com.")).to.deep.equal(["www", "example", "com"]);
      expect(text("www.example.com")).to.deep.equal(["www", "example", "com"]);
      expect(text(".")).to.deep.equal([]);
      expect(text("")).to.deep.equal([]);
    });
    it("reads escapes as ns_name_pton does, and takes other characters as they are", () => {
      expect(text("a\\.b.test")).to.deep.equal(["a.b", "test"]);
      expect(text("a\\\\b.test")).to.deep.equal(["a\\b", "test"]);
      expect(text("a\\032b.test")).to.deep.equal(["a b", "test"]);
      expect(text("a\\ b.test")).to.deep.equal(["a b", "test"]);
      expect(text("a b.test")).to.deep.equal(["a b", "test"]);
      expect(text("a\\255\\000.test")).to.deep.equal(["a\xff\x00", "test"]);
      expect(text("a\\.")).to.deep.equal(["a."]);
      expect(text("\u00e9.test")).to.deep.equal(["\xc3\xa9", "test"]);
    });
    it("counts an escape as one octet against the limits", () => {
      expect(nameLabels(`${"\\065".repeat(63)}.test`)[0]).to.have.length(63);
    });
    const bad: Array<[string, string, RegExp]> = [
      ["an empty label", "a..b", /empty label/],
      ["a leading dot", ".a", /empty label/],
      ["a label of 64 octets", `${"x".repeat(64)}.test`, /label longer than 63/],
      ["a name of 256 octets", ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62)].join("."), /name longer than 255/],
      ["two trailing dots", "a.test..", /empty label/],
      ["a decimal escape above 255", "a\\256.test", /bad escape/],
      ["a decimal escape of two digits", "a\\03.test", /bad escape/],
      ["a backslash at the end", "a.test\\", /backslash at the end/],
      ["64 octets written as escapes", `${"\\065".repeat(64)}.test`, /label longer than 63/],
    ];
    for (const [what, name, message] of bad) {
      it(`refuses ${what}`, () => expect(() => nameLabels(name)).to.throw(InvalidNameError, message));
    }
  });

  it("sameName ignores ASCII case and a trailing dot only", () => {
    expect(sameName("WWW.Example.COM", "www.example.com.")).to.equal(true);
    expect(sameName(".", "")).to.equal(true);
    expect(sameName("a\\.b", "a.b")).to.equal(false);
    expect(sameName("www.example.com", "www.example.co")).to.equal(false);
    expect(sameName("\u00c9.test", "\u00e9.test")).to.equal(false);
  });

  it("sameName compares wire labels, however each name is written", () => {
    // The text readName gives for what was sent as "A B.test".
    expect(sameName("a\\032b.test", "A B.test")).to.equal(true);
    expect(sameName("a\\ b.test", "a b.test.")).to.equal(true);
    expect(sameName("a\\.b.test", "A\\.B.test")).to.equal(true);
    expect(sameName("a\\\\b.test", "a\\092b.test")).to.equal(true);
    expect(sameName("\\065.test", "a.test")).to.equal(true);
    expect(sameName("a\\.b.test", "a.b.test")).to.equal(false);
  });

  it("canonicalName writes every spelling of a name one way", () => {
    expect(canonicalName("A B.Test.")).to.equal("a\\032b.test");
    expect(canonicalName("a\\.b")).to.equal("a\\.b");
    expect(canonicalName("")).to.equal(".");
    expect(canonicalName("a..b")).to.equal("a..b");
  });

  it("withoutTrailingDot keeps the root as '.'", () => {
    expect(withoutTrailingDot("a.b.")).to.equal("a.b");
    expect(withoutTrailingDot("a.b")).to.equal("a.b");
    expect(withoutTrailingDot(".")).to.equal(".");
    expect(withoutTrailingDot("")).to.equal(".");
  });

  describe("isHostName (glibc res_hnok)", () => {
    const table: Array<[string, boolean]> = [
      ["www.example.com", true],
      ["under_score.example", true],
      ["x-1.example", true],
      ["MixedCase.Example", true],
      ["123.45.in-addr.arpa", true],
      [".", true],
      ["-leading.example", false],
      ["a.-b.example", true],
      ["bad_na!me.example", false],
      ["space\\032name.example", false],
      ["a\\.b.example", false],
      ["*.wild.example", false],
    ];
    for (const [name, ok] of table) it(`${name} → ${ok}`, () => expect(isHostName(name)).to.equal(ok));
  });
});
