import { expect } from "chai";
import { SocketError } from "../../src/errors.js";
import { toCUInt, toGaiHost, toGaiPort, toHostnameArgument, toSockaddrArgument } from "../../src/lookup/args.js";

/** What a conversion did: its value, or the class and message it threw. */
function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

const typeError = (message: string) => ({ error: "TypeError", message });
const rangeError = (message: string) => ({ error: "RangeError", message });

// Expected texts are CPython 3.11's for the same arguments.
describe("lookup/args: CPython's argument conversions", () => {
  describe("the 'et' host argument of gethostbyname, gethostbyname_ex and gethostbyaddr", () => {
    const cases: Array<[unknown, unknown]> = [
      ["1.2.3.4", { value: "1.2.3.4" }],
      ["bücher.de", { value: "xn--bcher-kva.de" }],
      [Buffer.from("1.2.3.4"), { value: "1.2.3.4" }],
      [1, typeError("gethostbyname() argument 1 must be str, bytes or bytearray, not int")],
      [null, typeError("gethostbyname() argument 1 must be str, bytes or bytearray, not None")],
      ["1.2.3.4\0", typeError("gethostbyname() argument 1 must be encoded string without null bytes, not str")],
      [Buffer.from("1.2.3.4\0"), typeError("gethostbyname() argument 1 must be encoded string without null bytes, not bytes")],
      ["a..b\0", rangeError("encoding with 'idna' codec failed (UnicodeError: label empty or too long)")],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)}`, () => expect(outcome(() => toHostnameArgument("gethostbyname", input))).to.deep.equal(expected));
    }
  });

  describe("getaddrinfo's host", () => {
    const cases: Array<[unknown, unknown]> = [
      [null, { value: null }],
      [undefined, { value: null }],
      ["bücher.de", { value: "xn--bcher-kva.de" }],
      // CPython hands glibc a C string: a NUL ends it.
      ["127.0.0.1\0junk", { value: "127.0.0.1" }],
      [Buffer.from("1.2.3.4"), { value: "1.2.3.4" }],
      [1, typeError("getaddrinfo() argument 1 must be string or None")],
      ["a..b", rangeError("encoding with 'idna' codec failed (UnicodeError: label empty or too long)")],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)}`, () => expect(outcome(() => toGaiHost(input))).to.deep.equal(expected));
    }
  });

  describe("getaddrinfo's port", () => {
    const cases: Array<[unknown, unknown]> = [
      [null, { value: null }],
      [80, { value: "80" }],
      [-1, { value: "-1" }],
      ["http", { value: "http" }],
      ["80\0junk", { value: "80" }],
      [Buffer.from("80"), { value: "80" }],
      [2 ** 63, rangeError("Python int too large to convert to C long")],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)}`, () => expect(outcome(() => toGaiPort(input))).to.deep.equal(expected));
    }
    for (const input of [1.5, true, []]) {
      it(`${JSON.stringify(input)} is CPython's OSError`, () => {
        expect(() => toGaiPort(input)).to.throw(SocketError, "Int or String expected");
      });
    }
  });

  describe("the 'I' conversion of flowinfo and scope_id", () => {
    it("wraps modulo 2^32 without complaint", () => {
      expect(toCUInt(-1)).to.equal(4294967295);
      expect(toCUInt(2 ** 32)).to.equal(0);
      expect(toCUInt(2 ** 64 + 5)).to.equal(0);
    });
    it("refuses what is no integer", () => {
      expect(outcome(() => toCUInt(1.5))).to.deep.equal(typeError("'float' object cannot be interpreted as an integer"));
      expect(outcome(() => toCUInt("x"))).to.deep.equal(typeError("'str' object cannot be interpreted as an integer"));
      expect(outcome(() => toCUInt(null))).to.deep.equal(typeError("'NoneType' object cannot be interpreted as an integer"));
    });
  });

  describe("getnameinfo's sockaddr", () => {
    const illegal = typeError("getnameinfo(): illegal sockaddr argument");
    const cases: Array<[unknown, unknown]> = [
      [["127.0.0.1", 80], { value: { host: "127.0.0.1", port: 80, flowinfo: 0, scopeId: 0, length: 2 } }],
      [["::1", 80, 5, -1], { value: { host: "::1", port: 80, flowinfo: 5, scopeId: 4294967295, length: 4 } }],
      [{ 0: "127.0.0.1", 1: 80 }, typeError("getnameinfo() argument 1 must be a tuple")],
      [["127.0.0.1"], illegal],
      [[], illegal],
      [["::1", 80, 0, 0, 0], illegal],
      [[1, 80], illegal],
      [[Buffer.from("::1"), 80], illegal],
      [["127.0.0.1", "80"], typeError("'str' object cannot be interpreted as an integer")],
      [["::1", 1.5], typeError("'float' object cannot be interpreted as an integer")],
      [["::1", 2 ** 31], rangeError("signed integer is greater than maximum")],
      [["::1", 80, 0x100000, 0], rangeError("getnameinfo(): flowinfo must be 0-1048575.")],
      [["::1", 80, -1, 0], rangeError("getnameinfo(): flowinfo must be 0-1048575.")],
      [["127.0.0.1\0", 80], rangeError("embedded null character")],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)}`, () => expect(outcome(() => toSockaddrArgument(input))).to.deep.equal(expected));
    }
  });
});
