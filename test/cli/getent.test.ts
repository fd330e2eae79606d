import { expect } from "chai";
import { ahostsLine, hostsLine, protocolsLine, readHostsKey, readProtocolsKey, readServicesKey, servicesLine } from "../../src/cli/getent.js";

// Expected lines are what glibc 2.36's getent printed for the same data.
describe("getent output lines", () => {
  it("hosts: address padded to 15, then the name and aliases", () => {
    expect(hostsLine("192.0.2.10", "alpha.example.test", ["alpha", "a1"])).to.equal("192.0.2.10      alpha.example.test alpha a1");
    expect(hostsLine("2001:db8:1234:5678::10", "long", [])).to.equal("2001:db8:1234:5678::10 long");
  });

  it("ahosts: address and scope padded to 15, type padded to 6, canonical name", () => {
    expect(ahostsLine("2001:db8::10", 0, 1, "alpha.example.test")).to.equal("2001:db8::10    STREAM alpha.example.test");
    expect(ahostsLine("192.0.2.10", 0, 2, "")).to.equal("192.0.2.10      DGRAM  ");
    expect(ahostsLine("192.0.2.10", 0, 3, "")).to.equal("192.0.2.10      RAW    ");
    expect(ahostsLine("fe80::1", 2, 1, "")).to.equal("fe80::1%2     STREAM ");
    expect(ahostsLine("fe80::1234:5678:9abc", 1234567, 5, "x")).to.equal("fe80::1234:5678:9abc%1234567 SEQPACKET x");
    expect(ahostsLine("192.0.2.1", 0, 9, "")).to.equal("192.0.2.1       9      ");
  });

  it("services: name padded to 21, port/proto, aliases", () => {
    expect(servicesLine({ name: "http", port: 80, proto: "tcp", aliases: ["www"] })).to.equal("http                  80/tcp www");
    expect(servicesLine({ name: "domain", port: 53, proto: "udp", aliases: [] })).to.equal("domain                53/udp");
  });

  it("protocols: name padded to 21, number, aliases", () => {
    expect(protocolsLine({ name: "tcp", number: 6, aliases: ["TCP"] })).to.equal("tcp                   6 TCP");
  });
});

describe("getent keys", () => {
  it("hosts: IPv6, then strict IPv4 addresses, else a name", () => {
    expect(readHostsKey("2001:DB8::0010")).to.deep.equal({ kind: "address", family: 6, address: "2001:db8::10" });
    expect(readHostsKey("192.0.2.10")).to.deep.equal({ kind: "address", family: 4, address: "192.0.2.10" });
    expect(readHostsKey("127.1")).to.deep.equal({ kind: "name", name: "127.1" });
    expect(readHostsKey("fe80::1%eth0")).to.deep.equal({ kind: "name", name: "fe80::1%eth0" });
    expect(readHostsKey("alpha")).to.deep.equal({ kind: "name", name: "alpha" });
  });

  const services: [string, object][] = [
    ["http", { name: "http" }],
    ["53/udp", { port: 53, proto: "udp" }],
    ["0080", { port: 80 }],
    ["http/", { name: "http", proto: "" }],
    ["80abc", { name: "80abc" }],
    ["99999", { name: "99999" }],
    ["65535/tcp", { port: 65535, proto: "tcp" }],
    ["+80", { name: "+80" }],
    ["a/b/c", { name: "a", proto: "b/c" }],
  ];
  for (const [key, expected] of services) {
    it(`services ${JSON.stringify(key)}`, () => {
      expect(readServicesKey(key)).to.deep.equal(expected);
    });
  }

  const protocols: [string, object][] = [
    ["tcp", { name: "tcp" }],
    ["17", { number: 17 }],
    ["6abc", { number: 6 }],
    ["4294967302", { number: 6 }],
    ["99999999999999999999", { number: -1 }],
    ["-1", { name: "-1" }],
  ];
  for (const [key, expected] of protocols) {
    it(`protocols ${JSON.stringify(key)}`, () => {
      expect(readProtocolsKey(key)).to.deep.equal(expected);
    });
  }
});
