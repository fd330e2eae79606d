/**
 * Address text <-> bytes, by glibc's rules: `inet_aton`, `inet_pton` and
 * `inet_ntop` as non-throwing helpers for the other layers, and Python's
 * `socket.inet_*` functions (argument checks, error classes and messages
 * included) on top of them.
 *
 * The parsers read their text the way C reads a string: up to the first NUL.
 * Python's getaddrinfo hands glibc such a truncated string, so
 * `getaddrinfo("1.2.3.4\0x")` finds 1.2.3.4; the public `inet_*` functions
 * reject a NUL before parsing, as CPython does.
 */
import { bufferOver } from "./builtins.js";
import { AF_INET, AF_INET6 } from "./constants.js";
import { SocketError } from "./errors.js";

const CH_NUL = 0;
const CH_DOT = 0x2e;
const CH_COLON = 0x3a;
const CH_0 = 0x30;
const CH_7 = 0x37;
const CH_9 = 0x39;
const CH_X = 0x78;

/** Linux `EAFNOSUPPORT`, what glibc's inet_pton sets for a family it does not know. */
const EAFNOSUPPORT = 97;

/** Python's ValueError text for packed bytes of the wrong length. */
const INVALID_PACKED_LENGTH = "invalid length of packed IP address string";

/** Largest value of the last part of an inet_aton address, by how many parts came before it. */
const ATON_LAST_PART_MAX = [0xffffffff, 0xffffff, 0xffff, 0xff];

/** Length of `s` as C sees it: up to the first NUL. */
function cLength(s: string): number {
  const nul = s.indexOf("\0");
  return nul === -1 ? s.length : nul;
}

/** `s` as C sees it: up to the first NUL (the whole of `s` when it has none). */
export function cString(s: string): string {
  return s.slice(0, cLength(s));
}

/** Value of a hex digit character code, or -1 (also for NaN, past the end). */
function hexValue(c: number): number {
  if (c >= CH_0 && c <= CH_9) return c - CH_0;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * C's `isspace` for a character code, as glibc's C and UTF-8 locales
 * answer it: space, \t \n \v \f \r. Shared with the /etc file parsers.
 */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * glibc's inet_pton4 over `s[start, end)`: exactly four decimal parts of
 * 0-255, no leading zeros, nothing else. Writes the bytes at `out[at]`.
 */
function readDottedQuad(s: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let octets = 0;
  let value = 0;
  let sawDigit = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= CH_0 && c <= CH_9) {
      if (sawDigit && value === 0) return false;
      value = value * 10 + (c - CH_0);
      if (value > 255) return false;
      if (!sawDigit) {
        octets++;
        sawDigit = true;
      }
    } else if (c === CH_DOT && sawDigit && octets < 4) {
      out[at + octets - 1] = value;
      value = 0;
      sawDigit = false;
    } else {
      return false;
    }
  }
  if (octets < 4) return false;
  out[at + 3] = value;
  return true;
}

/**
 * Strict dotted-quad IPv4 text (`inet_pton(AF_INET)` rules) to its 4 bytes,
 * or null: `"192.168.1.1"` yes; `"01.2.3.4"`, `"127.1"`, `"1.2.3.4 "` no.
 */
export function parseIPv4(s: string): Uint8Array | null {
  return readDottedQuad(s, 0, cLength(s), SCRATCH, 0) ? SCRATCH.slice(0, 4) : null;
}

/**
 * Where the parsers write before they know the text is an address: most
 * texts they are given are host names, and a lookup should not allocate an
 * array for each of them (young-generation garbage per lookup).
 */
const SCRATCH = new Uint8Array(16);

/**
 * glibc's inet_aton_end: parses 1-4 parts (`a`, `a.b` as 8.24 bits,
 * `a.b.c` as 8.8.16, `a.b.c.d`), each decimal, octal (`0177`) or hex
 * (`0x7f`) as C's strtoul reads them, into `out`. Returns the index where
 * the address ended (at the end, a NUL or an ASCII space), or -1.
 */
