/**
 * `lookup(hostname, options?, callback)`: a drop-in for `dns.lookup`, and
 * so for the `lookup` option of `net.connect`, `http.request`,
 * `http.Agent` and undici's `Agent({ connect: { lookup } })`, answered by
 * netdb's getaddrinfo instead of the C library on the libuv thread pool.
 *
 * It does what lib/dns.js and cares_wrap.cc of Node 20 do around
 * getaddrinfo: the same argument checks and errors, the same shortcuts (an
 * empty name answers null at once, an IP address answers itself), the
 * getaddrinfo call itself (`SOCK_STREAM`, the family asked, `hints` as
 * flags), the same result order (`verbatim` keeps getaddrinfo's RFC 6724
 * order; `ipv4first`/`ipv6first` move one family ahead; the default is
 * `resultOrder()`, node:dns's `dns.getDefaultResultOrder()` unless given), and the same error objects
 * (`getaddrinfo ENOTFOUND name`, `errno` the libuv number).
 *
 * Differences from node:dns, all from the C library being netdb here: the
 * name goes through getaddrinfo as Python passes it (IDNA-encoded, where
 * glibc called from Node sends raw UTF-8), and scope IDs are not printed
 * (neither does node:dns).
 */
import type { LookupAddress, LookupOptions } from "node:dns";
import { getDefaultResultOrder as nodeResultOrder, isIP } from "../builtins.js";
import type { promisify } from "node:util";
import { PROMISIFY_CUSTOM } from "../builtins.js";
import { AF_INET, AF_INET6, AF_UNSPEC, AI_ADDRCONFIG, AI_ALL, AI_V4MAPPED, EAI_NODATA, SOCK_STREAM } from "../constants.js";
import { SocketError } from "../errors.js";
import { dnsException, uvErrnoOfGai, type NodeDnsError } from "./errors.js";
import {
  invalidArgType, invalidArgValue, validateBoolean, validateFunction, validateNumber, validateOneOf, validateString,
} from "./validate.js";

/** What `lookup` needs from a netdb Resolver: its getaddrinfo. */
export interface AddrInfoSource {
  getaddrinfo(
    host: string | null,
    port: string | number | null,
    family?: number,
    type?: number,
    proto?: number,
    flags?: number,
  ): Promise<Array<[number, number, number, string, [string, number, ...number[]]]>>;
}

/** The result order names of node:dns. */
export type ResultOrder = "verbatim" | "ipv4first" | "ipv6first";

/** The callback of a `lookup` for one address. */
export type LookupOneCallback = (err: NodeDnsError | null, address: string, family: number) => void;
/** The callback of a `lookup` with `all: true`. */
export type LookupAllCallback = (err: NodeDnsError | null, addresses: LookupAddress[]) => void;

/** `dns.lookup`'s overloads. */
export interface Lookup {
  (hostname: string, family: number, callback: LookupOneCallback): object;
  (hostname: string, options: LookupOptions & { all: true }, callback: LookupAllCallback): object;
  (hostname: string, options: LookupOptions & { all?: false | undefined }, callback: LookupOneCallback): object;
  (hostname: string, options: LookupOptions, callback: (err: NodeDnsError | null, address: string | LookupAddress[], family: number) => void): object;
  (hostname: string, callback: LookupOneCallback): object;
  /** `util.promisify(lookup)`: resolves `{ address, family }`, or the array with `all`. */
  [promisify.custom]: LookupPromise;
  /** The same function as `[util.promisify.custom]`; makes a Lookup assignable to `typeof dns.lookup`. */
  __promisify__: LookupPromise;
}

/** `dns.promises.lookup`'s shape. */
export interface LookupPromise {
  (hostname: string, options: LookupOptions & { all: true }): Promise<LookupAddress[]>;
  (hostname: string, options?: number | (LookupOptions & { all?: false | undefined })): Promise<LookupAddress>;
  (hostname: string, options?: number | LookupOptions): Promise<LookupAddress | LookupAddress[]>;
}

