import { expect } from "chai";
import { parseHostname } from "../../src/files/hostname.js";

describe("parseHostname", () => {
  const cases: [text: string, want: string | undefined][] = [
    ["farnsworth.hellfly.net\n", "farnsworth.hellfly.net"],
    ["  host \r\n", "host"],
    ["# set by the installer\n\nhost other\n", "host"],
    ["host # comment\n", "host"],
    ["", undefined],
    ["\n \n# only comments\n", undefined],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${want}`, () => expect(parseHostname(text)).to.equal(want));
  }
});