function readInetAton(s: string, out: Uint8Array): number {
  let parts = 0;
  let value: number;
  let i = 0;
  for (;;) {
    let c = s.charCodeAt(i);
    if (!(c >= CH_0 && c <= CH_9)) return -1;
    value = 0;
    if (c !== CH_0) {
      for (; c >= CH_0 && c <= CH_9; c = s.charCodeAt(++i)) {
        value = value * 10 + (c - CH_0);
        if (value > 0xffffffff) return -1;
      }
    } else if ((s.charCodeAt(i + 1) | 0x20) === CH_X && hexValue(s.charCodeAt(i + 2)) >= 0) {
      // strtoul takes "0x" as a prefix only when a hex digit follows; a bare
      // "0x" reads as 0 followed by the junk "x".
      i += 2;
      for (let d = hexValue(s.charCodeAt(i)); d >= 0; d = hexValue(s.charCodeAt(++i))) {
        value = value * 16 + d;
        if (value > 0xffffffff) return -1;
      }
    } else {
      for (; c >= CH_0 && c <= CH_7; c = s.charCodeAt(++i)) {
        value = value * 8 + (c - CH_0);
        if (value > 0xffffffff) return -1;
      }
    }
    if (s.charCodeAt(i) !== CH_DOT) break;
    if (parts === 3 || value > 0xff) return -1;
    out[parts++] = value;
    i++;
  }
  if (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== CH_NUL && !isSpace(c)) return -1;
  }
  if (value > ATON_LAST_PART_MAX[parts]) return -1;
  for (let k = 3; k >= parts; k--, value >>>= 8) out[k] = value & 0xff;
  return i;
}

/**
 * IPv4 text by glibc's `inet_aton` rules to its 4 bytes, or null. Accepts
 * what `inet_aton` accepts, including `"127.1"`, `"0x7f.1"`, `"4294967295"`
 * and `"1.2.3.4 anything"` (it stops at the first whitespace).
 */
export function parseInetAton(s: string): Uint8Array | null {
  return readInetAton(s, SCRATCH) >= 0 ? SCRATCH.slice(0, 4) : null;
}

/**
 * Like {@link parseInetAton}, but the whole (C) string must be the address:
 * glibc's `__inet_aton_exact`, which getaddrinfo uses for
 * numeric hosts, so `"1.2.3.4 x"` and `"1.2.3.4\n"` are names there, not addresses.
 */
export function parseInetAtonExact(s: string): Uint8Array | null {
  const end = readInetAton(s, SCRATCH);
  return end >= 0 && (end === s.length || s.charCodeAt(end) === CH_NUL) ? SCRATCH.slice(0, 4) : null;
}

/**
 * IPv6 text (`inet_pton(AF_INET6)` rules) to its 16 bytes, or null. At most
 * one `::`, groups of 1-4 hex digits, an optional strict dotted-quad tail
 * in the last 32 bits; no `%scope` (see {@link splitScope}).
 */
export function parseIPv6(s: string): Uint8Array | null {
  const end = cLength(s);
  if (end === 0) return null;
  let i = 0;
  if (s.charCodeAt(0) === CH_COLON) {
    // A leading colon must be half of a "::".
    if (end < 2 || s.charCodeAt(1) !== CH_COLON) return null;
    i = 1;
  }
  const out = SCRATCH;
  let at = 0; // next byte of out to fill
  let gap = -1; // where the "::" stood, as a byte index
  let groupStart = i;
  let digits = 0;
  let value = 0;
  while (i < end) {
    const c = s.charCodeAt(i++);
    const d = hexValue(c);
    if (d >= 0) {
      if (digits === 4) return null;
      value = (value << 4) | d;
      digits++;
    } else if (c === CH_COLON) {
      groupStart = i;
      if (digits === 0) {
        if (gap >= 0) return null;
        gap = at;
      } else {
        if (i === end || at > 14) return null;
        out[at++] = value >> 8;
        out[at++] = value & 0xff;
        digits = 0;
        value = 0;
      }
    } else if (c === CH_DOT && at <= 12 && readDottedQuad(s, groupStart, end, out, at)) {
      at += 4;
      digits = 0;
      break;
    } else {
      return null;
    }
  }
  if (digits > 0) {
    if (at > 14) return null;
    out[at++] = value >> 8;
    out[at++] = value & 0xff;
  }
  if (gap >= 0) {
    // "::" must stand for at least one group.
    if (at === 16) return null;
    const tail = at - gap;
    out.copyWithin(16 - tail, gap, at);
    out.fill(0, gap, 16 - tail);
    at = 16;
  }
  return at === 16 ? out.slice() : null;
}

/**
 * Splits a scoped IPv6 address at its first `%`: `"fe80::1%eth0"` →
 * `{ address: "fe80::1", scope: "eth0" }`. Without a `%`, `scope` is
 * absent; with an empty one (`"fe80::1%"`) it is `""`.
 */
