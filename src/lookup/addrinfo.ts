/**
 * CPython's socket.getaddrinfo over glibc's (getaddrinfo.ts): its argument
 * conversions (family, type, proto and flags as C ints, then the host,
 * then the port), the tuples it builds from the results, and gaierror for
 * the failures.
 */
import { AF_INET, AF_INET6 } from "../constants.js";
import { formatAddress, requireCInt } from "../inet.js";
import { toGaiHost, toGaiPort } from "./args.js";
import type { LookupContext } from "./context.js";
import type { Result } from "./destinations.js";
import { publicGaiError } from "./failures.js";
import { interned } from "./interned.js";
import { GetaddrinfoCall, getaddrinfoResults, type AddrInfoHints, type AddrInfoRequest } from "./getaddrinfo.js";

/** A socket address as Python shows it: `[address, port]` or `[address, port, flowinfo, scope_id]`. */
export type SockAddr = [address: string, port: number] | [address: string, port: number, flowinfo: number, scopeId: number];

/** One getaddrinfo result: `[family, type, proto, canonname, sockaddr]`. */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: SockAddr];

/** A result as the tuple CPython builds. */
function toAddrInfo(r: Result): AddrInfo {
  const address = formatAddress(r.address);
  const sockaddr: SockAddr = r.family === 4 ? [address, r.port] : [address, r.port, 0, r.scopeId];
  return [r.family === 4 ? AF_INET : AF_INET6, r.socktype, r.protocol, r.canonname ?? "", sockaddr];
}

function toAddrInfos(results: readonly Result[]): AddrInfo[] {
  return results.map(toAddrInfo);
}

/** getaddrinfo(3) over C arguments, as CPython's tuples; rejects as {@link getaddrinfoResults} does. */
export function getaddrinfoCore(ctx: LookupContext, request: AddrInfoRequest): Promise<AddrInfo[]> {
  return getaddrinfoResults(ctx, request).then(toAddrInfos);
}

/**
 * socket.getaddrinfo's call of glibc's: the results as CPython's tuples
 * go to `resolve`, failures as gaierror for the host to `reject`, the
 * promise's own functions (no sink object between the promise and the call).
 */
class AddrInfos extends GetaddrinfoCall {
  constructor(ctx: LookupContext, readonly hostname: string | undefined, readonly resolve: (infos: AddrInfo[]) => void, readonly reject: (error: unknown) => void) {
    super(ctx);
  }

  protected results(results: Result[]): void {
    this.resolve(toAddrInfos(results));
  }

  failed(error: unknown): void {
    this.reject(publicGaiError(error, this.hostname));
  }
}

/**
 * getaddrinfo's hints, shared per value when each field is a small
 * number (every caller's usual hints; interned.ts): a call in flight
 * holds its hints, and most calls give the same few. At most 256 sets.
 */
const HINTS = new Map<number, AddrInfoHints>();
const HINTS_MAX = 256;

function hintsOf(family: number, socktype: number, protocol: number, flags: number): AddrInfoHints {
  const small = family >= 0 && family < 64 && socktype >= 0 && socktype < 16 && protocol >= 0 && protocol < 256 && flags >= 0 && flags < 4096;
  if (!small) return { family, socktype, protocol, flags };
  const key = family | (socktype << 6) | (protocol << 10) | (flags << 18);
  return interned(HINTS, HINTS_MAX, key, () => Object.freeze({ family, socktype, protocol, flags }));
}

/**
 * socket.getaddrinfo: CPython's argument conversions (family, type, proto
 * and flags as C ints, then the host, then the port), glibc's getaddrinfo,
 * and gaierror for its failures; the tuples given to `resolve`, an error
 * to `reject` (functions that do not throw). Never throws.
 */
export function getaddrinfoThen(
  ctx: LookupContext, resolve: (infos: AddrInfo[]) => void, reject: (error: unknown) => void,
  host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0,
): void {
  let hints: AddrInfoHints;
  let hostText: string | null;
  let service: string | null;
  try {
    // Conversion errors are CPython's own TypeError or OverflowError, as they are.
    hints = hintsOf(requireCInt(family), requireCInt(type), requireCInt(proto), requireCInt(flags));
    hostText = toGaiHost(host);
    service = toGaiPort(port);
  } catch (err) {
    reject(err);
    return;
  }
  new AddrInfos(ctx, hostText ?? undefined, resolve, reject).start(hostText, service, hints);
}

/** socket.getaddrinfo as a promise (see {@link getaddrinfoThen}). */
export function getaddrinfo(
  ctx: LookupContext, host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0,
): Promise<AddrInfo[]> {
  return new Promise((resolve, reject) => getaddrinfoThen(ctx, resolve, reject, host, port, family, type, proto, flags));
}
