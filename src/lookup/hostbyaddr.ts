/**
 * CPython's socket.gethostbyaddr: setipaddr with AF_UNSPEC (a name is
 * resolved with getaddrinfo and its first answer used), then glibc's
 * gethostbyaddr_r.
 */
import { AF_UNSPEC } from "../constants.js";
import { toHostnameArgument } from "./args.js";
import type { LookupContext } from "./context.js";
import { gethostbyaddrR } from "./gethostby.js";
import { hostTuple, type HostTuple } from "./gethost-common.js";
import { setipaddr } from "./setipaddr.js";

/**
 * socket.gethostbyaddr: `[hostname, aliases, addresses]` for an address or
 * a name. Not an async function (a lookup in flight holds promise
 * reactions, not a suspended generator), but like one it never throws.
 */
export function gethostbyaddr(ctx: LookupContext, ipOrName: unknown): Promise<HostTuple> {
  let name: string;
  try {
    name = toHostnameArgument("gethostbyaddr", ipOrName);
  } catch (err) {
    return Promise.reject(err);
  }
  return setipaddr(ctx, name, AF_UNSPEC, (address) =>
    gethostbyaddrR(ctx, address, false).then((found) => hostTuple(ctx, found, address.length === 4 ? 4 : 6, name)));
}
