import { expect } from "chai";
import { formatIPv6 } from "../../src/inet.js";
import { DEFAULT_POLICY, parseGaiConf, type PrefixPolicy } from "../../src/files/gaiconf.js";

const show = (list: readonly PrefixPolicy[]) => list.map((e) => `${formatIPv6(e.prefix)}/${e.bits}=${e.value}`);

describe("files/gaiconf: /etc/gai.conf as glibc reads it", () => {
  it("keeps glibc's built-in tables for an empty file", () => {
    expect(parseGaiConf("# nothing\n\n")).to.deep.equal(DEFAULT_POLICY);
    expect(show(DEFAULT_POLICY.precedence)).to.deep.equal(["::1/128=50", "2002::/16=30", "::/96=20", "::ffff:0.0.0.0/96=10", "::/0=40"]);
  });

  it("replaces a table by the file's lines, most specific first, with a catch-all added", () => {
    const policy = parseGaiConf([
      "precedence ::ffff:0:0/96 100   # prefer IPv4",
      "precedence ::1/128 50",
      "label 2001:db8::/32 9",
    ].join("\n"));
    expect(show(policy.precedence)).to.deep.equal(["::1/128=50", "::ffff:0.0.0.0/96=100", "::/0=40"]);
    expect(show(policy.labels)).to.deep.equal(["2001:db8::/32=9", "::/0=1"]);
    expect(policy.scopes).to.equal(DEFAULT_POLICY.scopes);
  });

  it("keeps a catch-all the file gives, and file order among equal prefix lengths", () => {
    const policy = parseGaiConf("label ::/0 3\nlabel 2001::/16 4\nlabel 2002::/16 5\n");
    expect(show(policy.labels)).to.deep.equal(["2001::/16=4", "2002::/16=5", "::/0=3"]);
  });

  it("takes a prefix without a length as /128 and a missing value as 0, as glibc's strtoul does", () => {
    expect(show(parseGaiConf("precedence 2001:db8::1").precedence)).to.deep.equal(["2001:db8::1/128=0", "::/0=40"]);
  });

  it("skips malformed lines", () => {
    const text = ["label nonsense 1", "label ::/129 1", "label ::1/x 1", "precedence ::1/128 -5", "precedence ::1/128 1x", "bogus ::1 1", "label"].join("\n");
    expect(parseGaiConf(text)).to.deep.equal(DEFAULT_POLICY);
  });

  it("reads scopev4 in IPv4 and IPv4-mapped form", () => {
    const policy = parseGaiConf("scopev4 ::ffff:169.254.0.0/112 2\nscopev4 10.0.0.0/8 5\nscopev4 ::ffff:1.2.3.4 7\n");
    expect(policy.scopes).to.deep.equal([
      { address: 0x01020304, netmask: 0xffffffff, scope: 7 },
      { address: 0xa9fe0000, netmask: 0xffff0000, scope: 2 },
      { address: 0x0a000000, netmask: 0xff000000, scope: 5 },
      { address: 0, netmask: 0, scope: 14 },
    ]);
  });

  it("refuses scopev4 prefixes that are no IPv4 ones", () => {
    expect(parseGaiConf("scopev4 2001:db8::/32 3\nscopev4 ::ffff:10.0.0.0/95 3\nscopev4 10.0.0.0/33 3\n").scopes).to.equal(DEFAULT_POLICY.scopes);
  });
});
