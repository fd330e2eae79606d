/**
 * `netdb query`: one res_send per record type (client.ts), through the
 * search list only with `--search`, and what each outcome is as dig's exit
 * status and as JSON. dig's layout of the text is in dig.ts.
 */
import type { DnsClient, LookupOptions, QueryResult } from "../dns/client.js";
import { DnsError, InvalidNameError } from "../dns/errors.js";
import type { DnsMessage, ResourceRecord } from "../dns/message.js";
import { withoutTrailingDot } from "../dns/name.js";
import { rdataText } from "../dns/present.js";
import { searchCandidates } from "../dns/search.js";
import { formatHostPort } from "../dns/server.js";
import type { ResolvConf, TraceEvent } from "../types.js";
import type { QuerySpec } from "./query-args.js";

/** What asking for one type came to. */
export type QueryOutcome =
  | { kind: "answer"; type: string; result: QueryResult }
  | { kind: "noreply"; type: string; error: DnsError }
  | { kind: "badname"; type: string; error: InvalidNameError };

/** dig's exit status for an outcome: 0 any reply (NXDOMAIN and SERVFAIL too), 9 no reply, 10 a name that cannot be sent. */
export const EXIT_STATUS: Readonly<Record<QueryOutcome["kind"], number>> = { answer: 0, noreply: 9, badname: 10 };

/**
 * Asks for `spec.name`'s records of `type`: the name exactly as given, or
 * with `--search` each of res_search's candidates in turn (search.ts),
 * going on after NXDOMAIN and after an answer without records, as
 * res_search does; the first answer with records is the outcome, else
 * the first without records, else the last reply.
 */
export async function askType(client: DnsClient, conf: ResolvConf, spec: QuerySpec, type: string, opts: LookupOptions, trace?: (event: TraceEvent) => void): Promise<QueryOutcome> {
  const names = spec.search ? searchCandidates(spec.name, conf) : [withoutTrailingDot(spec.name)];
  if (spec.search) trace?.({ kind: "search", name: spec.name, candidates: names });
  let fallback: QueryOutcome | undefined;
  let noData: QueryOutcome | undefined;
  for (const name of names) {
    let outcome: QueryOutcome;
    try {
      outcome = { kind: "answer", type, result: await client.send({ name, type, class: spec.qclass }, opts) };
    } catch (err) {
      if (err instanceof DnsError) outcome = { kind: "noreply", type, error: err };
      else if (err instanceof InvalidNameError) outcome = { kind: "badname", type, error: err };
      else throw err;
    }
    if (outcome.kind !== "answer") return outcome;
    const { rcode, answers } = outcome.result.message;
    if (rcode === "NOERROR" && answers.length > 0) return outcome;
    if (rcode === "NOERROR") noData ??= outcome;
    else if (rcode !== "NXDOMAIN") return noData ?? outcome;
    fallback = outcome;
  }
  return noData ?? fallback!;
}

/** dig's message for a name that cannot be sent: `'a..b' is not a legal name (empty label)`. */
export function badNameText(error: InvalidNameError): string {
  const reason = /: ([^:]*)$/.exec(error.message)?.[1] ?? error.message;
  return `'${error.domain}' is not a legal name (${reason})`;
}

/** One outcome in the JSON document (docs/cli.md, "netdb query --json"). */
export function outcomeJson(outcome: QueryOutcome): Record<string, unknown> {
  if (outcome.kind === "noreply") return { type: outcome.type, status: "noreply", error: outcome.error.message, servers: outcome.error.servers };
  if (outcome.kind === "badname") return { type: outcome.type, status: "badname", error: badNameText(outcome.error) };
  const { message: m, server, protocol, rtt } = outcome.result;
  return {
    type: outcome.type,
    status: "answer",
    server: formatHostPort(server),
    protocol,
    rtt: Math.round(rtt * 10) / 10,
    size: m.bytes.length,
    header: { id: m.id, opcode: m.opcode, rcode: m.rcode, qr: m.qr, aa: m.aa, tc: m.tc, rd: m.rd, ra: m.ra, ad: m.ad, cd: m.cd },
    ...(m.edns === undefined ? {} : { edns: { version: m.edns.version, udpPayloadSize: m.edns.udpPayloadSize, extendedRcode: m.edns.extendedRcode, flags: m.edns.flags } }),
    question: m.questions,
    answer: recordsJson(m, m.answers),
    authority: recordsJson(m, m.authorities),
    additional: recordsJson(m, m.additionals),
  };
}

function recordsJson(m: DnsMessage, records: ResourceRecord[]): unknown[] {
  return records.map((rr) => ({ name: rr.name, ttl: rr.ttl, class: rr.class, type: rr.type, data: rdataText(m, rr) }));
}
