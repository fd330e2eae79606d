import { expect } from "chai";
import { nssLines, readUnsigned32, splitWords } from "../../src/files/lines.js";

describe("nss_files line reading", () => {
  const cases: [what: string, text: string, lines: string[]][] = [
    ["empty file", "", []],
    ["blank and comment lines are skipped", "\n  \t\n# x\n   # y\nkeep\n", ["keep"]],
    ["leading whitespace goes, trailing stays", "\t a b \n", ["a b "]],
    ["a comment anywhere ends the line", "a#b\nc #d\n", ["a", "c "]],
    ["CR stays (callers treat it as whitespace)", "a b\r\n", ["a b\r"]],
    ["a lone CR does not end a line", "a\rb\n", ["a\rb"]],
    ["a last line without newline counts", "a\nb", ["a", "b"]],
    ["a NUL ends the line", "a\0b\nc\n", ["a", "c"]],
    ["a line starting with NUL is skipped", "\0a\nb\n", ["b"]],
    // __nss_readline's memmove leaves the old terminator in place: without a
    // newline to cut at, the text's last N characters repeat.
    ["indented last line without newline repeats its tail", " 10.0.0.2 last", ["10.0.0.2 lastt"]],
    ["two spaces of indent repeat two characters", "  x 6", ["x 6 6"]],
    ["indent longer than the text keeps some of the indent", "    ab", ["ab  ab"]],
    ["indented line cut short by a NUL repeats its tail", "  ab\0cd\n", ["abab"]],
    ["the repeated tail is cut at a comment", "  a#bc", ["a"]],
    ["indented lines with a newline are fine", "  ab\n", ["ab"]],
    ["a long line is read whole", `x ${"y".repeat(100000)}\n`, [`x ${"y".repeat(100000)}`]],
  ];
  for (const [what, text, lines] of cases) {
    it(what, () => expect(nssLines(text)).to.deep.equal(lines));
  }
});

describe("readUnsigned32 (strtoul as nss_files reads numbers)", () => {
  const cases: [text: string, base: 0 | 10, want: [value: number, end: number] | undefined][] = [
    ["80/tcp", 0, [80, 2]],
    ["0x50/tcp", 0, [80, 4]],
    ["0X50", 0, [80, 4]],
    ["0120", 0, [80, 4]],
    ["089", 0, [0, 1]], // octal 0, then junk
    ["0x", 0, [0, 1]], // "0x" is a prefix only before a hex digit
    ["0xg", 0, [0, 1]],
    ["0x50", 10, [0, 1]],
    ["+80", 0, [80, 3]],
    ["-0", 0, [0, 2]],
    ["  7", 10, [7, 3]],
    ["4294967295", 10, [4294967295, 10]],
    ["4294967296", 10, undefined], // past 32 bits
    ["-1", 10, undefined], // 2^64 - 1
    ["-18446744069414584321", 10, [4294967295, 21]], // wraps into 32 bits
    ["-18446744073709551535", 10, [81, 21]],
    ["99999999999999999999999", 10, undefined], // saturates at ULONG_MAX
    ["", 10, undefined],
    ["x", 10, undefined],
    ["-", 10, undefined],
    ["+ 1", 10, undefined],
  ];
  for (const [text, base, want] of cases) {
    it(`${JSON.stringify(text)} in base ${base} → ${want === undefined ? "rejected" : want.join(" ending at ")}`, () => {
      const got = readUnsigned32(text, 0, base);
      expect(got === undefined ? undefined : [got.value, got.end]).to.deep.equal(want);
    });
  }
});

describe("splitWords", () => {
  it("splits on C whitespace only", () => {
    expect(splitWords(" a\tb\r\nc\vd\fe\u00a0f ")).to.deep.equal(["a", "b", "c", "d", "e\u00a0f"]);
    expect(splitWords("")).to.deep.equal([]);
  });
});
