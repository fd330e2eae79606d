/**
 * glibc's `res_search` (resolv/res_query.c, __res_context_search): which
 * names to query for a name as given, in which order, when to stop, and
 * which error to report when none answers.
 *
 * 1. A name with a trailing dot is absolute: it is queried as it is, and
 *    that query's result, success or error, is final.
 * 2. A name with at least `ndots` dots is first queried as it is. On
 *    success that is the answer; on failure its error is remembered.
 * 3. A name without a trailing dot is then tried in each search domain in
 *    order (`name.domain`; a domain of "" or "." stands for the root and
 *    counts as trying the name as it is). After a failure the search goes on
 *    for HOST_NOT_FOUND, for NO_DATA (remembered), and for TRY_AGAIN when
 *    the server said SERVFAIL (remembered); any other failure (a timeout,
 *    REFUSED, NO_RECOVERY) ends the search list. If no server could be
 *    reached at all (errno ECONNREFUSED), the lookup ends at once with
 *    TRY_AGAIN.
 * 4. If the name was not queried as it is yet, it is now — unless it has
 *    no dot, the search list was walked and `options no-tld-query` is set.
 * 5. The error reported: the remembered one of step 2 if there is one, else
 *    NO_DATA if any domain said so, else TRY_AGAIN if any said SERVFAIL,
 *    else the error of the last query.
 *
 * 0. Before all this, a name without any dot that the HOSTALIASES file
 *    maps to another name (src/files/hostaliases.ts) is replaced by that
 *    name, as nss_dns's gethostbyname3_r/gethostbyname4_r do before they
 *    call res_search; and res_search itself, for a name (so replaced)
 *    without any dot that the file maps, queries that name as it is
 *    (res_query), with a final result.
 */
import { DnsLookupError } from "./errors.js";
import { aliasKey } from "../files/hostaliases.js";
import { withoutTrailingDot } from "./name.js";

/** The resolv.conf settings the search depends on. */
export interface SearchSettings {
  search: readonly string[];
  ndots: number;
  /** `options no-tld-query`: a dotless name is never queried as it is once the search list was walked. */
  noTldQuery?: boolean;
  /** HOSTALIASES: folded alias → the name queried instead ("" for none). */
  hostAliases?: ReadonlyMap<string, string>;
}

/** The order in which names would be queried if every query failed and the search went on. */
export function searchCandidates(name: string, settings: SearchSettings): string[] {
  return searchPlan(name, settings).candidates;
}

/**
 * The candidates in order, as one array: `firsts` of them before the
 * search list (0 or 1: the name as it is), then `domains` from it, then
 * the rest after it (0 or 1: the name as it is, if not tried yet). Counts
 * rather than step objects: every lookup makes a plan.
 */
interface Plan {
  candidates: string[];
  firsts: number;
  domains: number;
  absolute: boolean;
}

/** The name HOSTALIASES gives for `name`, when it has no dot and the file maps it. */
function hostAlias(name: string, settings: SearchSettings): string | undefined {
  if (settings.hostAliases === undefined || name.includes(".")) return undefined;
  const alias = settings.hostAliases.get(aliasKey(name));
  return alias === "" ? undefined : alias;
}

function searchPlan(given: string, settings: SearchSettings): Plan {
  const name = hostAlias(given, settings) ?? given;
  const again = hostAlias(name, settings);
  if (again !== undefined) return { candidates: [withoutTrailingDot(again)], firsts: 1, domains: 0, absolute: true };
  const absolute = name.endsWith(".");
  let dots = 0;
  for (let at = name.indexOf("."); at >= 0; at = name.indexOf(".", at + 1)) dots++;
  // "" stays "": glibc refuses to query it (see resSearch), it is not the root.
  const asIs = name === "" ? "" : withoutTrailingDot(name);
  const candidates: string[] = [];
  let triedAsIs = false;
  if (dots >= settings.ndots || absolute) {
    candidates.push(asIs);
    triedAsIs = true;
  }
  const firsts = candidates.length;
  if (!absolute) {
    for (const domain of settings.search) {
      const bare = domain.startsWith(".") ? domain.slice(1) : domain;
      if (bare === "") triedAsIs = true;
      candidates.push(bare === "" ? asIs : `${name}.${bare}`);
    }
  }
  const domains = candidates.length - firsts;
  const noTld = settings.noTldQuery === true && dots === 0 && domains > 0;
  if (!triedAsIs && !noTld) candidates.push(asIs);
  return { candidates, firsts, domains, absolute };
}

