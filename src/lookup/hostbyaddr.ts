/**
 * CPython's socket.gethostbyaddr: setipaddr with AF_UNSPEC (a name is
 * resolved with getaddrinfo and its first answer used), then glibc's
 * gethostbyaddr_r.
 */
import { AF_UNSPEC } from "../constants.js";
import { formatAddress } from "../inet.js";
import { withHostnameArgument } from "./args.js";
import type { LookupContext } from "./context.js";
import { gethostbyaddrR } from "./gethostby.js";
import { hostTuple, type HostTuple } from "./gethost-common.js";
import { setipaddr } from "./setipaddr.js";

/** socket.gethostbyaddr: `[hostname, aliases, addresses]` for an address or a name. */
export function gethostbyaddr(ctx: LookupContext, ipOrName: unknown): Promise<HostTuple> {
  return withHostnameArgument("gethostbyaddr", ipOrName, (name) =>
    setipaddr(ctx, name, AF_UNSPEC, (address) =>
      gethostbyaddrR(ctx, address, false).then((found) => hostTuple(ctx, found, address.length === 4 ? 4 : 6, name)),
    ),
  );
}

/**
 * glibc's gethostbyaddr of numeric address bytes, as `getent hosts` calls
 * it: the hostent as C returns it, whose family may differ from the
 * address's (nss_dns answers an IPv4-mapped address with the IPv4 one),
 * where CPython's gethostbyaddr raises EAFNOSUPPORT. herror on failure.
 */
export function gethostbyaddr2(ctx: LookupContext, address: Uint8Array): Promise<HostTuple> {
  return gethostbyaddrR(ctx, address, true).then((found) => hostTuple(ctx, found, found.host?.family ?? (address.length === 4 ? 4 : 6), formatAddress(address)));
}
