/**
 * CPython's socket.gethostbyname and socket.gethostbyname_ex: setipaddr
 * with AF_INET (so names fail with getaddrinfo's gaierror), then, for
 * gethostbyname_ex, glibc's gethostbyname_r for the names and aliases.
 */
import { AF_INET } from "../constants.js";
import { formatIPv4 } from "../inet.js";
import { viaSink, type Sink } from "../sink.js";
import { toHostnameArgument } from "./args.js";
import type { LookupContext } from "./context.js";
import { gethostbyname2RTo } from "./gethostby.js";
import { HostTupleOf, type HostTuple } from "./gethost-common.js";
import { setipaddrTo } from "./setipaddr.js";

/**
 * The buffer CPython 3.11's socket_gethostbyname_ex gives gethostbyname_r
 * (`char buf[16384]`, passed as `sizeof buf - 1`): a DNS answer that does
 * not fit fails with ERANGE, and CPython raises herror from the h_errno
 * the lookup left (HOST_NOT_FOUND): 1,362 addresses of a short name fit,
 * 1,363 do not.
 */
export const GETHOSTBYNAME_R_BUFLEN = 16383;

/** socket.gethostbyname: one IPv4 address for `name`, reported to `sink`. Never throws. */
export function gethostbynameTo(ctx: LookupContext, name: unknown, sink: Sink<string>): void {
  let host: string;
  try {
    host = toHostnameArgument("gethostbyname", name);
  } catch (err) {
    sink.failed(err);
    return;
  }
  setipaddrTo(ctx, host, AF_INET, formatIPv4, sink);
}

/** socket.gethostbyname: one IPv4 address for `name`. */
export function gethostbyname(ctx: LookupContext, name: unknown): Promise<string> {
  return viaSink((sink) => gethostbynameTo(ctx, name, sink));
}

/** gethostbyname_ex past setipaddr: gethostbyname_r for the name as given. */
class ExByName implements Sink<Uint8Array> {
  constructor(readonly ctx: LookupContext, readonly host: string, readonly sink: Sink<HostTuple>) {}

  done(): void {
    gethostbyname2RTo(this.ctx, this.host, 4, false, GETHOSTBYNAME_R_BUFLEN, new HostTupleOf(this.ctx, 4, this.host, this.sink));
  }

  failed(error: unknown): void {
    this.sink.failed(error);
  }
}

/** socket.gethostbyname_ex: `[canonical, aliases, addresses]`, IPv4 only, reported to `sink`. Never throws. */
export function gethostbynameExTo(ctx: LookupContext, name: unknown, sink: Sink<HostTuple>): void {
  let host: string;
  try {
    host = toHostnameArgument("gethostbyname_ex", name);
  } catch (err) {
    sink.failed(err);
    return;
  }
  setipaddrTo(ctx, host, AF_INET, asBytes, new ExByName(ctx, host, sink));
}

/** socket.gethostbyname_ex: `[canonical, aliases, addresses]`, IPv4 only. */
export function gethostbynameEx(ctx: LookupContext, name: unknown): Promise<HostTuple> {
  return viaSink((sink) => gethostbynameExTo(ctx, name, sink));
}

/**
 * glibc's gethostbyname2 for one family, as `getent hosts` calls it: the
 * name as given (no IDNA), the hosts sources, herror from h_errno on
 * failure; reported to `sink`. Never throws.
 */
export function gethostbyname2To(ctx: LookupContext, name: string, family: 4 | 6, sink: Sink<HostTuple>): void {
  gethostbyname2RTo(ctx, name, family, true, undefined, new HostTupleOf(ctx, family, name, sink));
}

/** {@link gethostbyname2To} as a promise. */
export function gethostbyname2(ctx: LookupContext, name: string, family: 4 | 6): Promise<HostTuple> {
  return viaSink((sink) => gethostbyname2To(ctx, name, family, sink));
}

/** setipaddr's address as it is. */
export function asBytes(address: Uint8Array): Uint8Array {
  return address;
}
