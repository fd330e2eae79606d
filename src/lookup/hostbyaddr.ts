/**
 * CPython's socket.gethostbyaddr: setipaddr with AF_UNSPEC (a name is
 * resolved with getaddrinfo and its first answer used), then glibc's
 * gethostbyaddr_r.
 */
import { AF_UNSPEC } from "../constants.js";
import { toHostnameArgument } from "./args.js";
import type { LookupContext } from "./context.js";
import { publicGaiError } from "./failures.js";
import { gethostbyaddrR } from "./gethostby.js";
import { hostTuple, type HostTuple } from "./gethost-common.js";
import { setipaddr } from "./setipaddr.js";

/** socket.gethostbyaddr: `[hostname, aliases, addresses]` for an address or a name. */
export async function gethostbyaddr(ctx: LookupContext, ipOrName: unknown): Promise<HostTuple> {
  const name = toHostnameArgument("gethostbyaddr", ipOrName);
  let address: Uint8Array;
  try {
    address = await setipaddr(ctx, name, AF_UNSPEC);
  } catch (err) {
    throw publicGaiError(err, name);
  }
  const found = await gethostbyaddrR(ctx, address, false);
  return hostTuple(ctx, found, address.length === 4 ? 4 : 6, name);
}
