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
 * 4. If the name was not queried as it is yet, it is now.
 * 5. The error reported: the remembered one of step 2 if there is one, else
 *    NO_DATA if any domain said so, else TRY_AGAIN if any said SERVFAIL,
 *    else the error of the last query.
 *
 * Not implemented: HOSTALIASES (a user-level alias file named by an
 * environment variable) and `options no-tld-query`.
 */
import { DnsLookupError } from "./errors.js";
import { withoutTrailingDot } from "./name.js";

/** The resolv.conf settings the search depends on. */
export interface SearchSettings {
  search: readonly string[];
  ndots: number;
}

/** The order in which names would be queried if every query failed and the search went on. */
export function searchCandidates(name: string, settings: SearchSettings): string[] {
  const plan = searchPlan(name, settings);
  return [...plan.first, ...plan.domains.map((d) => d.candidate), ...plan.last];
}

interface Plan {
  /** Queried before the search list: the name as it is, when it has enough dots or a trailing dot. */
  first: string[];
  absolute: boolean;
  domains: Array<{ candidate: string; root: boolean }>;
  /** Queried after the search list: the name as it is, if not tried yet. */
  last: string[];
}

function searchPlan(name: string, settings: SearchSettings): Plan {
  const absolute = name.endsWith(".");
  const dots = [...name].filter((c) => c === ".").length;
  // "" stays "": glibc refuses to query it (see resSearch), it is not the root.
  const asIs = name === "" ? "" : withoutTrailingDot(name);
  const first = dots >= settings.ndots || absolute ? [asIs] : [];
  const domains = absolute
    ? []
    : settings.search.map((domain) => {
        const bare = domain.startsWith(".") ? domain.slice(1) : domain;
        return bare === "" ? { candidate: asIs, root: true } : { candidate: `${name}.${bare}`, root: false };
      });
  const triedAsIs = first.length > 0 || domains.some((d) => d.root);
  return { first, absolute, domains, last: triedAsIs ? [] : [asIs] };
}

/**
 * Runs the search for `name`, calling `query` for each candidate name in
 * turn; resolves with the first success. `query` must reject with a
 * {@link DnsLookupError} for a failed query (anything else, an abort for
 * instance, ends the search and is passed on). Rejects with a
 * DnsLookupError for `name` whose status follows step 5 above and whose
 * `errno` is that of the last query.
 */
export async function resSearch<T>(name: string, settings: SearchSettings, query: (candidate: string) => Promise<T>): Promise<T> {
  const plan = searchPlan(name, settings);
  let last: DnsLookupError | undefined;
  let saved: DnsLookupError | undefined;
  let gotNoData = false;
  let gotServfail = false;
  const servers = new Set<string>();

  const attempt = async (candidate: string): Promise<{ value: T } | undefined> => {
    try {
      // res_querydomain's length check underflows for "": NO_RECOVERY, nothing sent.
      if (candidate === "") throw new DnsLookupError("NO_RECOVERY", candidate, []);
      return { value: await query(candidate) };
    } catch (err) {
      if (!(err instanceof DnsLookupError)) throw err;
      for (const s of err.servers) servers.add(s);
      last = err;
      return undefined;
    }
  };
  const failure = (status: DnsLookupError["status"]): DnsLookupError => new DnsLookupError(status, name, [...servers], last?.errno, last?.rcode);

  for (const candidate of plan.first) {
    const got = await attempt(candidate);
    if (got !== undefined) return got.value;
    if (plan.absolute) throw failure(last!.status);
    saved = last;
  }

  for (const { candidate } of plan.domains) {
    const got = await attempt(candidate);
    if (got !== undefined) return got.value;
    if (last!.errno === "ECONNREFUSED") throw failure("TRY_AGAIN");
    if (last!.status === "NO_DATA") gotNoData = true;
    else if (last!.status === "TRY_AGAIN" && last!.rcode === "SERVFAIL") gotServfail = true;
    else if (last!.status !== "HOST_NOT_FOUND") break;
  }

  for (const candidate of plan.last) {
    const got = await attempt(candidate);
    if (got !== undefined) return got.value;
  }

  if (saved !== undefined) throw failure(saved.status);
  if (gotNoData) throw failure("NO_DATA");
  if (gotServfail) throw failure("TRY_AGAIN");
  throw failure(last!.status);
}
