import { expect } from "chai";
import { parseProtocols } from "../../src/files/protocols.js";
import type { ProtocolEntry } from "../../src/files/protocols.js";
import { readFixture } from "./golden.js";

const protocol = (name: string, number: number, ...aliases: string[]): ProtocolEntry => ({ name, number, aliases });

describe("parseProtocols", () => {
  const cases: [what: string, line: string, entry: ProtocolEntry | undefined][] = [
    ["name, number, aliases", "tcp 6 TCP", protocol("tcp", 6, "TCP")],
    ["tabs, comment, CRLF", "\tudp\t17\tUDP\t# user datagram\r", protocol("udp", 17, "UDP")],
    ["no aliases", "ip 0", protocol("ip", 0)],
    ["a sign is accepted", "x +7", protocol("x", 7)],
    ["base 10: leading zeros are decimal", "x 0009", protocol("x", 9)],
    ["4294967295 is -1 in a C int", "x 4294967295", protocol("x", -1)],
    ["2147483648 is INT_MIN", "x 2147483648", protocol("x", -2147483648)],
    ["-1 (2^64 - 1 to strtoul): ignored", "x -1", undefined],
    ["past 32 bits: ignored", "x 4294967296", undefined],
    ["junk after the number: ignored", "x 6x", undefined],
    ["hex is junk in base 10: ignored", "x 0x6", undefined],
    ["no number: ignored", "x", undefined],
  ];
  for (const [what, line, entry] of cases) {
    it(`${what}: ${JSON.stringify(line)}`, () => {
      expect(parseProtocols(line).entries).to.deep.equal(entry === undefined ? [] : [entry]);
    });
  }

  it("looks up names exactly and numbers, first line wins", () => {
    const table = parseProtocols(readFixture("fixtures/etc/hostile/protocols"));
    expect(table.byName("tcp")?.number).to.equal(6);
    expect(table.byName("TCP")?.number).to.equal(6); // tcp's alias comes before the line named TCP
    expect(table.byName("Tcp")).to.equal(undefined);
    expect(table.byNumber(13)?.name).to.equal("dupnum-a");
    expect(table.byNumber(-1)?.name).to.equal("max");
    expect(table.byName("lstst")?.number).to.equal(16); // the memmove quirk
  });
});
