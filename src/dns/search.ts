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
import { DnsLookupError, type DnsLookupStatus } from "./errors.js";
import { aliasKey } from "../files/hostaliases.js";
import { withoutTrailingDot } from "./name.js";
import { SendRun, type SendContext } from "./send.js";

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
  const { base, domains, bits } = searchPlan(name, settings, 0);
  const candidates: string[] = [];
  for (let i = 0, c = candidateOf(base, domains, bits, 0); c !== undefined; c = candidateOf(base, domains, bits, ++i)) candidates.push(c);
  return candidates;
}

/** The name HOSTALIASES gives for `name`, when it has no dot and the file maps it. */
function hostAlias(name: string, settings: SearchSettings): string | undefined {
  if (settings.hostAliases === undefined || name.includes(".")) return undefined;
  const alias = settings.hostAliases.get(aliasKey(name));
  return alias === "" ? undefined : alias;
}

const NO_DOMAINS: readonly string[] = [];

/** The walk's bits: the plan (the name as it is first, last; absolute), then what failed candidates said. */
const FIRST = 1;
const LAST = 2;
const ABSOLUTE = 4;
const GOT_NO_DATA = 8;
const GOT_SERVFAIL = 16;
/** A 3-bit status code (see {@link STATUSES}; 0 for none) of the failure of step 2, then of the last failure. */
const SAVED_SHIFT = 5;
const LAST_SHIFT = 8;
const STATUS_MASK = 7;
/** The name as it is is the base without its trailing dot (a search), not the base itself (res_query, HOSTALIASES). */
const TRIM = 1 << 11;
/** Three bits the subclass keeps here ({@link SearchWalk.flags}), then the step being queried. */
const FLAGS_SHIFT = 12;
const FLAGS_MASK = 7 << FLAGS_SHIFT;
const AT_SHIFT = 15;
const STATUSES: readonly DnsLookupStatus[] = ["HOST_NOT_FOUND", "HOST_NOT_FOUND", "NO_DATA", "TRY_AGAIN", "NO_RECOVERY"];

function statusCode(status: DnsLookupStatus): number {
  return STATUSES.indexOf(status, 1);
}

/** A search's plan: the name the candidates are made of, the search domains, and the plan's bits (with the subclass's flags). */
interface SearchPlan {
  base: string;
  domains: readonly string[];
  bits: number;
}

/**
 * The plan of a search for `given` under `settings`; without settings,
 * res_query's one query of `given` as it is, whose result is final.
 */
function searchPlan(given: string, settings: SearchSettings | undefined, flags: number): SearchPlan {
  const theirs = flags << FLAGS_SHIFT;
  if (settings === undefined) return { base: given, domains: NO_DOMAINS, bits: FIRST | ABSOLUTE | theirs };
  const name = hostAlias(given, settings) ?? given;
  const again = hostAlias(name, settings);
  if (again !== undefined) return { base: withoutTrailingDot(again), domains: NO_DOMAINS, bits: FIRST | ABSOLUTE | theirs };
  const absolute = name.endsWith(".");
  let dots = 0;
  for (let at = name.indexOf("."); at >= 0; at = name.indexOf(".", at + 1)) dots++;
  const first = dots >= settings.ndots || absolute;
  let triedAsIs = first;
  const domains = absolute ? NO_DOMAINS : settings.search;
  for (const domain of domains) if (bareDomain(domain) === "") triedAsIs = true;
  const noTld = settings.noTldQuery === true && dots === 0 && domains.length > 0;
  return { base: name, domains, bits: (first ? FIRST : 0) | (!triedAsIs && !noTld ? LAST : 0) | (absolute ? ABSOLUTE : 0) | TRIM | theirs };
}

/** The name as it is, in a plan. */
function asIs(base: string, bits: number): string {
  // "" stays "": glibc refuses to query it (see queryFrom), it is not the root.
  return (bits & TRIM) === 0 || base === "" ? base : withoutTrailingDot(base);
}

/** The candidate of step `i` of a plan, or undefined past the last. */
function candidateOf(base: string, domains: readonly string[], bits: number, i: number): string | undefined {
  const firsts = bits & FIRST;
  if (i < firsts) return asIs(base, bits);
  if (i < firsts + domains.length) {
    const bare = bareDomain(domains[i - firsts]!);
    return bare === "" ? asIs(base, bits) : `${base}.${bare}`;
  }
  return i === firsts + domains.length && (bits & LAST) !== 0 ? asIs(base, bits) : undefined;
}

/**
 * The state of one res_search: where it is in the plan (the candidates in
 * order: the name as it is first or not, then the search domains, then the
 * name as it is last or not, made one at a time rather than as a list:
 * every lookup walks one) and what the failed candidates said so far.
 * Its subclass queries each candidate ({@link query}) and reports each
 * failure of a query to {@link candidateFailed}; a success, an abort or
 * a bug it reports to its own caller, and the walk's final failure comes
 * to its {@link failed}. No closure or promise: the subclass's object is
 * the whole state of the search. It extends res_send's {@link SendRun},
 * so that a query of a candidate is a `send` of this same object (the
 * DNS client's Lookup): one object per lookup for res_search, res_query
 * and res_send; a subclass that queries otherwise leaves that half unused.
 */
