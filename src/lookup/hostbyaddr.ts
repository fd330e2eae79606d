/**
 * CPython's socket.gethostbyaddr: setipaddr with AF_UNSPEC (a name is
 * resolved with getaddrinfo and its first answer used), then glibc's
 * gethostbyaddr_r.
 */
import { AF_UNSPEC } from "../constants.js";
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
