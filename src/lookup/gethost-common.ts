/**
 * CPython's gethost_common: a hostent as the `(name, aliases, addresses)`
 * tuple, or herror from the thread's h_errno when there is none.
 */
import { formatAddress } from "../inet.js";
import type { LookupContext } from "./context.js";
import { EAFNOSUPPORT, errnoError, hostFailure } from "./failures.js";
import type { HostLookup } from "./gethostby.js";

/** `[hostname, aliases, addresses]`. */
export type HostTuple = [hostname: string, aliases: string[], addresses: string[]];

/**
 * The tuple for a gethostby*_r result. CPython reads the thread's h_errno,
 * not the one the call stored, so a failure can report a value an earlier
 * lookup left there, as it does in CPython.
 */
export function hostTuple(ctx: LookupContext, found: HostLookup, family: 4 | 6, hostname: string): HostTuple {
  const host = found.host;
  if (host === undefined) throw hostFailure(ctx.thread.hErrno, { hostname, servers: found.servers });
  if (host.family !== family) throw errnoError(EAFNOSUPPORT, { hostname });
  return [host.name, [...host.aliases], host.addresses.map(formatAddress)];
}
