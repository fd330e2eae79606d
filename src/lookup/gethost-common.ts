/**
 * CPython's gethost_common: a hostent as the `(name, aliases, addresses)`
 * tuple, or herror from the thread's h_errno when there is none.
 */
import { formatAddress } from "../inet.js";
import type { LookupContext } from "./context.js";
import { EAFNOSUPPORT, errnoError, hostFailure } from "./failures.js";
import type { Sink } from "../sink.js";
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

/**
 * A gethostby*_r call's last step as CPython takes it: the tuple of what
 * it found (see {@link hostTuple}) goes to `sink`. `ofFound`: the family
 * to check is the hostent's own when there is one (glibc's gethostbyaddr,
 * whose answer may be of another family than the address asked).
 */
export class HostTupleOf implements Sink<HostLookup> {
  constructor(
    readonly ctx: LookupContext,
    readonly family: 4 | 6,
    readonly hostname: string,
    readonly sink: Sink<HostTuple>,
    readonly ofFound = false,
  ) {}

  done(found: HostLookup): void {
    let tuple: HostTuple;
    try {
      tuple = hostTuple(this.ctx, found, this.ofFound ? found.host?.family ?? this.family : this.family, this.hostname);
    } catch (err) {
      this.sink.failed(err);
      return;
    }
    this.sink.done(tuple);
  }

  failed(error: unknown): void {
    this.sink.failed(error);
  }
}