export function splitScope(s: string): { address: string; scope?: string } {
  const percent = s.indexOf("%");
  return percent === -1 ? { address: s } : { address: s.slice(0, percent), scope: s.slice(percent + 1) };
}

/** 4 bytes as dotted-quad text, `inet_ntop(AF_INET)`. */
export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * 16 bytes as IPv6 text exactly as glibc's inet_ntop prints it: lowercase
 * hex without leading zeros; the longest run of two or more zero groups
 * (the first of equally long runs) as `::`; and a dotted-quad tail for
 * IPv4-mapped `::ffff:a.b.c.d` and for IPv4-compatible `::a.b.c.d` when
 * the seventh group is non-zero (so `::1` and `::0.1.0.0`, but `::2.3.4.5`).
 */
export function formatIPv6(bytes: Uint8Array): string {
  let runStart = -1;
  let bestStart = -1;
  let bestLength = 0;
  for (let g = 0; g < 8; g++) {
    if (bytes[2 * g] !== 0 || bytes[2 * g + 1] !== 0) {
      runStart = -1;
      continue;
    }
    if (runStart === -1) runStart = g;
    if (g - runStart + 1 > bestLength) {
      bestStart = runStart;
      bestLength = g - runStart + 1;
    }
  }
  if (bestLength < 2) bestStart = -1;

  let text = "";
  for (let g = 0; g < 8; g++) {
    if (bestStart !== -1 && g >= bestStart && g < bestStart + bestLength) {
      if (g === bestStart) text += ":";
      continue;
    }
    if (g !== 0) text += ":";
    if (g === 6 && bestStart === 0 && (bestLength === 6 || (bestLength === 5 && bytes[10] === 0xff && bytes[11] === 0xff))) {
      return text + formatIPv4(bytes.subarray(12));
    }
    text += ((bytes[2 * g] << 8) | bytes[2 * g + 1]).toString(16);
  }
  if (bestStart !== -1 && bestStart + bestLength === 8) text += ":";
  return text;
}

/**
 * 4 or 16 bytes as address text ({@link formatIPv4} or {@link formatIPv6}).
 * Any other length is a caller's bug: RangeError, as `inet_ntop` raises.
 */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return formatIPv4(bytes);
  if (bytes.length === 16) return formatIPv6(bytes);
  throw new RangeError(INVALID_PACKED_LENGTH);
}

// ---------------------------------------------------------------------------
// Python's socket.inet_* functions.

/** Python's OSError without errno, such as "illegal IP address string passed to inet_aton". */
function illegalInput(message: string): SocketError {
  return new SocketError(message, undefined, "EINVAL");
}

/**
 * The name Python would give a value's type, so that type errors read as
 * CPython's do (`"inet_aton() argument 1 must be str, not int"`); for
 * JavaScript-only types, the JavaScript name.
 */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "boolean":
      return "bool";
    case "object":
      if (value instanceof Uint8Array) return "bytes";
      return (value as object).constructor?.name ?? "object";
    default:
      return typeof value;
  }
}

/** The first lone surrogate code unit of `s` at or after `from`, or -1. */
function loneSurrogateIndex(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/**
 * CPython's UnicodeEncodeError (a ValueError) for the lone surrogates
 * starting at code unit `first`; positions count code points, as Python's do.
 */
function surrogateError(s: string, first: number): RangeError {
  let last = first;
  while (loneSurrogateIndex(s, last + 1) === last + 1) last++;
  const position = Array.from(s.slice(0, first)).length;
  const reason = "surrogates not allowed";
  if (last === first) {
    const hex = s.charCodeAt(first).toString(16);
    return new RangeError(`'utf-8' codec can't encode character '\\u${hex}' in position ${position}: ${reason}`);
  }
  return new RangeError(`'utf-8' codec can't encode characters in position ${position}-${position + last - first}: ${reason}`);
}

/**
 * CPython's "s" argument conversion: a str, encodable as UTF-8 (no lone
 * surrogates), without NUL characters.
 */
export function requireCString(fn: string, position: number, value: unknown): string {
  if (typeof value !== "string") {
    const type = value === null || value === undefined ? "None" : pythonTypeName(value);
    throw new TypeError(`${fn}() argument ${position} must be str, not ${type}`);
  }
  const surrogate = loneSurrogateIndex(value, 0);
  if (surrogate !== -1) throw surrogateError(value, surrogate);
  if (value.includes("\0")) throw new RangeError("embedded null character");
  return value;
}

/** CPython's "i" argument conversion: an integer that fits a C int. */
export function requireCInt(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`'${pythonTypeName(value)}' object cannot be interpreted as an integer`);
  }
  if (value >= 2 ** 63 || value < -(2 ** 63)) throw new RangeError("Python int too large to convert to C long");
  if (value > 0x7fffffff) throw new RangeError("signed integer is greater than maximum");
  if (value < -0x80000000) throw new RangeError("signed integer is less than minimum");
  return value;
}

