/**
 * The record transport: wraps a real transport and appends every exchange
 * it performs (question, server, protocol, exact bytes, time) to an exchange
 * log, so the same answers can be replayed later without a network.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "../../builtins.js";
import { dirname } from "node:path";
import { exchangeBySend, startExchange, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import { serverLabel } from "../server.js";
import { formatExchange, type RecordedExchange } from "./exchange-log.js";

/** Options of a record transport. */
export interface RecordOptions {
  /** Keep what the log already holds instead of starting it afresh. */
  append?: boolean;
  /** The clock that stamps each exchange; the real one by default. */
  now?: () => Date;
  /** Told of each exchange as it is appended. */
  onRecord?: (exchange: RecordedExchange) => void;
}

/**
 * Records the exchanges of `inner` to the log file `path`. Each exchange is
 * appended as soon as it completes, so a log survives a crash of the
 * program being recorded. Failed exchanges (timeouts, network errors) are
 * recorded too, so a replay reproduces a server that did not answer.
 */
export class RecordTransport implements Transport {
  readonly #inner: Transport;
  readonly #path: string;
  readonly #now: () => Date;
  readonly #onRecord: ((exchange: RecordedExchange) => void) | undefined;

  constructor(inner: Transport, path: string, options: RecordOptions = {}) {
    this.#inner = inner;
    this.#path = path;
    this.#now = options.now ?? (() => new Date());
    this.#onRecord = options.onRecord;
    mkdirSync(dirname(path), { recursive: true });
    if (options.append !== true) writeFileSync(path, "");
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    let time: string;
    try {
      time = this.#now().toISOString();
    } catch (err) {
      queueMicrotask(() => sink.failed(err));
      return;
    }
    const base = {
      question: { name: request.question.name, type: request.question.type, class: request.question.class ?? "IN" },
      server: serverLabel(request.server),
      query: request.message,
      time,
    };
    startExchange(this.#inner, request, {
      answered: (response) => {
        if (this.#appended(sink, { ...base, protocol: response.protocol, response: response.message })) sink.answered(response);
      },
      failed: (err) => {
        // Only a TransportError says something about the server; an exchange
        // abandoned through its signal says nothing, and other errors are bugs.
        if (!(err instanceof TransportError) || request.signal?.aborted === true) sink.failed(err);
        else if (this.#appended(sink, { ...base, protocol: request.protocol, error: { code: err.code, message: err.message } })) sink.failed(err);
      },
    });
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /** Appends `exchange`; false when that failed, the failure then being the exchange's, told to `sink`. */
  #appended(sink: ExchangeSink, exchange: RecordedExchange): boolean {
    try {
      appendFileSync(this.#path, formatExchange(exchange) + "\n");
      this.#onRecord?.(exchange);
    } catch (err) {
      sink.failed(err);
      return false;
    }
    return true;
  }
}
