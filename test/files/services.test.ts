import { expect } from "chai";
import { parseServices } from "../../src/files/services.js";
import type { ServiceEntry } from "../../src/files/services.js";
import { readFixture } from "./golden.js";

const service = (name: string, port: number, proto: string, ...aliases: string[]): ServiceEntry => ({ name, port, proto, aliases });

describe("parseServices", () => {
  const cases: [what: string, line: string, entry: ServiceEntry | undefined][] = [
    ["name, port/proto, aliases", "http 80/tcp www www-http", service("http", 80, "tcp", "www", "www-http")],
    ["tabs and a trailing comment", "\thttp\t80/tcp\t# World Wide Web", service("http", 80, "tcp")],
    ["CRLF", "ssh 22/tcp\r", service("ssh", 22, "tcp")],
    ["hex port (strtoul base 0)", "x 0x50/udp", service("x", 80, "udp")],
    ["octal port", "x 0120/udp", service("x", 80, "udp")],
    ["port kept to 16 bits", "x 65616/tcp", service("x", 80, "tcp")],
    ["32-bit port value 4294967295 is 65535", "x 4294967295/tcp", service("x", 65535, "tcp")],
    ["a sign is accepted", "x +80/tcp", service("x", 80, "tcp")],
    ["several slashes", "x 80///tcp", service("x", 80, "tcp")],
    ["no protocol: the empty one", "x 80", service("x", 80, "")],
    ["slash and nothing", "x 80/", service("x", 80, "")],
    ["protocol up to whitespace", "x 80/tcp/udp y", service("x", 80, "tcp/udp", "y")],
    ["case is kept", "HTTP 80/TCP WWW", service("HTTP", 80, "TCP", "WWW")],
    ["-1 is 2^64 - 1 to strtoul: ignored", "x -1/tcp", undefined],
    ["past 32 bits: ignored", "x 4294967296/tcp", undefined],
    ["junk after the port: ignored", "x 80x/tcp", undefined],
    ["whitespace before the slash: ignored", "x 80 /tcp", undefined],
    ["no port: ignored", "x tcp", undefined],
    ["name only: ignored", "x", undefined],
    ["comment inside the name", "x#y 80/tcp", undefined],
  ];
  for (const [what, line, entry] of cases) {
    it(`${what}: ${JSON.stringify(line)}`, () => {
      expect(parseServices(line).entries).to.deep.equal(entry === undefined ? [] : [entry]);
    });
  }

  describe("lookups: first line in file order wins", () => {
    const table = parseServices(readFixture("fixtures/etc/hostile/services"));
    it("byName, with and without protocol, exact case", () => {
      expect(table.byName("http")?.port).to.equal(80);
      expect(table.byName("http", "udp")?.port).to.equal(105);
      expect(table.byName("HTTP")?.port).to.equal(81);
      expect(table.byName("http", "TCP")).to.equal(undefined);
      expect(table.byName("www", "tcp")?.name).to.equal("http");
      expect(table.byName("webcache")?.port).to.equal(8080);
      expect(table.byName("noproto")).to.equal(undefined); // whitespace after the port
      expect(table.byName("emptyproto", "")?.port).to.equal(86); // nothing after the port
    });
    it("byPort, with and without protocol", () => {
      expect(table.byPort(80)?.name).to.equal("http");
      expect(table.byPort(94)?.name).to.equal("dup-port-a");
      expect(table.byPort(94, "udp")?.name).to.equal("dup-port-c");
      expect(table.byPort(94, "sctp")).to.equal(undefined);
      expect(table.byPort(65535)?.name).to.equal("max");
    });
    it("keeps every accepted line", () => {
      expect(table.entries.map((e) => e.name)).to.include.members(["long", "utf8-café", "nul2", "vertical", "formfeed", "cr", "last"]);
      expect(table.entries.find((e) => e.name === "last")?.proto).to.equal("tcpcp"); // the memmove quirk
      expect(table.entries.find((e) => e.name === "long")?.aliases).to.have.length(500);
    });
  });
});