const FAMILIES = [0, 4, 6] as const;
const ORDERS: readonly ResultOrder[] = ["verbatim", "ipv4first", "ipv6first"];
/** The hints node:dns accepts. */
const VALID_HINTS = AI_ADDRCONFIG | AI_ALL | AI_V4MAPPED;

/** A parsed, checked lookup request. */
interface Request {
  family: 0 | 4 | 6;
  hints: number;
  all: boolean;
  order: ResultOrder;
}

let invalidHostnameWarned = false;

/**
 * Builds a `dns.lookup` look-alike over `source` (a netdb Resolver), whose
 * `getaddrinfo` is `source()` at call time, so a lazily built default
 * resolver is only built on first use.
 */
export function createLookup(source: () => AddrInfoSource, resultOrder: () => ResultOrder = nodeResultOrder): Lookup {
  const lookup = lookupFunction(source, resultOrder, true);
  const promised = (hostname: string, options?: number | LookupOptions): Promise<LookupAddress | LookupAddress[]> =>
    new Promise((resolve, reject) => {
      lookup(hostname, options ?? {}, (err: NodeDnsError | null, address: string | LookupAddress[], family?: number) => {
        if (err) reject(err);
        else resolve(Array.isArray(address) ? address : { address, family: family! });
      });
    });
  Object.defineProperty(lookup, PROMISIFY_CUSTOM, { value: promised, enumerable: false });
  Object.defineProperty(lookup, "__promisify__", { value: promised, enumerable: false });
  return lookup as unknown as Lookup;
}

type LookupFunction = (hostname: unknown, options: unknown, callback?: unknown) => object;

/**
 * The callback lookup; `familyNames` lets `options.family` be `"IPv4"` or
 * `"IPv6"`, as lib/dns.js does and dns.promises' lookup does not.
 */
