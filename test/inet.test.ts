import { expect } from "chai";
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { AF_INET, AF_INET6, AF_UNIX } from "../src/constants.js";
import { SocketError } from "../src/errors.js";
import {
  formatAddress, formatIPv4, formatIPv6, inet_aton, inet_ntoa, inet_ntop, inet_pton,
  parseInetAton, parseInetAtonExact, parseIPv4, parseIPv6, splitScope,
} from "../src/inet.js";

/** What a call did: its result, or the class, errno, code and message of what it threw. */
type Outcome =
  | { result: string }
  | { error: string; errno?: number; code?: string; message: string };

function outcome(call: () => Buffer | string): Outcome {
  try {
    const value = call();
    return { result: typeof value === "string" ? value : `<${value.toString("hex")}>` };
  } catch (e) {
    if (e instanceof SocketError) {
      const error: Outcome = { error: "SocketError", message: e.message };
      if (e.errno !== undefined) Object.assign(error, { errno: e.errno, code: e.code });
      return error;
    }
    if (e instanceof RangeError || e instanceof TypeError) return { error: e.constructor.name, message: e.message };
    throw e;
  }
}

/** An outcome as a test title shows it. */
const show = (o: Outcome): string => ("result" in o ? o.result : o.message);

const hex = (h: string): Buffer => Buffer.from(h, "hex");
const illegalAton = { error: "SocketError", message: "illegal IP address string passed to inet_aton" };
const illegalPton = { error: "SocketError", message: "illegal IP address string passed to inet_pton" };
const noFamily = { error: "SocketError", errno: 97, code: "EAFNOSUPPORT", message: "[Errno 97] Address family not supported by protocol" };
const badLength = { error: "RangeError", message: "invalid length of packed IP address string" };

