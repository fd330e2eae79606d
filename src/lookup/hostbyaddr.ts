/**
 * CPython's socket.gethostbyaddr: setipaddr with AF_UNSPEC (a name is
 * resolved with getaddrinfo and its first answer used), then glibc's
 * gethostbyaddr_r.
 */
import { AF_UNSPEC } from "../constants.js";
import { formatAddress } from "../inet.js";
import { viaSink, type Sink } from "../sink.js";
import { toHostnameArgument } from "./args.js";
import type { LookupContext } from "./context.js";
import { gethostbyaddrRTo } from "./gethostby.js";
import { HostTupleOf, type HostTuple } from "./gethost-common.js";
import { SetIpAddr } from "./setipaddr.js";

/** gethostbyaddr's setipaddr call; past it, gethostbyaddr_r for the address. */
class ByAddress extends SetIpAddr {
  constructor(ctx: LookupContext, name: string, readonly sink: Sink<HostTuple>) {
    super(ctx, name);
  }

  protected resolved(address: Uint8Array): void {
    gethostbyaddrRTo(this.ctx, address, false, new HostTupleOf(this.ctx, address.length === 4 ? 4 : 6, this.name, this.sink));
  }

  protected rejected(error: unknown): void {
    this.sink.failed(error);
  }
}

/** socket.gethostbyaddr: `[hostname, aliases, addresses]` for an address or a name, reported to `sink`. Never throws. */
export function gethostbyaddrTo(ctx: LookupContext, ipOrName: unknown, sink: Sink<HostTuple>): void {
  let name: string;
  try {
    name = toHostnameArgument("gethostbyaddr", ipOrName);
  } catch (err) {
    sink.failed(err);
    return;
  }
  new ByAddress(ctx, name, sink).setipaddr(AF_UNSPEC);
}

/** socket.gethostbyaddr: `[hostname, aliases, addresses]` for an address or a name. */
export function gethostbyaddr(ctx: LookupContext, ipOrName: unknown): Promise<HostTuple> {
  return viaSink((sink) => gethostbyaddrTo(ctx, ipOrName, sink));
}

/**
 * glibc's gethostbyaddr of numeric address bytes, as `getent hosts` calls
 * it: the hostent as C returns it, whose family may differ from the
 * address's (nss_dns answers an IPv4-mapped address with the IPv4 one),
 * where CPython's gethostbyaddr raises EAFNOSUPPORT. herror on failure;
 * reported to `sink`. Never throws.
 */
export function gethostbyaddr2To(ctx: LookupContext, address: Uint8Array, sink: Sink<HostTuple>): void {
  gethostbyaddrRTo(ctx, address, true, new HostTupleOf(ctx, address.length === 4 ? 4 : 6, formatAddress(address), sink, true));
}

/** {@link gethostbyaddr2To} as a promise. */
export function gethostbyaddr2(ctx: LookupContext, address: Uint8Array): Promise<HostTuple> {
  return viaSink((sink) => gethostbyaddr2To(ctx, address, sink));
}
