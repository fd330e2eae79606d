import { expect } from "chai";
import { reverseName } from "../../src/dns/reverse.js";

describe("dns/reverse", () => {
  const table: Array<[string, number[] | string, string]> = [
    ["IPv4", [192, 168, 1, 8], "8.1.168.192.in-addr.arpa"],
    ["IPv4 with zeros", [10, 0, 0, 0], "0.0.0.10.in-addr.arpa"],
    ["IPv6, nibbles reversed, lowercase", "200108882000000d00000000000000a2", "2.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.0.0.0.0.0.0.2.8.8.8.0.1.0.0.2.ip6.arpa"],
    ["IPv6 loopback", "00000000000000000000000000000001", `1.${"0.".repeat(31)}ip6.arpa`],
    ["IPv4-mapped IPv6 stays IPv6 (unmapping is the caller's)", "00000000000000000000ffffc0000201", "1.0.2.0.0.0.0.c.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa"],
  ];
  for (const [what, address, name] of table) {
    it(what, () => {
      const bytes = typeof address === "string" ? Buffer.from(address, "hex") : Uint8Array.from(address);
      expect(reverseName(bytes)).to.equal(name);
    });
  }
  it("refuses other lengths", () => {
    expect(() => reverseName(new Uint8Array(5))).to.throw(RangeError, /4 or 16 bytes/);
  });
});
