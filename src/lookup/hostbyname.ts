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
import { SetIpAddr } from "./setipaddr.js";

/**
 * The buffer CPython 3.11's socket_gethostbyname_ex gives gethostbyname_r
 * (`char buf[16384]`, passed as `sizeof buf - 1`): a DNS answer that does
 * not fit fails with ERANGE, and CPython raises herror from the h_errno
 * the lookup left (HOST_NOT_FOUND): 1,362 addresses of a short name fit,
 * 1,363 do not.
 */
export const GETHOSTBYNAME_R_BUFLEN = 16383;

/**
 * socket.gethostbyname's call: the address as text goes to `resolve`, an
 * error to `reject`, the promise's own functions (no sink object between
 * the promise and the call).
 */
class ByName extends SetIpAddr {
  constructor(ctx: LookupContext, name: string, readonly resolve: (address: string) => void, readonly reject: (error: unknown) => void) {
    super(ctx, name);
  }

  protected resolved(address: Uint8Array): void {
    this.resolve(formatIPv4(address));
  }

  protected rejected(error: unknown): void {
    this.reject(error);
  }
}

/**
 * socket.gethostbyname: one IPv4 address for `name`, given to `resolve`,
 * or the error to `reject` (functions that do not throw). Never throws.
 */
export function gethostbynameThen(ctx: LookupContext, name: unknown, resolve: (address: string) => void, reject: (error: unknown) => void): void {
  let host: string;
  try {
    host = toHostnameArgument("gethostbyname", name);
  } catch (err) {
    reject(err);
    return;
  }
  new ByName(ctx, host, resolve, reject).setipaddr(AF_INET);
}

/** socket.gethostbyname: one IPv4 address for `name`. */
export function gethostbyname(ctx: LookupContext, name: unknown): Promise<string> {
  return new Promise((resolve, reject) => gethostbynameThen(ctx, name, resolve, reject));
}

/** gethostbyname_ex's setipaddr call; past it, gethostbyname_r for the name as given. */
class ExByName extends SetIpAddr {
  constructor(ctx: LookupContext, host: string, readonly sink: Sink<HostTuple>) {
    super(ctx, host);
  }

  protected resolved(): void {
    gethostbyname2RTo(this.ctx, this.name, 4, false, GETHOSTBYNAME_R_BUFLEN, new HostTupleOf(this.ctx, 4, this.name, this.sink));
  }

  protected rejected(error: unknown): void {
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
  new ExByName(ctx, host, sink).setipaddr(AF_INET);
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
