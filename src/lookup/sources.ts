/**
 * The hosts database of the name service switch: the sources named on
 * nsswitch.conf's `hosts:` line, walked in order with their actions (the
 * loop glibc's getXXbyYY_r and getaddrinfo's get_nss_addresses share),
 * and the thread's `h_errno`, which glibc and CPython read after the fact.
 */
import type { NssSource, NssStatus } from "../files/nsswitch.js";
import type { AddrTuple, HostEnt, NssOutcome } from "./hostent.js";

/** What a source function returns: nss_files answers at once, nss_dns once its queries are answered. */
export type NssResult<T> = NssOutcome<T> | Promise<NssOutcome<T>>;

/** The lookups a hosts source module provides (nss_files and nss_dns provide all). */
export interface HostsModule {
  /** gethostbyname4_r: every family at once, for getaddrinfo with AF_UNSPEC. */
  byName4(name: string): NssResult<AddrTuple[]>;
  /**
   * gethostbyname3_r / gethostbyname2_r / gethostbyname_r for one family.
   * `checkName`: nss_dns refuses names that are no host names (res_hnok)
   * in gethostbyname2_r and gethostbyname_r, not in gethostbyname3_r.
   * `buflen`: the caller's fixed result buffer, in octets (CPython's for
   * gethostbyname_r); a result that does not fit is TRYAGAIN with
   * NETDB_INTERNAL and ERANGE. Unlimited when not given, as for
   * getaddrinfo, which grows its buffer and asks again.
   */
  byName3(name: string, family: 4 | 6, checkName: boolean, buflen?: number): NssResult<HostEnt>;
  /** gethostbyaddr2_r. */
  byAddr(address: Uint8Array, family: 4 | 6): NssResult<HostEnt>;
}

/** One entry of the `hosts:` line: its module (undefined for one this library does not have) and actions. */
export interface ConfiguredSource {
  name: string;
  module: HostsModule | undefined;
  actions: NssSource["actions"];
}

/**
 * The thread's `h_errno`. glibc's lookups leave their error there as a side
 * effect, and CPython's gethostbyname_ex and gethostbyaddr report whatever
 * it holds when they fail, even a value an earlier call left behind; so a
 * Resolver keeps one, as a thread would.
 */
export interface ThreadState {
  hErrno: number;
}

/**
 * Applies what one source call did to the thread's h_errno: the resolver's
 * own writes always land there; the source's h_errnop writes land there
 * only when the caller passed `&h_errno` (getaddrinfo does, the
 * gethostby*_r functions CPython calls do not).
 */
export function recordHErrno(thread: ThreadState, outcome: NssOutcome<unknown>, errnopIsThread: boolean): void {
  if (outcome.resolverHErrno !== undefined) thread.hErrno = outcome.resolverHErrno;
  if (errnopIsThread && outcome.herrno !== undefined) thread.hErrno = outcome.herrno;
}

/**
 * One lookup's part in a walk over the sources: what it asks a source and
 * what it makes of the answer (each glibc caller keeps its own status
 * bookkeeping and merge rule), while {@link walkSources} does the stepping
 * and follows each source's action. An object rather than closures: a
 * lookup in flight keeps it, and one small object is less memory than
 * closures with their contexts.
 */
export interface SourceStep<A, R> {
  /** Before the next source is asked: false ends the walk there. */
  next(): boolean;
  /** Asks a source's module: its answer now, or a promise of it. */
  ask(source: ConfiguredSource, module: HostsModule): A | Promise<A>;
  /** A source whose module this library lacks; its UNAVAIL action decides what follows, as for a module without the function in glibc. */
  lacking(): void;
  /** Takes a source's answer: the status whose action is followed, or undefined to end the walk whatever the action. */
  take(source: ConfiguredSource, answer: A): NssStatus | undefined;
  /** The action followed was `merge`. */
  merging(): void;
  /** What the walk found. */
  end(): R;
}

/**
 * The walk over the hosts sources from `index` on: each source asked in
 * order and its action for the status followed, until one says return or
 * the sources run out; then the step's end. A source that answers at once
 * is taken at once: the result is a promise only once a source answers
 * later (a hot path: docs/internal-contracts.md, "Hot paths"). Throws
 * what the step throws.
 */
export function walkSources<A, R>(sources: readonly ConfiguredSource[], step: SourceStep<A, R>, index = 0): R | Promise<R> {
  for (let i = index; i < sources.length; i++) {
    if (!step.next()) break;
    const source = sources[i]!;
    const module = source.module;
    if (module === undefined) {
      step.lacking();
      if (!goesOn(source, "unavail", step)) break;
      continue;
    }
    const answer = step.ask(source, module);
    if (answer instanceof Promise) return afterAnswer(sources, step, answer, source, i + 1);
    if (!goesOn(source, step.take(source, answer), step)) break;
  }
  return step.end();
}

/** Goes on from `next` once `source` has answered. */
function afterAnswer<A, R>(
  sources: readonly ConfiguredSource[], step: SourceStep<A, R>, answer: Promise<A>, source: ConfiguredSource, next: number,
): Promise<R> {
  return answer.then((answered) => (goesOn(source, step.take(source, answered), step) ? walkSources(sources, step, next) : step.end()));
}

/** The nsswitch action check: false when the source's action for `status` is to return. */
function goesOn(source: ConfiguredSource, status: NssStatus | undefined, step: SourceStep<unknown, unknown>): boolean {
  if (status === undefined) return false;
  const action = source.actions[status];
  if (action === "merge") step.merging();
  return action !== "return";
}
