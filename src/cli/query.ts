/**
 * `netdb query`: one res_send per record type (client.ts), through the
 * search list only with `--search`, and what each outcome is as dig's exit
 * status and as JSON. dig's layout of the text is in dig.ts.
 */
import type { DnsClient, LookupOptions, QueryResult } from "../dns/client.js";
import { DnsError, InvalidNameError } from "../dns/errors.js";
import { decodeMessage, type DnsMessage, type ResourceRecord } from "../dns/message.js";
import { withoutTrailingDot } from "../dns/name.js";
import { rdataText } from "../dns/present.js";
import { searchCandidates } from "../dns/search.js";
import { formatHostPort } from "../dns/server.js";
import { exchangeBySend, startExchange, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "../dns/transport/transport.js";
import type { ResolvConf } from "../files/resolvconf.js";
import type { TraceEvent } from "../trace.js";
import type { QuerySpec } from "./query-args.js";

/** What asking for one type came to. */
export type QueryOutcome =
  | { kind: "answer"; type: string; result: QueryResult }
  | { kind: "noreply"; type: string; error: DnsError }
  | { kind: "badname"; type: string; error: InvalidNameError };

/** dig's exit status for an outcome: 0 any reply (NXDOMAIN and SERVFAIL too), 9 no reply, 10 a name that cannot be sent. */
export const EXIT_STATUS: Readonly<Record<QueryOutcome["kind"], number>> = { answer: 0, noreply: 9, badname: 10 };

/**
 * The transport of `netdb query`: the resolver's, keeping the first reply
 * to each question. res_send goes on to the next server after SERVFAIL,
 * REFUSED or NOTIMP and fails when every server said so; dig prints the
 * first reply it got (its default `+nofail`), and so does netdb from what
 * this kept.
 */
export class FirstReplies implements Transport {
  readonly #inner: Transport;
  readonly #first = new Map<string, QueryResult>();

  constructor(inner: Transport) {
    this.#inner = inner;
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    startExchange(this.#inner, request, {
      answered: (response) => {
        this.#keep(request, response);
        sink.answered(response);
      },
      failed: (error) => sink.failed(error),
    });
  }

  #keep(request: TransportRequest, response: TransportResponse): void {
    const key = questionKey(request.question.name, request.question.type);
    if (this.#first.has(key)) return;
    try {
      const message = response.decoded ?? decodeMessage(response.message);
      const { server, protocol } = request;
      this.#first.set(key, { question: request.question, rcode: message.rcode, message, server, protocol, rtt: response.rtt });
    } catch {
      // Malformed: res_send reports it; nothing dig would print.
    }
  }

  /** The first reply to `name` `type`, if one came. */
  first(name: string, type: string): QueryResult | undefined {
    return this.#first.get(questionKey(name, type));
  }

  /** The resolver owns the transport underneath and closes it. */
  async close(): Promise<void> {}
}

function questionKey(name: string, type: string): string {
  return `${name.toLowerCase()} ${type.toUpperCase()}`;
}

/**
 * Asks for `spec.name`'s records of `type`: the name exactly as given, or
 * with `--search` each of res_search's candidates in turn (search.ts),
 * going on after NXDOMAIN and after an answer without records, as
 * res_search does; the first answer with records is the outcome, else
 * the first without records, else the last reply. When res_send got only
 * replies it does not accept (SERVFAIL, REFUSED, NOTIMP), the first of
 * them is the outcome, as dig's.
 */
export async function askType(client: DnsClient, replies: FirstReplies, conf: ResolvConf, spec: QuerySpec, type: string, opts: LookupOptions, trace?: (event: TraceEvent) => void): Promise<QueryOutcome> {
  const names = spec.search ? searchCandidates(spec.name, conf) : [withoutTrailingDot(spec.name)];
  if (spec.search) trace?.({ kind: "search", name: spec.name, candidates: names });
  let fallback: QueryOutcome | undefined;
  let noData: QueryOutcome | undefined;
  for (const name of names) {
    let outcome: QueryOutcome;
    try {
      outcome = { kind: "answer", type, result: await client.send({ name, type, class: spec.qclass }, opts) };
    } catch (err) {
      const reply = err instanceof DnsError ? replies.first(name, type) : undefined;
      if (reply !== undefined) outcome = { kind: "answer", type, result: reply };
      else if (err instanceof DnsError) outcome = { kind: "noreply", type, error: err };
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
