/**
 * The zone transport: answers each query from zones held in memory, as an
 * authoritative server would (src/zone/: Knot's answers, compression and
 * truncation), with no socket at all. The response goes back as bytes, so
 * it goes through the same parser as a live answer: a CNAME chain, an
 * NXDOMAIN, a NODATA, a wildcard or a truncated UDP answer followed by the
 * TCP retry are read exactly as res_send and nss_dns read them from a
 * server. A question for a name in no zone is a miss: loud by default.
 */
import type { Question } from "../question.js";
import { exchangeBySend, reportLater, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
import { Authority } from "../../zone/authority.js";
import { authoritativeResponse } from "../../zone/respond.js";
import { encodeResponse } from "../../zone/wire.js";
import type { Zone, ZoneRecord } from "../../zone/zonefile.js";
import { decodeMessage } from "../message.js";
import { abortReason } from "./deadline.js";

/** How a zone transport treats a question for a name in none of its zones. */
export interface ZoneTransportOptions {
  /** Names the zones in errors ("inline world", a file). */
  source?: string;
  /** Answer such a question NXDOMAIN, as a recursive server would, instead of rejecting. */
  nxdomainOnMiss?: boolean;
}

/** A question for a name that none of the zones holds. */
export class ZoneMissError extends Error {
  /** The question asked. */
  readonly question: Question;

  constructor(question: Question, source: string) {
    super(
      `${question.name} ${question.type} is in no zone of ${source}: add it to the world, ` +
        "or answer such names NXDOMAIN with nxdomainOnMiss",
    );
    this.name = "ZoneMissError";
    this.question = question;
  }
}

/** Answers from zones in memory; see the file comment. */
export class ZoneTransport implements Transport {
  readonly #authority = new Authority();
  readonly #options: ZoneTransportOptions;
  readonly #misses: Question[] = [];
  #closed = false;

  constructor(zones: readonly Zone[], options: ZoneTransportOptions = {}) {
    for (const zone of zones) this.#authority.addZone(zone);
    this.#options = options;
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  /** The zones' answer, or why there is none (also a query that does not decode: only a caller's own bytes can be one), after `send` returns. */
  send(request: TransportRequest, sink: ExchangeSink): void {
    reportLater(sink, () => this.#answer(request));
  }

  /** The zones' answer to `request`; why there is none is thrown. */
  #answer(request: TransportRequest): TransportResponse {
    if (this.#closed) throw new Error("zone transport used after close()");
    if (request.signal?.aborted === true) throw abortReason(request.signal);
    const query = decodeMessage(request.message);
    const question = query.questions[0];
    if (question !== undefined && !this.#authority.serves(question.name)) {
      this.#misses.push(request.question);
      if (this.#options.nxdomainOnMiss !== true) throw new ZoneMissError(request.question, this.#options.source ?? "the zones");
      const nxdomain = encodeResponse({ id: query.id, rd: query.rd, ra: true, rcode: "NXDOMAIN", question });
      return { message: nxdomain, protocol: request.protocol, rtt: 0 };
    }
    return { message: authoritativeResponse(this.#authority, query, request.protocol), protocol: request.protocol, rtt: 0 };
  }

  /** Records no answer has carried yet (each zone's SOA and apex NS left out). */
  unused(): ZoneRecord[] {
    return this.#authority.unasked();
  }

  /** Questions for names in no zone (including those answered NXDOMAIN on miss), in order. */
  misses(): Question[] {
    return [...this.#misses];
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
