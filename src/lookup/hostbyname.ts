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

/**
 * The buffer CPython 3.11's socket_gethostbyname_ex gives gethostbyname_r
 * (`char buf[16384]`, passed as `sizeof buf - 1`): a DNS answer that does
 * not fit fails with ERANGE, and CPython raises herror from the h_errno
 * the lookup left (HOST_NOT_FOUND): 1,362 addresses of a short name fit,
 * 1,363 do not.
 */
export const GETHOSTBYNAME_R_BUFLEN = 16383;

/** socket.gethostbyname: one IPv4 address for `name`. */
export function gethostbyname(ctx: LookupContext, name: unknown): Promise<string> {
  return withHostnameArgument("gethostbyname", name, (host) => setipaddr(ctx, host, AF_INET, formatIPv4));
}

/** socket.gethostbyname_ex: `[canonical, aliases, addresses]`, IPv4 only. */
export function gethostbynameEx(ctx: LookupContext, name: unknown): Promise<HostTuple> {
  return withHostnameArgument("gethostbyname_ex", name, (host) =>
    setipaddr(ctx, host, AF_INET, () => gethostbyname2R(ctx, host, 4, false, GETHOSTBYNAME_R_BUFLEN)).then((found) => hostTuple(ctx, found, 4, host)),
  );
}

/**
 * glibc's gethostbyname2 for one family, as `getent hosts` calls it: the
 * name as given (no IDNA), the hosts sources, herror from h_errno on failure.
 */
export function gethostbyname2(ctx: LookupContext, name: string, family: 4 | 6): Promise<HostTuple> {
  return gethostbyname2R(ctx, name, family, true).then((found) => hostTuple(ctx, found, family, name));
}