export abstract class SearchWalk extends SendRun {
  /** The name as given, which the final error names. */
  readonly #given: string;
  /** The name the domain candidates are made of (HOSTALIASES applied). */
  readonly #base: string;
  readonly #domains: readonly string[];
  /** The plan, what failed candidates said, the subclass's flags and the step being queried. */
  #bits: number;
  #candidate = "";
  /** res_send's errno and the RCODE of the last failed query, when either was known. */
  #last: { errno: string | undefined; rcode: string | undefined } | undefined = undefined;

  /**
   * A search for `given` under `settings`; without settings, res_query's
   * one query of `given` as it is, whose result is final. `flags` (three
   * bits) are the subclass's ({@link flags}).
   */
  constructor(ctx: SendContext, given: string, settings: SearchSettings | undefined, flags = 0) {
    super(ctx);
    this.#given = given;
    const { base, domains, bits } = searchPlan(given, settings, flags);
    this.#base = base;
    this.#domains = domains;
    this.#bits = bits;
  }

  /** The subclass's three bits, given to the constructor. */
  protected get flags(): number {
    return (this.#bits & FLAGS_MASK) >> FLAGS_SHIFT;
  }

  protected set flags(flags: number) {
    this.#bits = (this.#bits & ~FLAGS_MASK) | (flags << FLAGS_SHIFT);
  }

  /** The step being queried. */
  private get at(): number {
    return this.#bits >>> AT_SHIFT;
  }

  private set at(i: number) {
    this.#bits = (this.#bits & ((1 << AT_SHIFT) - 1)) | (i << AT_SHIFT);
  }

  /** Starts querying the first candidate; reports as the class comment says. */
  start(): void {
    this.queryFrom(0);
  }

  /** The candidate being queried. */
  protected get candidate(): string {
    return this.#candidate;
  }

  /** Queries `candidate`; reports its failure to {@link candidateFailed}. Exceptions it throws end the search. */
  protected abstract query(candidate: string): void;

  /** The servers of the final error: those of every failed query (none when none was sent). */
  protected abstract failedServers(): string[];

  /** The search failed: a {@link DnsLookupError} for the name as given, or what a query (or its res_send) threw. */
  abstract override failed(error: unknown): void;

  /** The candidate of step `i`, or undefined past the last. */
  candidateAt(i: number): string | undefined {
    return candidateOf(this.#base, this.#domains, this.#bits, i);
  }

  /** Queries the candidate of step `i`, or reports the final failure when there is none. */
  private queryFrom(i: number): void {
    this.at = i;
    const candidate = this.candidateAt(i);
    if (candidate === undefined) {
      this.failed(this.finalFailure());
      return;
    }
    this.#candidate = candidate;
    // res_querydomain's length check underflows for "": NO_RECOVERY, nothing sent.
    if (candidate === "") this.candidateFailed("NO_RECOVERY", undefined, undefined);
    else {
      try {
        this.query(candidate);
      } catch (err) {
        this.failed(err);
      }
    }
  }

  /** The query of the current candidate failed with `status` (and res_send's errno, the RCODE res_search reads): go on as the rules say. */
  protected candidateFailed(status: DnsLookupStatus, errno: string | undefined, rcode: string | undefined): void {
    const i = this.at;
    const code = statusCode(status);
    this.#bits = (this.#bits & ~(STATUS_MASK << LAST_SHIFT)) | (code << LAST_SHIFT);
    this.#last = errno === undefined && rcode === undefined ? undefined : { errno, rcode };
    const firsts = this.#bits & FIRST;
    if (i < firsts) {
      if ((this.#bits & ABSOLUTE) !== 0) {
        this.failed(this.failure(status));
        return;
      }
      this.#bits |= code << SAVED_SHIFT;
    } else if (i < firsts + this.#domains.length) {
      if (errno === "ECONNREFUSED") {
        this.failed(this.failure("TRY_AGAIN"));
        return;
      }
      if (status === "NO_DATA") this.#bits |= GOT_NO_DATA;
      else if (status === "TRY_AGAIN" && rcode === "SERVFAIL") this.#bits |= GOT_SERVFAIL;
      // Any other failure ends the search list (the name as it is may still follow).
      else if (status !== "HOST_NOT_FOUND") {
        // The steps after the search list: the name as it is, if it is still to be tried.
        this.queryFrom(firsts + this.#domains.length);
        return;
      }
    }
    this.queryFrom(i + 1);
  }

  /** Step 5: the error of a search where no candidate answered. */
  private finalFailure(): DnsLookupError {
    const saved = (this.#bits >> SAVED_SHIFT) & STATUS_MASK;
    if (saved !== 0) return this.failure(STATUSES[saved]!);
    if ((this.#bits & GOT_NO_DATA) !== 0) return this.failure("NO_DATA");
    if ((this.#bits & GOT_SERVFAIL) !== 0) return this.failure("TRY_AGAIN");
    return this.failure(STATUSES[(this.#bits >> LAST_SHIFT) & STATUS_MASK]!);
  }

  private failure(status: DnsLookupStatus): DnsLookupError {
    return new DnsLookupError(status, this.#given, this.failedServers(), this.#last?.errno, this.#last?.rcode);
  }
}

/** A search domain without a leading dot ("" or "." stands for the root). */
function bareDomain(domain: string): string {
  return domain.startsWith(".") ? domain.slice(1) : domain;
}