function lookupFunction(source: () => AddrInfoSource, resultOrder: () => ResultOrder, familyNames: boolean): LookupFunction {
  return function lookup(hostname: unknown, options: unknown, callback?: unknown): object {
    if (hostname) validateString(hostname, "hostname");
    let cb: unknown = callback;
    const request: Request = { family: 0, hints: 0, all: false, order: resultOrder() };
    if (typeof options === "function") {
      cb = options;
    } else if (typeof options === "number") {
      validateFunction(cb, "callback");
      validateOneOf(options, "family", FAMILIES);
      request.family = options;
    } else if (options !== undefined && typeof options !== "object") {
      validateFunction(arguments.length === 2 ? options : cb, "callback");
      throw invalidArgType("options", "of type object or integer", options);
    } else {
      validateFunction(cb, "callback");
      readOptions(options as Record<string, unknown> | null | undefined, request, familyNames);
    }
    const done = cb as (...args: unknown[]) => void;

    if (!hostname) {
      warnInvalidHostname(hostname);
      if (request.all) process.nextTick(done, null, []);
      else process.nextTick(done, null, null, request.family === 6 ? 6 : 4);
      return {};
    }
    const name = hostname as string;
    const ipFamily = isIP(name);
    if (ipFamily !== 0) {
      if (request.all) process.nextTick(done, null, [{ address: name, family: ipFamily }]);
      else process.nextTick(done, null, name, ipFamily);
      return {};
    }
    resolveAll(source, name, request).then(
      (addresses) => {
        if (request.all) process.nextTick(done, null, addresses);
        else process.nextTick(done, null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: unknown) => process.nextTick(done, err),
    );
    return {};
  };
}

/** lib/dns.js's checks of the options object, in its order. */
function readOptions(options: Record<string, unknown> | null | undefined, request: Request, familyNames: boolean): void {
  if (options?.hints != null) {
    validateNumber(options.hints, "options.hints");
    request.hints = options.hints >>> 0;
    if ((request.hints & ~VALID_HINTS) !== 0) throw invalidArgValue("hints", request.hints);
  }
  if (options?.family != null) {
    if (familyNames && options.family === "IPv4") request.family = 4;
    else if (familyNames && options.family === "IPv6") request.family = 6;
    else {
      validateOneOf(options.family, "options.family", FAMILIES);
      request.family = options.family;
    }
  }
  if (options?.all != null) {
    validateBoolean(options.all, "options.all");
    request.all = options.all;
  }
  if (options?.verbatim != null) {
    validateBoolean(options.verbatim, "options.verbatim");
    request.order = options.verbatim ? "verbatim" : "ipv4first";
  }
  if (options?.order != null) {
    validateOneOf(options.order, "options.order", ORDERS);
    request.order = options.order;
  }
}

/** node:dns warns once per process when asked for an empty name (DEP0118). */
function warnInvalidHostname(hostname: unknown): void {
  if (invalidHostnameWarned) return;
  invalidHostnameWarned = true;
  process.emitWarning(
    `The provided hostname "${String(hostname)}" is not a valid hostname, and is supported in the dns module solely for compatibility.`,
    "DeprecationWarning",
    "DEP0118",
  );
}

/**
 * getaddrinfo as cares_wrap.cc calls it, and its answer as Node reports
 * it: addresses in the requested order, each with its family (the family
 * asked for, if any, as node:dns does); no address at all is EAI_NODATA.
 */
async function resolveAll(source: () => AddrInfoSource, hostname: string, request: Request): Promise<LookupAddress[]> {
  const af = request.family === 4 ? AF_INET : request.family === 6 ? AF_INET6 : AF_UNSPEC;
  let infos: Awaited<ReturnType<AddrInfoSource["getaddrinfo"]>>;
  try {
    infos = await source().getaddrinfo(hostname, null, af, SOCK_STREAM, 0, request.hints);
  } catch (err) {
    throw gaiFailure(err, "getaddrinfo", hostname);
  }
  const found = infos
    .filter(([family]) => family === AF_INET || family === AF_INET6)
    .map(([family, , , , sockaddr]) => ({ address: sockaddr[0].replace(/%.*$/, ""), family: family === AF_INET ? 4 : 6 }));
  const ordered =
    request.order === "ipv4first" ? [...found.filter((a) => a.family === 4), ...found.filter((a) => a.family === 6)]
    : request.order === "ipv6first" ? [...found.filter((a) => a.family === 6), ...found.filter((a) => a.family === 4)]
    : found;
  if (ordered.length === 0) throw dnsException(uvErrnoOfGai(EAI_NODATA), "getaddrinfo", hostname);
  return ordered.map((a) => ({ address: a.address, family: request.family || a.family }));
}

/** A netdb getaddrinfo or getnameinfo failure as node:dns reports it for `syscall`; anything else passes through. */
export function gaiFailure(err: unknown, syscall: string, hostname: string): unknown {
  if (!(err instanceof SocketError) || err.errno === undefined) return err;
  const systemErrno = (err.cause as { errno?: unknown } | undefined)?.errno;
  return dnsException(uvErrnoOfGai(err.errno, typeof systemErrno === "number" ? Math.abs(systemErrno) : undefined), syscall, hostname);
}

/**
 * `dns.promises.lookup` over `lookup`: the same checks, thrown at once
 * (where `util.promisify(lookup)` rejects), and a promise of
 * `{ address, family }`, or the array with `all`.
 */
export function createLookupPromise(source: () => AddrInfoSource, resultOrder: () => ResultOrder = nodeResultOrder): LookupPromise {
  const lookup = lookupFunction(source, resultOrder, false);
  return function lookupPromise(hostname: string, options?: number | LookupOptions): Promise<LookupAddress | LookupAddress[]> {
    if (typeof options === "function") throw invalidArgType("options", "of type object or integer", options);
    let settle!: { resolve: (value: LookupAddress | LookupAddress[]) => void; reject: (err: unknown) => void };
    const promise = new Promise<LookupAddress | LookupAddress[]>((resolve, reject) => {
      settle = { resolve, reject };
    });
    lookup(hostname, options, (err: NodeDnsError | null, address: string | LookupAddress[], family?: number) => {
      if (err) settle.reject(err);
      else settle.resolve(Array.isArray(address) ? address : { address, family: family! });
    });
    return promise;
  } as LookupPromise;
}