/** CPython's "y*" argument conversion, for the bytes-like objects JavaScript has: Uint8Array (and Buffer). */
function requireBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`a bytes-like object is required, not '${pythonTypeName(value)}'`);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return bufferOver(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * IPv4 text to its 4 packed bytes by glibc's `inet_aton` rules, like
 * Python's `socket.inet_aton`: `inet_aton("127.1")` → `<7f 00 00 01>`.
 *
 * @throws SocketError `illegal IP address string passed to inet_aton`
 * @throws TypeError when `s` is not a string
 * @throws RangeError when `s` holds a NUL or a lone surrogate (Python's ValueError)
 */
export function inet_aton(s: string): Buffer {
  const text = requireCString("inet_aton", 1, s);
  const bytes = parseInetAton(text);
  if (bytes === null) throw illegalInput("illegal IP address string passed to inet_aton");
  return toBuffer(bytes);
}

/**
 * 4 packed bytes to dotted-quad text, like Python's `socket.inet_ntoa`.
 *
 * @throws SocketError `packed IP wrong length for inet_ntoa`
 * @throws TypeError when `packed` is not a Uint8Array
 */
export function inet_ntoa(packed: Uint8Array): string {
  const bytes = requireBytes(packed);
  if (bytes.length !== 4) throw illegalInput("packed IP wrong length for inet_ntoa");
  return formatIPv4(bytes);
}

/**
 * Address text of `family` (AF_INET: strict dotted quad; AF_INET6) to its
 * packed bytes, like Python's `socket.inet_pton`.
 *
 * @throws SocketError `illegal IP address string passed to inet_pton`; for
 *   another family `[Errno 97] Address family not supported by protocol`
 *   (errno 97, code `EAFNOSUPPORT`)
 * @throws TypeError when `family` is not an integer or `s` not a string
 * @throws RangeError when `family` does not fit a C int, or `s` holds a NUL
 *   or a lone surrogate (Python's OverflowError and ValueError)
 */
export function inet_pton(family: number, s: string): Buffer {
  const af = requireCInt(family);
  const text = requireCString("inet_pton", 2, s);
  let bytes: Uint8Array | null;
  if (af === AF_INET) {
    bytes = parseIPv4(text);
  } else if (af === AF_INET6) {
    bytes = parseIPv6(text);
  } else {
    throw new SocketError(
      "[Errno 97] Address family not supported by protocol", EAFNOSUPPORT, "EAFNOSUPPORT",
      "Address family not supported by protocol");
  }
  if (bytes === null) throw illegalInput("illegal IP address string passed to inet_pton");
  return toBuffer(bytes);
}

/**
 * Packed bytes of `family` (4 for AF_INET, 16 for AF_INET6) to address text
 * as glibc prints it, like Python's `socket.inet_ntop`.
 *
 * @throws RangeError `invalid length of packed IP address string`, and
 *   `unknown address family N` for another family (both Python's ValueError),
 *   or when `family` does not fit a C int
 * @throws TypeError when `family` is not an integer or `packed` not a Uint8Array
 */
export function inet_ntop(family: number, packed: Uint8Array): string {
  const af = requireCInt(family);
  const bytes = requireBytes(packed);
  if (af === AF_INET) {
    if (bytes.length !== 4) throw new RangeError(INVALID_PACKED_LENGTH);
    return formatIPv4(bytes);
  }
  if (af === AF_INET6) {
    if (bytes.length !== 16) throw new RangeError(INVALID_PACKED_LENGTH);
    return formatIPv6(bytes);
  }
  throw new RangeError(`unknown address family ${af}`);
}

/** IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`): getaddrinfo makes them for AI_V4MAPPED, the sort compares IPv4 addresses in this form, and gai.conf may write IPv4 prefixes in it. */
const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** True for 16 address bytes of the form `::ffff:a.b.c.d`. */
export function isV4Mapped(address: Uint8Array): boolean {
  return address.length === 16 && V4_MAPPED_PREFIX.every((b, i) => address[i] === b);
}

/** The IPv4-mapped IPv6 form (16 bytes) of 4 IPv4 address bytes. */
export function v4Mapped(v4: Uint8Array): Uint8Array {
  return Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]);
}
