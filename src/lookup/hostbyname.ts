/**
 * CPython's socket.gethostbyname and socket.gethostbyname_ex: setipaddr
 * with AF_INET (so names fail with getaddrinfo's gaierror), then, for
 * gethostbyname_ex, glibc's gethostbyname_r for the names and aliases.
 */
import { AF_INET } from "../constants.js";
import { formatIPv4 } from "../inet.js";
import { withHostnameArgument } from "./args.js";
import type { LookupContext } from "./context.js";
import { gethostbyname2R } from "./gethostby.js";
import { hostTuple, type HostTuple } from "./gethost-common.js";
import { setipaddr } from "./setipaddr.js";

/** socket.gethostbyname: one IPv4 address for `name`. */
export function gethostbyname(ctx: LookupContext, name: unknown): Promise<string> {
  return withHostnameArgument("gethostbyname", name, (host) => setipaddr(ctx, host, AF_INET, formatIPv4));
}

/** socket.gethostbyname_ex: `[canonical, aliases, addresses]`, IPv4 only. */
export function gethostbynameEx(ctx: LookupContext, name: unknown): Promise<HostTuple> {
  return withHostnameArgument("gethostbyname_ex", name, (host) =>
    setipaddr(ctx, host, AF_INET, () => gethostbyname2R(ctx, host, 4, false)).then((found) => hostTuple(ctx, found, 4, host)),
  );
}

/**
 * glibc's gethostbyname2 for one family, as `getent hosts` calls it: the
 * name as given (no IDNA), the hosts sources, herror from h_errno on failure.
 */
export function gethostbyname2(ctx: LookupContext, name: string, family: 4 | 6): Promise<HostTuple> {
  return gethostbyname2R(ctx, name, family, true).then((found) => hostTuple(ctx, found, family, name));
}
