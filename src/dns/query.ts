/**
 * glibc's `res_query` verdict (resolv/res_query.c, __res_context_query):
 * given the answers `res_send` got for the questions of one query (A alone,
 * or A and AAAA together), is this a success, and if not, which `h_errno`?
 */
import type { DnsLookupStatus } from "./errors.js";
import type { QueryResult } from "./send.js";

/**
 * undefined (success) when any answer is NOERROR with at least one record
 * in its answer section, whatever the others say. Otherwise the RCODE of
 * the first answer that is not NOERROR (in question order; glibc uses the
 * order of arrival, which is A first in practice) decides: NXDOMAIN →
 * HOST_NOT_FOUND, SERVFAIL → TRY_AGAIN, NOERROR (nothing but empty answers)
 * → NO_DATA, anything else (FORMERR, NOTIMP, REFUSED, YXDOMAIN, ...) →
 * NO_RECOVERY. No answers at all (res_send failed) → TRY_AGAIN.
 *
 * An NXDOMAIN that carries records (a CNAME to a missing name) is still a
 * failure here, unless another answer succeeds.
 */
export function queryStatus(answers: readonly QueryResult[]): DnsLookupStatus | undefined {
  if (answers.length === 0) return "TRY_AGAIN";
  // The header's ANCOUNT, as glibc reads it: records that did not read still count here.
  if (answers.some((a) => a.rcode === "NOERROR" && a.message.counts[1] > 0)) return undefined;
  const rcode = answers.find((a) => a.rcode !== "NOERROR")?.rcode ?? "NOERROR";
  switch (rcode) {
    case "NXDOMAIN":
      return "HOST_NOT_FOUND";
    case "SERVFAIL":
      return "TRY_AGAIN";
    case "NOERROR":
      return "NO_DATA";
    default:
      return "NO_RECOVERY";
  }
}
