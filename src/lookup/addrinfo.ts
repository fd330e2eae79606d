/**
 * CPython's socket.getaddrinfo over glibc's (getaddrinfo.ts): its argument
 * conversions (family, type, proto and flags as C ints, then the host,
 * then the port), the tuples it builds from the results, and gaierror for
 * the failures.
 */
import { AF_INET, AF_INET6 } from "../constants.js";
import { formatAddress, requireCInt } from "../inet.js";
import { viaSink, type Sink } from "../sink.js";
import { toGaiHost, toGaiPort } from "./args.js";
import type { LookupContext } from "./context.js";
import type { Result } from "./destinations.js";
import { publicGaiError } from "./failures.js";
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

/** socket.getaddrinfo's call of glibc's: the results as CPython's tuples, failures as gaierror for the host. */
class AddrInfos extends GetaddrinfoCall {
  constructor(ctx: LookupContext, readonly hostname: string | undefined, readonly sink: Sink<AddrInfo[]>) {
    super(ctx);
  }

  protected results(results: Result[]): void {
    this.sink.done(toAddrInfos(results));
  }

  failed(error: unknown): void {
    this.sink.failed(publicGaiError(error, this.hostname));
  }
}

/**
 * socket.getaddrinfo: CPython's argument conversions (family, type, proto
 * and flags as C ints, then the host, then the port), glibc's getaddrinfo,
 * and gaierror for its failures; reported to `sink`. Never throws.
 */
export function getaddrinfoTo(
  ctx: LookupContext, sink: Sink<AddrInfo[]>, host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0,
): void {
  let hints: AddrInfoHints;
  let hostText: string | null;
  let service: string | null;
  try {
    // Conversion errors are CPython's own TypeError or OverflowError, as they are.
    hints = { family: requireCInt(family), socktype: requireCInt(type), protocol: requireCInt(proto), flags: requireCInt(flags) };
    hostText = toGaiHost(host);
    service = toGaiPort(port);
  } catch (err) {
    sink.failed(err);
    return;
  }
  new AddrInfos(ctx, hostText ?? undefined, sink).start(hostText, service, hints);
}

/** socket.getaddrinfo as a promise (see {@link getaddrinfoTo}). */
export function getaddrinfo(
  ctx: LookupContext, host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0,
): Promise<AddrInfo[]> {
  return viaSink((sink) => getaddrinfoTo(ctx, sink, host, port, family, type, proto, flags));
}