/**
 * How one candidate is queried: exactly one of `answered` (a success, which
 * ends the search) or `failed` once. A failed query is a
 * {@link DnsLookupError}; anything else (an abort, a bug) ends the search
 * and is passed on.
 */
export type CandidateQuery<T> = (candidate: string, answered: (value: T) => void, failed: (err: unknown) => void) => void;

/**
 * Runs the search for `name`, querying each candidate name in turn with
 * `query`; reports the first success to `resolve`. Otherwise `reject` gets
 * a DnsLookupError for `name` whose status follows step 5 above and whose
 * `errno` is that of the last query. Callbacks, not promises: the client
 * wraps the whole search in one promise.
 */
export function resSearch<T>(name: string, settings: SearchSettings, query: CandidateQuery<T>, resolve: (value: T) => void, reject: (err: unknown) => void): void {
  new Search(name, searchPlan(name, settings), query, resolve, reject).from(0);
}

/** Where a candidate stands in the plan: before, in or after the search list. */
type Phase = "first" | "domain" | "last";

/** The state of one res_search: what the failed candidates said so far. */
class Search<T> {
  readonly #name: string;
  readonly #plan: Plan;
  readonly #query: CandidateQuery<T>;
  readonly #resolve: (value: T) => void;
  readonly #reject: (err: unknown) => void;
  /** The step being queried. */
  #at = 0;
  /** The servers the failed candidates asked (made on the first failure). */
  #servers: Set<string> | undefined;
  #last: DnsLookupError | undefined;
  #saved: DnsLookupError | undefined;
  #gotNoData = false;
  #gotServfail = false;
  /** The failure callback, bound once for every candidate. */
  readonly #failed = (err: unknown): void => this.#onFailure(err);

  constructor(name: string, plan: Plan, query: CandidateQuery<T>, resolve: (value: T) => void, reject: (err: unknown) => void) {
    this.#name = name;
    this.#plan = plan;
    this.#query = query;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Queries the candidate of step `i`, or reports the final failure when there is none. */
  from(i: number): void {
    this.#at = i;
    const candidate = this.#plan.candidates[i];
    if (candidate === undefined) this.#reject(this.#finalFailure());
    // res_querydomain's length check underflows for "": NO_RECOVERY, nothing sent.
    else if (candidate === "") this.#onFailure(new DnsLookupError("NO_RECOVERY", candidate, []));
    else {
      try {
        this.#query(candidate, this.#resolve, this.#failed);
      } catch (err) {
        this.#reject(err);
      }
    }
  }

  /** Where step `i` stands in the plan. */
  #phase(i: number): Phase {
    const { firsts, domains } = this.#plan;
    return i < firsts ? "first" : i < firsts + domains ? "domain" : "last";
  }

  /** The candidate of the current step failed: go on as the rules say. */
  #onFailure(err: unknown): void {
    if (!(err instanceof DnsLookupError)) {
      this.#reject(err);
      return;
    }
    const i = this.#at;
    const phase = this.#phase(i);
    this.#servers ??= new Set();
    for (const s of err.servers) this.#servers.add(s);
    this.#last = err;
    if (phase === "first") {
      if (this.#plan.absolute) {
        this.#reject(this.#failure(err.status));
        return;
      }
      this.#saved = err;
    } else if (phase === "domain") {
      if (err.errno === "ECONNREFUSED") {
        this.#reject(this.#failure("TRY_AGAIN"));
        return;
      }
      if (err.status === "NO_DATA") this.#gotNoData = true;
      else if (err.status === "TRY_AGAIN" && err.rcode === "SERVFAIL") this.#gotServfail = true;
      // Any other failure ends the search list (the name as it is may still follow).
      else if (err.status !== "HOST_NOT_FOUND") {
        // The steps after the search list: the name as it is, if it is still to be tried.
        this.from(this.#plan.firsts + this.#plan.domains);
        return;
      }
    }
    this.from(i + 1);
  }

  /** Step 5: the error of a search where no candidate answered. */
  #finalFailure(): DnsLookupError {
    if (this.#saved !== undefined) return this.#failure(this.#saved.status);
    if (this.#gotNoData) return this.#failure("NO_DATA");
    if (this.#gotServfail) return this.#failure("TRY_AGAIN");
    return this.#failure(this.#last!.status);
  }

  #failure(status: DnsLookupError["status"]): DnsLookupError {
    return new DnsLookupError(status, this.#name, [...(this.#servers ?? [])], this.#last?.errno, this.#last?.rcode);
  }
}
