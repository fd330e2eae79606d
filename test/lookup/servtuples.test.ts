import { expect } from "chai";
import {
  EAI_SERVICE, EAI_SOCKTYPE, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM,
} from "../../src/constants.js";
import { parseServices } from "../../src/files/services.js";
import { parseServiceNumber, servTuples, type Service } from "../../src/lookup/servtuples.js";

const SERVICES = parseServices([
  "http 80/tcp www",
  "https 443/tcp",
  "https 443/udp",
  "syslog 514/udp",
  "shell 514/tcp cmd syslog",
  "both 7/tcp",
  "both 7/udplite",
  "sctpsvc 9/sctp",
].join("\n"));

const tcp = (port: number) => ({ socktype: SOCK_STREAM, protocol: IPPROTO_TCP, port });
const udp = (port: number) => ({ socktype: SOCK_DGRAM, protocol: IPPROTO_UDP, port });
const raw = (port: number, protocol = 0) => ({ socktype: SOCK_RAW, protocol, port });

const named = (name: string): Service => ({ name, num: -1 });
const numbered = (num: number): Service => ({ name: String(num), num });

describe("lookup/servtuples: glibc's get_servtuples", () => {
  describe("service text as getaddrinfo reads it (strtoul into an int)", () => {
    const cases: Array<[string, number | undefined]> = [
      ["80", 80], [" 80", 80], ["+80", 80], ["0", 0], ["-1", -1],
      ["80 ", undefined], ["0x50", undefined], ["1e2", undefined], ["", undefined], ["http", undefined],
      ["4294967296", 0], ["4294967376", 80], ["2147483648", -2147483648], ["99999999999999999999999", -1],
    ];
    for (const [text, expected] of cases) {
      it(`${JSON.stringify(text)} → ${expected}`, () => expect(parseServiceNumber(text)).to.equal(expected));
    }
  });

  const cases: Array<[string, Service | null, { socktype: number; protocol: number }, unknown]> = [
    ["no service: every default row, port 0", null, { socktype: 0, protocol: 0 }, [tcp(0), udp(0), raw(0)]],
    ["a number: every default row", numbered(80), { socktype: 0, protocol: 0 }, [tcp(80), udp(80), raw(80)]],
    ["a number wraps to 16 bits", numbered(70000), { socktype: 0, protocol: 0 }, [tcp(4464), udp(4464), raw(4464)]],
    ["a name in one protocol", named("http"), { socktype: 0, protocol: 0 }, [tcp(80)]],
    ["an alias counts", named("www"), { socktype: 0, protocol: 0 }, [tcp(80)]],
    ["a name in two protocols", named("https"), { socktype: 0, protocol: 0 }, [tcp(443), udp(443)]],
    ["an alias in one protocol, a name in the other", named("syslog"), { socktype: 0, protocol: 0 }, [tcp(514), udp(514)]],
    ["non-default rows are searched for names", named("both"), { socktype: 0, protocol: 0 },
      [tcp(7), { socktype: SOCK_DGRAM, protocol: IPPROTO_UDPLITE, port: 7 }]],
    ["sctp has a stream and a seqpacket row", named("sctpsvc"), { socktype: 0, protocol: 0 },
      [{ socktype: SOCK_STREAM, protocol: IPPROTO_SCTP, port: 9 }, { socktype: SOCK_SEQPACKET, protocol: IPPROTO_SCTP, port: 9 }]],
    ["names are case-sensitive", named("HTTP"), { socktype: 0, protocol: 0 }, EAI_SERVICE],
    ["an unknown name", named("nosuch"), { socktype: 0, protocol: 0 }, EAI_SERVICE],
    ["a name missing for the asked type", named("http"), { socktype: SOCK_DGRAM, protocol: 0 }, EAI_SERVICE],
    ["the asked type's row only", named("https"), { socktype: SOCK_DGRAM, protocol: 0 }, [udp(443)]],
    ["raw without a service", null, { socktype: SOCK_RAW, protocol: 0 }, [raw(0)]],
    ["raw takes no number, not even 0", numbered(0), { socktype: SOCK_RAW, protocol: 0 }, EAI_SERVICE],
    ["raw takes no name", named("http"), { socktype: SOCK_RAW, protocol: 0 }, EAI_SERVICE],
    ["raw takes any protocol", null, { socktype: 0, protocol: 255 }, [raw(0, 255)]],
    ["a protocol picks its first row", numbered(80), { socktype: 0, protocol: IPPROTO_SCTP }, [{ socktype: SOCK_STREAM, protocol: IPPROTO_SCTP, port: 80 }]],
    ["DCCP is in glibc's table", numbered(80), { socktype: 6, protocol: 0 }, [{ socktype: 6, protocol: 33, port: 80 }]],
    ["an unknown socket type", null, { socktype: 99, protocol: 0 }, EAI_SOCKTYPE],
    ["a type with a protocol it does not carry", null, { socktype: SOCK_STREAM, protocol: IPPROTO_UDP }, EAI_SOCKTYPE],
    ["a protocol nothing carries, no type", null, { socktype: 0, protocol: 99 }, [raw(0, 99)]],
    ["a port under such a protocol: raw refuses it", numbered(80), { socktype: 0, protocol: 99 }, EAI_SERVICE],
    ["a name under a protocol nothing names", named("http"), { socktype: 0, protocol: 99 }, EAI_SERVICE],
  ];
  for (const [title, service, hints, expected] of cases) {
    it(title, () => expect(servTuples(service, hints, () => SERVICES)).to.deep.equal(expected));
  }

  describe("numeric services' tuples are made once and shared", () => {
    const hints = (socktype = 0, protocol = 0) => ({ socktype, protocol });

    it("gives the same frozen tuples for the same port and hints, others for others", () => {
      const first = servTuples(numbered(8080), hints(), () => SERVICES);
      expect(servTuples(numbered(8080), hints(), () => SERVICES)).to.equal(first);
      expect(Object.isFrozen(first) && (first as object[]).every((t) => Object.isFrozen(t))).to.equal(true);
      expect(first).to.deep.equal([tcp(8080), udp(8080), raw(8080)]);
      expect(servTuples(numbered(8080), hints(SOCK_DGRAM), () => SERVICES)).to.deep.equal([udp(8080)]);
      expect(servTuples(numbered(8081), hints(), () => SERVICES)).to.deep.equal([tcp(8081), udp(8081), raw(8081)]);
    });

    it("keeps a raw socket's protocol the caller's, not shared", () => {
      expect(servTuples(null, hints(SOCK_RAW, 17), () => SERVICES)).to.deep.equal([raw(0, 17)]);
      expect(servTuples(null, hints(SOCK_RAW, 6), () => SERVICES)).to.deep.equal([raw(0, 6)]);
    });

    it("stays right past its bound of 1,024 sets (emptied, then made again)", () => {
      const before = servTuples(numbered(53), hints(), () => SERVICES);
      for (let port = 20_000; port < 21_100; port++) expect(servTuples(numbered(port), hints(SOCK_STREAM), () => SERVICES)).to.deep.equal([tcp(port)]);
      const after = servTuples(numbered(53), hints(), () => SERVICES);
      expect(after).to.not.equal(before);
      expect(after).to.deep.equal([tcp(53), udp(53), raw(53)]);
    });
  });
});
