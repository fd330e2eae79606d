/**
 * The replay transport: answers queries from a recorded exchange log, with
 * no socket at all. It hands back the recorded response bytes (with the ID
 * of the live query) so they go through the same parser as the network.
 */
import { readFileSync } from "../../builtins.js";
import type { Question } from "../question.js";
import { exchangeBySend, reportLater, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import { sameName } from "../name.js";
import { dnsPacket } from "../packet.js";
import { serverLabel } from "../server.js";
import { abortReason } from "./deadline.js";
import { parseExchangeLog, setId, type RecordedExchange } from "./exchange-log.js";

/** How a replay transport matches and what it does on a miss. */
export interface ReplayOptions {
  /** Names the recordings in errors: the world directory or the log file. */
  source?: string;
  /**
   * Also require the recorded server (`address:port`) to be the one asked.
   * Off by default: a world recorded against a test server on some port
   * replays for whatever servers the resolver is configured with.
   */
  matchServer?: boolean;
  /**
   * Answer a query that has no recording with a synthesized NXDOMAIN
   * instead of rejecting. Off by default, so a missing recording is loud.
   */
  nxdomainOnMiss?: boolean;
}

/** A query the replayed world has no recording for. */
export class ReplayMissError extends Error {
  /** The question that had no recording. */
  readonly question: Question;
  /** The server it was addressed to, as `address:port`. */
  readonly server: string;
  /** The recordings' source, as given in `ReplayOptions.source`. */
  readonly source: string;

  constructor(question: Question, server: string, protocol: string, source: string) {
    super(
      `no recording of ${question.name} ${question.type} ${question.class ?? "IN"} (${protocol} to ${server}) in world ${source}; ` +
        "record the world again with this query, or replay with nxdomainOnMiss",
    );
    this.name = "ReplayMissError";
    this.question = question;
    this.server = server;
    this.source = source;
  }
}

/**
 * Answers from recordings. Recordings of the same question are used in the
 * order they were recorded, one per query, so a world replays the sequence
 * it was recorded with (a truncated UDP answer, then the TCP retry; a
 * timeout, then the next server's answer); once all are used, the last one
 * keeps answering.
 */
export class ReplayTransport implements Transport {
  readonly #exchanges: RecordedExchange[];
  readonly #options: ReplayOptions;
  readonly #used = new Set<RecordedExchange>();
  readonly #misses: Question[] = [];
  #closed = false;

  constructor(exchanges: readonly RecordedExchange[], options: ReplayOptions = {}) {
    this.#exchanges = [...exchanges];
    this.#options = options;
  }

  /** A replay transport over the log file at `path` (read once, now). */
  static fromFile(path: string, options: ReplayOptions = {}): ReplayTransport {
    const source = options.source ?? path;
    return new ReplayTransport(parseExchangeLog(readFileSync(path, "utf8"), path), { ...options, source });
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    reportLater(sink, () => this.#answer(request));
  }

  /** The recorded answer to `request`; what the recording failed with, or why there is none, is thrown. */
  #answer(request: TransportRequest): TransportResponse {
    if (this.#closed) throw new Error("replay transport used after close()");
    if (request.signal?.aborted === true) throw abortReason(request.signal);
    const recording = this.#pick(request);
    if (recording === undefined) {
      this.#misses.push(request.question);
      if (this.#options.nxdomainOnMiss === true) return { message: nxdomainFor(request.message), protocol: request.protocol, rtt: 0 };
      throw new ReplayMissError(request.question, serverLabel(request.server), request.protocol, this.#options.source ?? "(in memory)");
    }
    if (recording.response === undefined) {
      const { code, message } = recording.error;
      throw new TransportError(code, `${message} (replayed)`, request.server, request.protocol);
    }
    return { message: setId(new Uint8Array(recording.response), request.id), protocol: recording.protocol, rtt: 0 };
  }

  /**
   * Adds a recording after those given: one made while replaying, by
   * netdb/testing's record mode, which has answered its query already
   * (`used`, so {@link unused} does not list it).
   */
  add(exchange: RecordedExchange, used = false): void {
    this.#exchanges.push(exchange);
    if (used) this.#used.add(exchange);
  }

  /** Recordings no query has used yet, in log order. */
  unused(): RecordedExchange[] {
    return this.#exchanges.filter((e) => !this.#used.has(e));
  }

  /** Questions that found no recording (including those answered NXDOMAIN on miss), in order. */
  misses(): Question[] {
    return [...this.#misses];
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #pick(request: TransportRequest): RecordedExchange | undefined {
    const server = serverLabel(request.server);
    const candidates = this.#exchanges.filter(
      (e) => sameQuestion(e.question, request.question) && (this.#options.matchServer !== true || e.server === server),
    );
    // Prefer the protocol asked for; a recording over the other protocol
    // will do, unless it is a truncated UDP answer (useless to a TCP query).
    const sameProtocol = candidates.filter((e) => e.protocol === request.protocol);
    const pool = sameProtocol.length > 0 ? sameProtocol : candidates.filter((e) => !isTruncated(e));
    const chosen = pool.find((e) => !this.#used.has(e)) ?? pool.at(-1);
    if (chosen !== undefined) this.#used.add(chosen);
    return chosen;
  }
}

function sameQuestion(recorded: RecordedExchange["question"], asked: Question): boolean {
  return (
    sameName(recorded.name, asked.name) &&
    recorded.type.toUpperCase() === asked.type.toUpperCase() &&
    recorded.class.toUpperCase() === (asked.class ?? "IN").toUpperCase()
  );
}

function isTruncated(e: RecordedExchange): boolean {
  return e.response !== undefined && e.response.length >= 4 && (e.response[2]! & 0x02) !== 0;
}


const RD = 0x0100;
const RA = 0x0080;
const OPCODE = 0x7800;
const NXDOMAIN = 3;

/** An authoritative-looking NXDOMAIN answer to `query`, as a recursive resolver would give. */
function nxdomainFor(query: Uint8Array): Uint8Array {
  const packet = dnsPacket().decode(Buffer.from(query));
  return new Uint8Array(
    dnsPacket().encode({
      id: packet.id ?? 0,
      type: "response",
      flags: ((packet.flags ?? 0) & (OPCODE | RD)) | RA | NXDOMAIN,
      questions: packet.questions ?? [],
    }),
  );
}