describe("inet", () => {
  describe("inet_aton (glibc's forgiving parser)", () => {
    const cases: [input: string, want: Outcome][] = [
      ["192.168.1.1", { result: "<c0a80101>" }],
      ["127.0.0.1", { result: "<7f000001>" }],
      ["127.1", { result: "<7f000001>" }], // a.b: b fills 24 bits
      ["10.1.2", { result: "<0a010002>" }], // a.b.c: c fills 16 bits
      ["4294967295", { result: "<ffffffff>" }], // one part: 32 bits
      ["0177.0.0.1", { result: "<7f000001>" }], // octal
      ["0x7f.0X0.0.1", { result: "<7f000001>" }], // hex, either case
      ["1.2.3.4 junk", { result: "<01020304>" }], // stops at whitespace
      ["1.2.3.4\n", { result: "<01020304>" }],
      ["", illegalAton],
      [" 1.2.3.4", illegalAton],
      ["08.1.1.1", illegalAton], // 8 is no octal digit
      ["256.1.1.1", illegalAton],
      ["1.16777216", illegalAton], // 24-bit part overflows
      ["4294967296", illegalAton],
      ["1.2.3.4.5", illegalAton],
      ["1.2.3.4.", illegalAton],
      ["0x", illegalAton],
      ["1.2.3.4\u00a0", illegalAton], // only ASCII whitespace ends the address
      ["1.2.3.4\0", { error: "RangeError", message: "embedded null character" }],
      ["1.2.3.4 \ud800", { error: "RangeError", message: "'utf-8' codec can't encode character '\\ud800' in position 8: surrogates not allowed" }],
    ];
    for (const [input, want] of cases) {
      it(`${JSON.stringify(input)} → ${show(want)}`, () => {
        expect(outcome(() => inet_aton(input))).to.deep.equal(want);
      });
    }
  });

  describe("inet_pton", () => {
    const cases: [family: number, input: string, want: Outcome][] = [
      [AF_INET, "192.168.1.1", { result: "<c0a80101>" }],
      [AF_INET, "01.2.3.4", illegalPton], // strict: no leading zeros
      [AF_INET, "127.1", illegalPton], // strict: no short forms
      [AF_INET, "1.2.3.4 ", illegalPton],
      [AF_INET6, "2002:ac10:10a:1234:21e:52ff:fe74:40e", { result: "<2002ac10010a1234021e52fffe74040e>" }],
      [AF_INET6, "::", { result: `<${"00".repeat(16)}>` }],
      [AF_INET6, "::ffff:1.2.3.4", { result: "<00000000000000000000ffff01020304>" }],
      [AF_INET6, "1::1.2.3.4", { result: "<00010000000000000000000001020304>" }],
      [AF_INET6, "1:2:3:4:5:6:7::", { result: "<00010002000300040005000600070000>" }], // "::" for one group is fine here
      [AF_INET6, "1::2::3", illegalPton],
      [AF_INET6, "1:2:3:4:5:6:7:8:9", illegalPton],
      [AF_INET6, "1:2:3:4:5:6:7:8::", illegalPton], // "::" must stand for something
      [AF_INET6, "fe80::1%eth0", illegalPton],
      [AF_INET6, "12345::", illegalPton],
      [AF_INET6, ":1::", illegalPton],
      [AF_INET6, "1::2:", illegalPton],
      [AF_INET6, "::1.2.3.4:5", illegalPton], // the IPv4 tail must be last
      [AF_INET6, "::01.2.3.4", illegalPton], // and strict
      [AF_UNIX, "1.2.3.4", noFamily],
      [3, "anything", noFamily],
      [2 ** 31, "1.2.3.4", { error: "RangeError", message: "signed integer is greater than maximum" }],
    ];
    for (const [family, input, want] of cases) {
      it(`(${family}, ${JSON.stringify(input)}) → ${show(want)}`, () => {
        expect(outcome(() => inet_pton(family, input))).to.deep.equal(want);
      });
    }
  });

  describe("inet_ntop (glibc's text)", () => {
    const cases: [family: number, packed: string, want: Outcome][] = [
      [AF_INET, "7f000001", { result: "127.0.0.1" }],
      [AF_INET6, "2002ac10010a1234021e52fffe74040e", { result: "2002:ac10:10a:1234:21e:52ff:fe74:40e" }],
      [AF_INET6, "00000000000000000000000000000000", { result: "::" }],
      [AF_INET6, "00000000000000000000000000000001", { result: "::1" }], // not ::0.0.0.1
      [AF_INET6, "00000000000000000000000002030405", { result: "::2.3.4.5" }], // IPv4-compatible
      [AF_INET6, "00000000000000000000000000010000", { result: "::0.1.0.0" }],
      [AF_INET6, "00000000000000000000ffff01020304", { result: "::ffff:1.2.3.4" }], // IPv4-mapped
      [AF_INET6, "00000000000000000000ffff00000000", { result: "::ffff:0.0.0.0" }],
      [AF_INET6, "00000000000000000000fffe01020304", { result: "::fffe:102:304" }],
      [AF_INET6, "20010db8000000000000000000000001", { result: "2001:db8::1" }],
      [AF_INET6, "20010db8000000010000000000000001", { result: "2001:db8:0:1::1" }], // longest run
      [AF_INET6, "00010000000000010000000000000001", { result: "1:0:0:1::1" }],
      [AF_INET6, "00010000000000000001000000000001", { result: "1::1:0:0:1" }], // first of equal runs
      [AF_INET6, "00010002000300040005000600000008", { result: "1:2:3:4:5:6:0:8" }], // one zero group stays
      [AF_INET6, "fe800000000000000000000000000001", { result: "fe80::1" }],
      [AF_INET6, "00010000000000000000000000000000", { result: "1::" }],
      [AF_INET, "0102", badLength],
      [AF_INET6, "01020304", badLength],
      [3, "01020304", { error: "RangeError", message: "unknown address family 3" }],
    ];
    for (const [family, packed, want] of cases) {
      it(`(${family}, <${packed}>) → ${show(want)}`, () => {
        expect(outcome(() => inet_ntop(family, hex(packed)))).to.deep.equal(want);
      });
    }
  });

  describe("inet_ntoa", () => {
    it("prints 4 bytes, from a Buffer or a plain Uint8Array", () => {
      expect(inet_ntoa(hex("c0a80101"))).to.equal("192.168.1.1");
      expect(inet_ntoa(new Uint8Array([127, 0, 0, 1]))).to.equal("127.0.0.1");
    });
    it("rejects other lengths as Python does", () => {
      expect(outcome(() => inet_ntoa(hex("0102030405")))).to.deep.equal({ error: "SocketError", message: "packed IP wrong length for inet_ntoa" });
    });
  });

  describe("argument checks (CPython's texts)", () => {
    const cases: [name: string, call: () => Buffer | string, want: Outcome][] = [
      ["inet_aton(1)", () => inet_aton(1 as never), { error: "TypeError", message: "inet_aton() argument 1 must be str, not int" }],
      ["inet_aton(null)", () => inet_aton(null as never), { error: "TypeError", message: "inet_aton() argument 1 must be str, not None" }],
      ["inet_aton(bytes)", () => inet_aton(hex("01") as never), { error: "TypeError", message: "inet_aton() argument 1 must be str, not bytes" }],
      ["inet_pton(2, 1.5)", () => inet_pton(AF_INET, 1.5 as never), { error: "TypeError", message: "inet_pton() argument 2 must be str, not float" }],
      ["inet_pton('2', s)", () => inet_pton("2" as never, "1.2.3.4"), { error: "TypeError", message: "'str' object cannot be interpreted as an integer" }],
      ["inet_pton(2.5, s)", () => inet_pton(2.5, "1.2.3.4"), { error: "TypeError", message: "'float' object cannot be interpreted as an integer" }],
      // JavaScript booleans are not numbers (Python's bools are ints).
      ["inet_pton(true, s)", () => inet_pton(true as never, "1.2.3.4"), { error: "TypeError", message: "'bool' object cannot be interpreted as an integer" }],
      ["inet_ntoa('1234')", () => inet_ntoa("1234" as never), { error: "TypeError", message: "a bytes-like object is required, not 'str'" }],
      ["inet_ntop(2, [1,2,3,4])", () => inet_ntop(AF_INET, [1, 2, 3, 4] as never), { error: "TypeError", message: "a bytes-like object is required, not 'Array'" }],
      ["inet_ntop(2, undefined)", () => inet_ntop(AF_INET, undefined as never), { error: "TypeError", message: "a bytes-like object is required, not 'NoneType'" }],
    ];
    for (const [name, call, want] of cases) {
      it(`${name} → ${show(want)}`, () => {
        expect(outcome(call)).to.deep.equal(want);
      });
    }

    it("gives the unsupported-family error errno, code and strerror", () => {
      const e = (() => {
        try {
          inet_pton(AF_UNIX, "x");
        } catch (err) {
          return err;
        }
        throw new Error("inet_pton(AF_UNIX) did not throw");
      })();
      expect(e).to.be.instanceOf(SocketError);
      expect(e).to.include({ errno: 97, code: "EAFNOSUPPORT", strerror: "Address family not supported by protocol" });
    });

    it("returns Buffers", () => {
      expect(Buffer.isBuffer(inet_aton("1.2.3.4"))).to.equal(true);
      expect(Buffer.isBuffer(inet_pton(AF_INET6, "::1"))).to.equal(true);
    });
  });

  describe("helpers", () => {
    it("parseIPv4 is inet_pton(AF_INET); parseInetAton is inet_aton", () => {
      expect(parseIPv4("10.0.0.1")).to.deep.equal(new Uint8Array([10, 0, 0, 1]));
      expect(parseIPv4("10.1")).to.equal(null);
      expect(parseInetAton("10.1")).to.deep.equal(new Uint8Array([10, 0, 0, 1]));
      expect(parseInetAton("10.1 x")).to.deep.equal(new Uint8Array([10, 0, 0, 1]));
      expect(parseInetAton("10.1x")).to.equal(null);
    });

    it("parseInetAtonExact refuses anything after the address, as getaddrinfo does", () => {
      expect(parseInetAtonExact("0x7f.1")).to.deep.equal(new Uint8Array([127, 0, 0, 1]));
      expect(parseInetAtonExact("0x7f.1 ")).to.equal(null);
      expect(parseInetAtonExact("1.2.3.4\n")).to.equal(null);
      expect(parseInetAtonExact("1.2.3.4.")).to.equal(null);
    });

    it("read text as C does, up to the first NUL", () => {
      expect(parseIPv4("1.2.3.4\0junk")).to.deep.equal(new Uint8Array([1, 2, 3, 4]));
      expect(parseInetAton("1.2.3.4\0junk")).to.deep.equal(new Uint8Array([1, 2, 3, 4]));
      expect(parseInetAtonExact("127.1\0junk")).to.deep.equal(new Uint8Array([127, 0, 0, 1]));
      expect(parseIPv6("::1\0junk")).to.deep.equal(hex("00000000000000000000000000000001"));
      expect(parseIPv6("\0::1")).to.equal(null);
    });

    it("parseIPv6 takes no scope; splitScope splits one off at the first %", () => {
      expect(parseIPv6("fe80::1%eth0")).to.equal(null);
      expect(splitScope("fe80::1%eth0")).to.deep.equal({ address: "fe80::1", scope: "eth0" });
      expect(splitScope("fe80::1%%1")).to.deep.equal({ address: "fe80::1", scope: "%1" });
      expect(splitScope("fe80::1%")).to.deep.equal({ address: "fe80::1", scope: "" });
      expect(splitScope("fe80::1")).to.deep.equal({ address: "fe80::1" });
    });

    it("formatAddress picks the family by length and rejects other lengths", () => {
      expect(formatAddress(hex("c0a80101"))).to.equal(formatIPv4(hex("c0a80101")));
      expect(formatAddress(hex("00000000000000000000ffff01020304"))).to.equal("::ffff:1.2.3.4");
      expect(formatIPv6(hex("00000000000000000000ffff01020304"))).to.equal("::ffff:1.2.3.4");
      expect(() => formatAddress(hex("0102030405"))).to.throw(RangeError, "invalid length of packed IP address string");
    });
  });
});

