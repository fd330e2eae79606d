import { expect } from "chai";
import { pyList, pyRepr, pyStr, pyTuple } from "../../src/cli/pyrepr.js";

// Expected texts are CPython 3.11's repr() of the same values.
describe("Python repr", () => {
  const strings: [string, string][] = [
    ["www.hellfly.net", "'www.hellfly.net'"],
    ["", "''"],
    ["it's", `"it's"`],
    [`it's "x"`, `'it\\'s "x"'`],
    ['say "hi"', `'say "hi"'`],
    ["a\\b", "'a\\\\b'"],
    ["tab\there\nnl\rcr", "'tab\\there\\nnl\\rcr'"],
    ["\x00\x1f\x7f\x9f\xa0\xad", "'\\x00\\x1f\\x7f\\x9f\\xa0\\xad'"],
    ["bücher.example", "'bücher.example'"],
  ];
  for (const [value, expected] of strings) {
    it(`str ${JSON.stringify(value)} → ${expected}`, () => {
      expect(pyStr(value)).to.equal(expected);
    });
  }

  it("lists, tuples and nesting", () => {
    expect(pyList([])).to.equal("[]");
    expect(pyList(["67.215.65.132"])).to.equal("['67.215.65.132']");
    expect(pyList(["a", "b"])).to.equal("['a', 'b']");
    expect(pyTuple(["82.94.164.162", 80])).to.equal("('82.94.164.162', 80)");
    expect(pyTuple(["2001:888:2000:d::a2", 80, 0, 0])).to.equal("('2001:888:2000:d::a2', 80, 0, 0)");
    expect(pyTuple(["one"])).to.equal("('one',)");
    expect(pyTuple([])).to.equal("()");
    expect(pyRepr({ tuple: ["h", { list: [] }, { list: ["1.2.3.4"] }] })).to.equal("('h', [], ['1.2.3.4'])");
  });
});
