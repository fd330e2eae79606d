/**
 * CPython's argument conversions for the lookup functions, so that wrong
 * arguments fail with the class and text CPython uses. JavaScript values
 * stand for Python ones: a string is a `str`, a Uint8Array a `bytes`, an
 * array a `tuple`, null and undefined are `None`. Python's ValueError and
 * OverflowError are RangeError here, its OSError is SocketError (API.md).
 */
import { SocketError } from "../errors.js";
import { pythonTypeName, requireCInt } from "../inet.js";
import { encodeIdna } from "./idna.js";

/** True for the values that are Python ints here: integral numbers. */
function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/** CPython's "I" conversion: any integer, reduced modulo 2^32 without a check. */
export function toCUInt(value: unknown): number {
  if (!isInt(value)) throw new TypeError(`'${pythonTypeName(value)}' object cannot be interpreted as an integer`);
  return Number(BigInt.asUintN(32, BigInt(value)));
}

/** A byte string as C sees it: up to its first NUL. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul === -1 ? s : s.slice(0, nul);
}

/** Bytes to a string of one character per byte (latin1), the form names travel in here. */
function bytesToText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/**
 * CPython's "et" conversion with the "idna" encoding, used by
 * gethostbyname, gethostbyname_ex and gethostbyaddr: a str is IDNA-encoded,
 * bytes pass as they are; the result must hold no NUL.
 */
export function toHostnameArgument(fn: string, value: unknown): string {
  let text: string;
  let type: string;
  if (typeof value === "string") {
    text = encodeIdna(value);
    type = "str";
  } else if (value instanceof Uint8Array) {
    text = bytesToText(value);
    type = "bytes";
  } else {
    const name = value === null || value === undefined ? "None" : pythonTypeName(value);
    throw new TypeError(`${fn}() argument 1 must be str, bytes or bytearray, not ${name}`);
  }
  if (text.includes("\0")) {
    throw new TypeError(`${fn}() argument 1 must be encoded string without null bytes, not ${type}`);
  }
  return text;
}

/**
 * getaddrinfo's host: None, a str (IDNA-encoded) or bytes. CPython passes
 * the bytes to C unchecked, so a NUL ends the name there.
 */
export function toGaiHost(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return cString(encodeIdna(value));
  if (value instanceof Uint8Array) return cString(bytesToText(value));
  throw new TypeError("getaddrinfo() argument 1 must be string or None");
}

/**
 * getaddrinfo's port: None, an int (printed as C's "%ld"), a str or bytes
 * (as C reads them, up to a NUL). Anything else is CPython's
 * `OSError("Int or String expected")`.
 */
export function toGaiPort(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (isInt(value)) {
    if (value >= 2 ** 63 || value < -(2 ** 63)) throw new RangeError("Python int too large to convert to C long");
    return BigInt(value).toString();
  }
  if (typeof value === "string") return cString(value);
  if (value instanceof Uint8Array) return cString(bytesToText(value));
  throw new SocketError("Int or String expected");
}

/** A parsed getnameinfo sockaddr: CPython's "si|II" of the tuple. */
export interface SockaddrArgument {
  host: string;
  port: number;
  flowinfo: number;
  scopeId: number;
  /** How many items the tuple had (2 to 4). */
  length: number;
}

const ILLEGAL_SOCKADDR = "getnameinfo(): illegal sockaddr argument";

/**
 * getnameinfo's sockaddr: a tuple (an array here) of a str host, an int
 * port and optionally flowinfo and scope id, checked as CPython checks it.
 */
export function toSockaddrArgument(value: unknown): SockaddrArgument {
  if (!Array.isArray(value)) throw new TypeError("getnameinfo() argument 1 must be a tuple");
  if (value.length < 2 || value.length > 4 || typeof value[0] !== "string") throw new TypeError(ILLEGAL_SOCKADDR);
  const host = value[0];
  if (host.includes("\0")) throw new RangeError("embedded null character");
  const port = requireCInt(value[1]);
  const flowinfo = value.length > 2 ? toCUInt(value[2]) : 0;
  const scopeId = value.length > 3 ? toCUInt(value[3]) : 0;
  if (flowinfo > 0xfffff) throw new RangeError("getnameinfo(): flowinfo must be 0-1048575.");
  return { host, port, flowinfo, scopeId, length: value.length };
}