/** The recorded answers of CPython's socket module; see scripts/golden/inet.py. */
describe("inet agrees with CPython (fixtures/golden/inet.json)", () => {
  type Tagged = { str: string } | { bytes: string } | { int: number } | { float: number } | { none: null };
  interface GoldenCase {
    call: "inet_aton" | "inet_ntoa" | "inet_pton" | "inet_ntop";
    args: Tagged[];
    result?: Tagged;
    error?: { type: string; errno: number | null; message: string };
  }
  const golden = JSON.parse(readFileSync(new URL("../fixtures/golden/inet.json", import.meta.url), "utf8")) as { cases: GoldenCase[] };

  const functions = { inet_aton, inet_ntoa, inet_pton, inet_ntop } as Record<string, (...args: unknown[]) => Buffer | string>;
  /** Python's exception classes as netdb raises them (API.md). */
  const jsClass: Record<string, string> = {
    OSError: "SocketError",
    TypeError: "TypeError",
    ValueError: "RangeError",
    UnicodeEncodeError: "RangeError",
    OverflowError: "RangeError",
  };

  function untag(value: Tagged): unknown {
    if ("str" in value) return value.str;
    if ("bytes" in value) return hex(value.bytes);
    if ("int" in value) return value.int;
    if ("float" in value) return value.float;
    return null;
  }

  function expected(c: GoldenCase): Outcome {
    if (c.result !== undefined) return { result: "str" in c.result ? c.result.str : `<${(c.result as { bytes: string }).bytes}>` };
    const { type, errno, message } = c.error!;
    const want: Outcome = { error: jsClass[type] ?? `unmapped Python ${type}`, message };
    if (errno !== null) Object.assign(want, { errno, code: errno === 97 ? "EAFNOSUPPORT" : `errno ${errno}` });
    return want;
  }

  it("holds the seed tour's examples", () => {
    const has = (call: string, arg: string) => golden.cases.some((c) => c.call === call && c.args.some((a) => "str" in a && a.str === arg));
    expect(has("inet_aton", "192.168.1.1")).to.equal(true);
    expect(has("inet_aton", "127.0.0.1")).to.equal(true);
    expect(has("inet_pton", "2002:ac10:10a:1234:21e:52ff:fe74:40e")).to.equal(true);
  });

  for (const call of ["inet_aton", "inet_ntoa", "inet_pton", "inet_ntop"]) {
    const cases = golden.cases.filter((c) => c.call === call);
    it(`${call}: ${cases.length} cases`, () => {
      expect(cases.length).to.be.greaterThan(10);
      const mismatches = [];
      for (const c of cases) {
        const args = c.args.map(untag);
        const got = outcome(() => functions[call](...args));
        const want = expected(c);
        if (!isDeepStrictEqual(got, want)) mismatches.push({ args: c.args, got, want });
      }
      expect(mismatches).to.deep.equal([]);
    });
  }
});
