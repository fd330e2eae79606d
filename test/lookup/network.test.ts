import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { parseNameServer } from "../../src/lookup/nameserver.js";
import { systemNetwork } from "../../src/lookup/network.js";
import { defaultRoutes, namespaceNetwork } from "./support/namespace.js";

describe("lookup/network: the machine's network facts", () => {
  it("lo is interface 1 and holds 127.0.0.1/8", () => {
    expect(systemNetwork.indexOf("lo")).to.equal(1);
    expect(systemNetwork.nameOf(1)).to.equal("lo");
    expect(systemNetwork.addresses()).to.deep.include({ name: "lo", index: 1, family: 4, address: "127.0.0.1", prefixlen: 8, native: true });
  });

  it("if_nametoindex of names no interface can have is 0", () => {
    for (const name of ["", "nosuchif0", "../lo", "a".repeat(16), "."]) expect(systemNetwork.indexOf(name), name).to.equal(0);
  });

  it("the source address of a loopback destination is found without sending anything", async () => {
    expect(await systemNetwork.sourceFor({ family: 4, address: "127.0.0.1", port: 0, scopeId: 0 })).to.equal("127.0.0.1");
  });

  it("an unreachable destination has no source, as the failed connect() tells glibc's sort (in a namespace with only an IPv4 default route)", () => {
    // In a namespace of its own (root, as the tests run in CI) so that the
    // routes are known; connect() of a UDP socket sends nothing. Node hands
    // the ENETUNREACH to connect's callback while address() says "::".
    const program = `
      import { systemNetwork } from ${JSON.stringify(join(import.meta.dirname, "..", "..", "src", "lookup", "network.ts"))};
      const destination = (address) => ({ family: address.includes(":") ? 6 : 4, address, port: 80, scopeId: 0 });
      const sources = await Promise.all(["192.0.2.1", "198.51.100.1", "2001:db8::1", "::ffff:192.0.2.1"].map((a) => systemNetwork.sourceFor(destination(a))));
      console.log(JSON.stringify(sources));`;
    const setup = "ip link set lo up && ip addr add 192.0.2.2/24 dev lo && ip route add default via 192.0.2.1 dev lo && exec node --import tsx --input-type=module -e \"$0\"";
    const out = execFileSync("unshare", ["-n", "sh", "-c", setup, program], { encoding: "utf8" });
    expect(JSON.parse(out)).to.deep.equal(["192.0.2.2", "192.0.2.2", null, "::ffff:192.0.2.2"]);
  });
});

describe("lookup/nameserver: servers given in code", () => {
  const cases: Array<[string, unknown]> = [
    ["127.0.0.1", { address: "127.0.0.1", port: 53, family: 4 }],
    ["127.0.0.1:5353", { address: "127.0.0.1", port: 5353, family: 4 }],
    ["::1", { address: "::1", port: 53, family: 6 }],
    ["[::1]:53", { address: "::1", port: 53, family: 6 }],
    ["[0:0::1]", { address: "::1", port: 53, family: 6 }],
    ["[fe80::1%eth0]:5353", { address: "fe80::1", port: 5353, family: 6, scope: "eth0" }],
  ];
  for (const [text, expected] of cases) it(text, () => expect(parseNameServer(text)).to.deep.equal(expected));
  for (const bad of ["example.com", "127.0.0.1:0", "127.0.0.1:65536", "[::1]:x", "::1:53:x", "fe80::1%", ""]) {
    it(`refuses ${JSON.stringify(bad)}`, () => expect(() => parseNameServer(bad)).to.throw(TypeError, "nameserver"));
  }
});

describe("test support: a golden file's namespace as a network", () => {
  const seed = namespaceNetwork({
    addresses: [
      { interface: "lo", index: 1, address: "127.0.0.1", prefixlen: 8 },
      { interface: "lo", index: 1, address: "192.168.1.17", prefixlen: 24 },
      { interface: "lo", index: 1, address: "::1", prefixlen: 128 },
    ],
    routes: [{ dst: "default", dev: "lo" }],
  }, defaultRoutes("addr add 192.168.1.17/24 dev lo\nroute add default dev lo\n"));
  const source = (address: string) => seed.sourceFor({ family: address.includes(":") ? 6 : 4, address, port: 80, scopeId: 0 });

  it("reads which families have a default route from the world's ip commands", () => {
    expect(defaultRoutes("# x\nroute add default dev lo\n-6 route add default dev lo")).to.deep.equal({ v4: true, v6: true });
    expect(defaultRoutes(undefined)).to.deep.equal({ v4: false, v6: false });
  });

  it("picks the kernel's source addresses", async () => {
    expect(await source("127.0.0.5")).to.equal("127.0.0.1");
    expect(await source("0.0.0.0")).to.equal("127.0.0.1");
    expect(await source("192.168.1.8")).to.equal("192.168.1.17");
    expect(await source("82.94.164.162")).to.equal("192.168.1.17");
    expect(await source("::1")).to.equal("::1");
    expect(await source("::")).to.equal("::1");
    expect(await source("::ffff:82.94.164.162")).to.equal("::ffff:192.168.1.17");
    expect(await source("2001:db8::1")).to.equal(null);
  });
});
