/**
 * The hosts database of the name service switch: the sources named on
 * nsswitch.conf's `hosts:` line, walked in order with their actions (the
 * loop glibc's getXXbyYY_r and getaddrinfo's get_nss_addresses share),
 * and the thread's `h_errno`, which glibc and CPython read after the fact.
 */
import type { NssSource, NssStatus } from "../files/nsswitch.js";
import type { Reader } from "../sink.js";
import type { AddrTuple, HostEnt, NssOutcome } from "./hostent.js";

/**
 * Where a source function reports (docs/internal-contracts.md, "Sinks"):
 * its outcome, or a failure that is no NSS status (the signal's reason on
 * abort, a bug's error); exactly one, once. nss_files reports before its
 * function returns, nss_dns once its queries are answered.
 */
export interface NssSink<T> {
  answered(outcome: NssOutcome<T>): void;
  failed(error: unknown): void;
}

/** The lookups a hosts source module provides (nss_files and nss_dns provide all); none throws. */
export interface HostsModule {
  /** gethostbyname4_r: every family at once, for getaddrinfo with AF_UNSPEC. */
  byName4(name: string, sink: NssSink<AddrTuple[]>): void;
  /**
   * gethostbyname3_r / gethostbyname2_r / gethostbyname_r for one family.
   * `checkName`: nss_dns refuses names that are no host names (res_hnok)
   * in gethostbyname2_r and gethostbyname_r, not in gethostbyname3_r.
   * `buflen`: the caller's fixed result buffer, in octets (CPython's for
   * gethostbyname_r); a result that does not fit is TRYAGAIN with
   * NETDB_INTERNAL and ERANGE. Unlimited when undefined, as for
   * getaddrinfo, which grows its buffer and asks again.
   */
  byName3(name: string, family: 4 | 6, checkName: boolean, buflen: number | undefined, sink: NssSink<HostEnt>): void;
  /** gethostbyaddr2_r. */
  byAddr(address: Uint8Array, family: 4 | 6, sink: NssSink<HostEnt>): void;
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
 * The servers asked so far for a lookup's error context, with those a
 * source's outcome names: the first source's own list (each outcome's is
 * made for it), copied only when a second adds to it.
 */
export function withServers(asked: string[] | undefined, outcome: NssOutcome<unknown>): string[] | undefined {
  const more = outcome.servers;
  if (more === undefined) return asked;
  return asked === undefined ? more : [...asked, ...more];
}

/** What {@link SourcesWalk.take} returns when it asked the source again: its answer is still to come. */
export const ASKED_AGAIN: unique symbol = Symbol("asked again");

/**
 * The NSS statuses as small numbers, for state packed in one field; 0 is
 * none. A walk lives as long as its lookup, so its small numbers share one.
 */
const NSS_STATUSES: readonly (NssStatus | undefined)[] = [undefined, "success", "notfound", "unavail", "tryagain"];

/** The number of `status` in {@link NSS_STATUSES}. */
export function nssStatusCode(status: NssStatus | undefined): number {
  return status === undefined ? 0 : NSS_STATUSES.indexOf(status);
}

/** The status kept in the three bits of `bits` from `shift` on (see {@link nssStatusCode}). */
export function statusAt(bits: number, shift: number): NssStatus | undefined {
  return NSS_STATUSES[(bits >> shift) & 7];
}

/** `bits` with `status` in its three bits from `shift` on. */
export function withStatusAt(bits: number, shift: number, status: NssStatus | undefined): number {
  return (bits & ~(7 << shift)) | (nssStatusCode(status) << shift);
}

/** {@link SourcesWalk}'s two flags, below the index of the next source to ask: {@link SourcesWalk.ask} is running... */
const ASKING = 1;
/** ...and the source answered within it, with the status code above them. */
const TOOK = 2;
const STATUS_SHIFT = 2;
const INDEX_SHIFT = 5;
const INDEX_STEP = 1 << INDEX_SHIFT;

/**
 * The walk over the hosts sources (the loop glibc's getXXbyYY_r and
 * get_nss_addresses share): each source asked in order and its action for
 * the status followed, until one says return or the sources run out;
 * then the result of {@link end} goes to the walk's reader, or what a
 * step threw to its `failed`. A subclass is one lookup's part in it: what
 * it asks a source and what it makes of the answer (each glibc caller keeps
 * its own status bookkeeping and merge rule). The walk is itself the
 * sources' sink, and reports to a shared reader about its caller's state,
 * so a lookup in flight holds this one object for it (a hot path:
 * docs/internal-contracts.md, "Hot paths"); a source that answers at once
 * is taken at once, without a turn of the event loop.
 */
export abstract class SourcesWalk<A, R> implements NssSink<A> {
  readonly #reader: Reader<R, unknown>;
  readonly #to: unknown;
  /**
   * The next source to ask (in units of INDEX_STEP), the flags ASKING
   * (an answer given while {@link ask} runs is left for the loop to
   * follow) and TOOK, and the status of the answer so taken. The source
   * asked last, whose answer is awaited or taken, is the one before the next.
   */
  #at = 0;

