/**
 * The error objects node:dns hands out, rebuilt so code that switches on
 * `err.code` or prints `err.message` cannot tell netdb from node:dns.
 *
 * node:dns builds them in one place (lib/internal/errors.js, DNSException):
 * a plain `Error` whose message is `"<syscall> <code> <hostname>"` and whose
 * own enumerable properties are, in this order, `errno`, `code`,
 * `syscall` and (when the hostname is not empty) `hostname`. A numeric code
 * is a libuv error number: `errno` keeps it and `code` is its name, except
 * that both "no such name" numbers of getaddrinfo become `ENOTFOUND`. A
 * string code is a c-ares status (`ENODATA`, `ESERVFAIL`, ...) and `errno`
 * stays undefined.
 */
import { getSystemErrorName } from "../builtins.js";
import {
  EAI_ADDRFAMILY, EAI_AGAIN, EAI_BADFLAGS, EAI_FAIL, EAI_FAMILY, EAI_MEMORY, EAI_NODATA, EAI_NONAME,
  EAI_OVERFLOW, EAI_SERVICE, EAI_SOCKTYPE,
} from "../constants.js";

/** An error as node:dns reports it. */
export interface NodeDnsError extends Error {
  /** A libuv error number (negative), or undefined for c-ares statuses. */
  errno: number | undefined;
  /** `ENOTFOUND`, `EAI_AGAIN`, `ENODATA`, `ETIMEOUT`, ... */
  code: string;
  /** `getaddrinfo`, `queryA`, `queryMx`, `getHostByAddr`, ... */
  syscall: string;
  /** The name asked for; absent when it was empty. */
  hostname?: string;
}

/** libuv's UV_EAI_NODATA and UV_EAI_NONAME: node:dns calls both ENOTFOUND. */
const UV_EAI_NODATA = -3007;
const UV_EAI_NONAME = -3008;

/**
 * Builds the error node:dns would build for `code` (a libuv error number
 * or a c-ares status name), raised by `syscall` for `hostname`.
 */
export function dnsException(code: number | string, syscall: string, hostname?: string): NodeDnsError {
  let errno: number | undefined;
  let name: string;
  if (typeof code === "number") {
    errno = code;
    name = code === UV_EAI_NODATA || code === UV_EAI_NONAME ? "ENOTFOUND" : getSystemErrorName(code);
  } else {
    name = code;
  }
  const err = new Error(`${syscall} ${name}${hostname ? ` ${hostname}` : ""}`) as NodeDnsError;
  err.errno = errno;
  err.code = name;
  err.syscall = syscall;
  if (hostname) err.hostname = hostname;
  return err;
}

/**
 * glibc `EAI_*` values and the libuv numbers libuv translates them to
 * (uv__getaddrinfo_translate_error), which node:dns reports as `errno`.
 */
const UV_OF_GAI: ReadonlyMap<number, number> = new Map([
  [EAI_ADDRFAMILY, -3000],
  [EAI_AGAIN, -3001],
  [EAI_BADFLAGS, -3002],
  [EAI_FAIL, -3004],
  [EAI_FAMILY, -3005],
  [EAI_MEMORY, -3006],
  [EAI_NODATA, UV_EAI_NODATA],
  [EAI_NONAME, UV_EAI_NONAME],
  [EAI_OVERFLOW, -3009],
  [EAI_SERVICE, -3010],
  [EAI_SOCKTYPE, -3011],
]);

/**
 * The libuv error number node:dns would see for a failed getaddrinfo that
 * returned glibc's `gaiErrno`. `EAI_SYSTEM` carries the C `errno` instead
 * (libuv reports `-errno`), given as `systemErrno`; without one the
 * failure is reported as the generic `EAI_FAIL`.
 */
export function uvErrnoOfGai(gaiErrno: number, systemErrno?: number): number {
  const uv = UV_OF_GAI.get(gaiErrno);
  if (uv !== undefined) return uv;
  if (systemErrno !== undefined && systemErrno > 0) return -systemErrno;
  return UV_OF_GAI.get(EAI_FAIL)!;
}
