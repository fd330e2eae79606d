import { expect } from "chai";
import { inetNetwork, parseNetworks } from "../../src/files/networks.js";
import { Resolver } from "../../src/resolver.js";

// What getent printed for the seed world's etc/networks (test/cli/golden/seed/getent.json)
// is the end-to-end check; these pin the parser's and the Resolver calls' pieces.
describe("etc/networks (nss_files/files-network.c)", () => {
  it("reads numbers with inet_network after padding them to four parts", () => {
    const table = parseNetworks("ten 10\nlan 192.168.1 home\noct 012.0.0.0\nhex 0x0b.0x1\nfive 1.2.3.4.5\nbig 256.1\nbare\n# comment\n\n");
    expect(table.entries.map((e) => [e.name, e.net.toString(16)])).to.deep.equal([
      ["ten", "a000000"], ["lan", "c0a80100"], ["oct", "a000000"], ["hex", "b010000"], ["five", "ffffffff"], ["big", "ffffffff"], ["bare", "ffffffff"],
    ]);
    expect(table.entries[1]).to.deep.equal({ name: "lan", aliases: ["home"], net: 0xc0a80100, addrtype: 2 });
  });

  it("implements inet_network's rules", () => {
    expect(inetNetwork("1.2")).to.equal(0x0102);
    expect(inetNetwork("0x7f.1")).to.equal(0x7f01);
    expect(inetNetwork("08")).to.equal(0xffffffff); // 8 is no octal digit
    expect(inetNetwork("1.2.3.4 ")).to.equal(0x01020304);
    expect(inetNetwork("1.2.3.4x")).to.equal(0xffffffff);
    expect(inetNetwork("")).to.equal(0xffffffff);
    expect(inetNetwork("0x")).to.equal(0xffffffff);
  });

  it("finds the first entry by name or alias, case-insensitively, and by number and family", () => {
    const table = parseNetworks("Loop 127 lo\nloop 127.0.0.1 second\n");
    expect(table.byName("LOOP")?.net).to.equal(0x7f000000);
    expect(table.byName("LO")?.name).to.equal("Loop");
    expect(table.byName("second")?.net).to.equal(0x7f000001);
    expect(table.byNumber(0x7f000001, 0)?.name).to.equal("loop");
    expect(table.byNumber(0x7f000001, 2)?.name).to.equal("loop");
    expect(table.byNumber(0x7f000001, 10)).to.equal(undefined);
  });

  it("is Resolver.getnetbyname / getnetbyaddr, with Debian's three networks when the file is missing", async () => {
    const given = new Resolver({ files: { networks: "lab 10.1 lab-net\n" } });
    expect(given.getnetbyname("LAB-NET")).to.deep.equal({ name: "lab", aliases: ["lab-net"], net: 0x0a010000, addrtype: 2 });
    expect(given.getnetbyaddr(0x0a010000)?.name).to.equal("lab");
    expect(given.getnetbyaddr(0x0a010000 - 2 ** 32)?.name).to.equal("lab"); // C's uint32_t
    expect(given.getnetbyname("loopback")).to.equal(undefined);
    expect(() => given.getnetbyaddr(1.5)).to.throw(TypeError);
    const none = new Resolver({ files: {} });
    expect(none.getnetbyname("loopback")?.net).to.equal(0x7f000000);
    expect(none.getnetbyaddr(0xa9fe0000, 2)?.name).to.equal("link-local");
    await Promise.all([given.close(), none.close()]);
  });
});