  /** A walk that reports to `reader` about `to`. */
  constructor(reader: Reader<R, never>, to: unknown) {
    this.#reader = reader as Reader<R, unknown>;
    this.#to = to;
  }

  /** Before the next source is asked: false ends the walk there. */
  protected abstract next(): boolean;
  /** Asks a source's module, with this walk as its sink. */
  protected abstract ask(module: HostsModule): void;
  /** A source whose module this library lacks; its UNAVAIL action decides what follows, as for a module without the function in glibc. */
  protected abstract lacking(): void;
  /**
   * Takes a source's answer: the status whose action is followed, undefined
   * to end the walk whatever the action, or {@link ASKED_AGAIN} after
   * asking the module another question with this walk as the sink.
   */
  protected abstract take(source: ConfiguredSource, outcome: NssOutcome<A>): NssStatus | undefined | typeof ASKED_AGAIN;
  /** The action followed was `merge`. */
  protected abstract merging(): void;
  /** What the walk found. */
  protected abstract end(): R;

  /** The sources walked, the same list for the whole walk (the lookup context's). */
  protected abstract sources(): readonly ConfiguredSource[];

  /** Walks the sources from the first. Never throws. */
  walk(): void {
    this.#at = 0;
    this.walkOn();
  }

  answered(outcome: NssOutcome<A>): void {
    let status: NssStatus | undefined | typeof ASKED_AGAIN;
    try {
      status = this.take(this.askedSource(), outcome);
    } catch (err) {
      this.failed(err);
      return;
    }
    if (status === ASKED_AGAIN) return;
    if ((this.#at & ASKING) !== 0) {
      this.#at = withStatusAt(this.#at, STATUS_SHIFT, status) | TOOK;
    } else if (this.goesOn(this.askedSource(), status)) {
      this.walkOn();
    } else {
      this.finishWalk();
    }
  }

  failed(error: unknown): void {
    this.#reader.failed(error, this.#to);
  }

  /** The source asked last. */
  private askedSource(): ConfiguredSource {
    return this.sources()[(this.#at >> INDEX_SHIFT) - 1]!;
  }

  /** Asks sources from the next one on, as long as they answer at once. */
  private walkOn(): void {
    const sources = this.sources();
    try {
      while (this.#at < sources.length * INDEX_STEP && this.next()) {
        const source = sources[this.#at / INDEX_STEP]!;
        this.#at += INDEX_STEP;
        const module = source.module;
        if (module === undefined) {
          this.lacking();
          if (!this.goesOn(source, "unavail")) break;
          continue;
        }
        this.#at |= ASKING;
        this.ask(module);
        const took = this.#at;
        this.#at = withStatusAt(this.#at & ~(ASKING | TOOK), STATUS_SHIFT, undefined);
        // Not answered yet (or failed): answered() goes on from here.
        if ((took & TOOK) === 0) return;
        if (!this.goesOn(source, statusAt(took, STATUS_SHIFT))) break;
      }
    } catch (err) {
      this.#at = withStatusAt(this.#at & ~(ASKING | TOOK), STATUS_SHIFT, undefined);
      this.failed(err);
      return;
    }
    this.finishWalk();
  }

  private finishWalk(): void {
    let result: R;
    try {
      result = this.end();
    } catch (err) {
      this.failed(err);
      return;
    }
    this.#reader.done(result, this.#to);
  }

  /** The nsswitch action check: false when the source's action for `status` is to return. */
  private goesOn(source: ConfiguredSource, status: NssStatus | undefined): boolean {
    if (status === undefined) return false;
    const action = source.actions[status];
    if (action === "merge") this.merging();
    return action !== "return";
  }
}
