/**
 * The hosts database of the name service switch: the sources named on
 * nsswitch.conf's `hosts:` line, asked in order with their actions, as
 * glibc's getXXbyYY_r loop asks them, and the thread's `h_errno`, which
 * glibc and CPython read after the fact.
 */
import type { NssSource, NssStatus } from "../files/nsswitch.js";
import { EAGAIN, EINVAL } from "./failures.js";
import { NETDB_INTERNAL, NO_RECOVERY, type AddrTuple, type HostEnt, type NssOutcome } from "./hostent.js";

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

/** What a loop over the sources found. */
export interface SourcesResult<T> {
  status: NssStatus;
  value?: T;
  canon?: string;
  /** The last h_errno a source stored through its h_errnop argument. */
  herrno?: number;
  /** The errno the loop set (EINVAL from a merge) or a source left (EAGAIN for {@link NssOutcome.errnoLeft}): the function then fails even with an UNAVAIL. */
  errno?: number;
  /** True once any source was asked (glibc's any_service). */
  anyService: boolean;
  /** Servers asked by the dns source, for error context. */
  servers: string[];
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
 * What one loop over the sources asks each module, and what it makes of
 * the loop's result. An object rather than two closures: a lookup in
 * flight keeps it, and one small object is less memory than two closures
 * with their contexts.
 */
export interface SourcesQuestion<T, R> {
  ask(module: HostsModule): NssResult<T>;
  answer(found: SourcesResult<T>): R;
}

/**
 * glibc's getXXbyYY_r loop (nss/getXXbyYY_r.c) over the hosts sources for
 * one lookup, and the question's answer to what it found. Modules this
 * library lacks are skipped as glibc skips a module without the function,
 * by their UNAVAIL action. Never throws: a failure is a rejection.
 */
export function askSources<T, R>(
  sources: readonly ConfiguredSource[],
  question: SourcesQuestion<T, R>,
  thread: ThreadState,
  errnopIsThread: boolean,
): Promise<R> {
  try {
    return Promise.resolve(new SourcesLoop(sources, question, thread, errnopIsThread).askFrom(0));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** What a source that answered SUCCESS with a `merge` action left in the caller's buffer. */
interface Merging<T> {
  value: T | undefined;
  canon: string | undefined;
}

/**
 * The state of one {@link askSources} loop. Not an async function: a lookup
 * waiting on a source then holds this object and one promise reaction, not
 * a suspended generator with its register file (memory per lookup in
 * flight). A source that answers at once is taken at once.
 */
class SourcesLoop<T, R> {
  readonly #sources: readonly ConfiguredSource[];
  readonly #question: SourcesQuestion<T, R>;
  readonly #thread: ThreadState;
  readonly #errnopIsThread: boolean;
  readonly #result: SourcesResult<T> = { status: "unavail", anyService: false, servers: [] };
  #merging: Merging<T> | undefined;

  constructor(sources: readonly ConfiguredSource[], question: SourcesQuestion<T, R>, thread: ThreadState, errnopIsThread: boolean) {
    this.#sources = sources;
    this.#question = question;
    this.#thread = thread;
    this.#errnopIsThread = errnopIsThread;
  }

  /** Asks the sources from `index` on: the answer, or a promise of it once a source answers later. */
  askFrom(index: number): R | Promise<R> {
    for (let i = index; i < this.#sources.length; i++) {
      const source = this.#sources[i]!;
      if (source.module === undefined) {
        if (source.actions.unavail === "return") break;
        continue;
      }
      this.#result.anyService = true;
      const outcome = this.#question.ask(source.module);
      if (outcome instanceof Promise) return this.#afterAnswer(outcome, source, i + 1);
      if (!this.#take(source, outcome)) break;
    }
    return this.#end();
  }

  /** Goes on from `next` once `source` has answered. */
  #afterAnswer(outcome: Promise<NssOutcome<T>>, source: ConfiguredSource, next: number): Promise<R> {
    return outcome.then((answered) => (this.#take(source, answered) ? this.askFrom(next) : this.#end()));
  }

  /** Records what one source said; false when its action is to return. */
  #take(source: ConfiguredSource, outcome: NssOutcome<T>): boolean {
    const result = this.#result;
    recordHErrno(this.#thread, outcome, this.#errnopIsThread);
    result.status = outcome.status;
    result.value = outcome.value;
    result.canon = outcome.canon;
    if (outcome.herrno !== undefined) result.herrno = outcome.herrno;
    if (outcome.fileErrno !== undefined) result.errno = outcome.fileErrno;
    else if (outcome.errnoLeft === true) result.errno = EAGAIN;
    if (outcome.servers !== undefined) result.servers.push(...outcome.servers);
    if (this.#merging !== undefined) this.#merge(this.#merging);
    if (result.status === "success" && source.actions.success === "merge") this.#startMerge();
    // A buffer too small ends the loop whatever the action says: the caller is to retry with a larger one.
    if (outcome.status === "tryagain" && outcome.herrno === NETDB_INTERNAL && outcome.errno === "ERANGE") return false;
    return source.actions[result.status] !== "return";
  }

  /**
   * A `[SUCCESS=merge]` source: glibc copies its answer aside to merge with
   * the next one, but the hosts database has no copy function (that one
   * fails with EINVAL), so the status becomes UNAVAIL and the source's
   * UNAVAIL action decides whether the next source is asked.
   */
  #startMerge(): void {
    const result = this.#result;
    this.#merging = { value: result.value, canon: result.canon };
    this.#failMerge();
  }

  /**
   * The source after a merging one. Its SUCCESS cannot be merged (EINVAL,
   * UNAVAIL, merging over); any other status turns into SUCCESS with what
   * the caller's buffer still holds. glibc returns that buffer as it is:
   * nss_dns leaves the merging source's answer there, which is what this
   * returns; nss_files, failing, leaves the last hosts line it read (not
   * modelled).
   */
  #merge(merging: Merging<T>): void {
    const result = this.#result;
    if (result.status === "success") {
      this.#merging = undefined;
      this.#failMerge();
      return;
    }
    result.status = "success";
    result.value = merging.value;
    result.canon = merging.canon;
  }

  #failMerge(): void {
    this.#result.status = "unavail";
    this.#result.errno = EINVAL;
  }

  #end(): R {
    const result = this.#result;
    if (result.status !== "success" && !result.anyService) {
      result.herrno = NO_RECOVERY;
      if (this.#errnopIsThread) this.#thread.hErrno = NO_RECOVERY;
    }
    return this.#question.answer(result);
  }
}
