/**
 * The transport contract: what the DNS client (src/dns/send.ts) asks of
 * the layer with the sockets, and what each transport layer (net.ts,
 * merge.ts, caching.ts, replay.ts, ...) implements.
 */
import type { NameServer } from "../server.js";
import type { DnsMessage } from "../message.js";
import type { Protocol, Question } from "../question.js";

/** One exchange the DNS client asks a transport to perform. */
export interface TransportRequest {
  server: NameServer;
  protocol: Protocol;
  /** The encoded query (without TCP length prefix). */
  message: Uint8Array;
  /** The query's 16-bit ID: responses with another ID are ignored. */
  id: number;
  /** The question asked: responses for another question are ignored. */
  question: Question;
  /** Give up after this many milliseconds. */
  timeout: number;
  /** Ends the exchange early: it rejects with the signal's reason. */
  signal?: ExchangeSignal;
}

/**
 * What a transport reads of the signal that ends an exchange early. An
 * AbortSignal has all of it; the DNS client passes a lighter object of its
 * own per try (dns/cancel.ts).
 */
export interface ExchangeSignal {
  readonly aborted: boolean;
  /** Why it was aborted: what the exchange rejects with. */
  readonly reason: unknown;
  addEventListener(type: "abort", listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

/** A function, or an object with `handleEvent` (which saves a closure per listener), as EventTarget takes them. */
export type AbortListener = (() => void) | { handleEvent(): void };

/** A response accepted by a transport (already matched to the request). */
export interface TransportResponse {
  /** The raw response bytes (without TCP length prefix). */
  message: Uint8Array;
  protocol: Protocol;
  /** Round-trip time in milliseconds. */
  rtt: number;
  /**
   * `message` decoded, when the transport decoded it already to match it to
   * the query (UDP and TCP do); the client then does not decode it again.
   */
  decoded?: DnsMessage;
}

/**
 * Where one exchange reports its end: exactly one of the two methods,
 * once. An object rather than two callbacks, so that whoever waits for the
 * exchange can be the sink itself (the DNS client's exchange state is one)
 * and a waiting exchange holds no closure or promise. The methods do not
 * throw: a transport need not guard its calls to them.
 */
export interface ExchangeSink {
  answered(response: TransportResponse): void;
  failed(error: unknown): void;
}

/**
 * Moves DNS messages: the only layer with sockets. Rejects with a
 * `TransportError` on timeout, abort, network error or a malformed frame.
 */
export interface Transport {
  exchange(request: TransportRequest): Promise<TransportResponse>;
  /**
   * The same exchange, reported to `sink` instead of a promise. Optional:
   * the DNS client calls it when a transport has it (every built-in layer
   * does, since a lookup in flight then holds no promise per layer) and
   * `exchange` otherwise ({@link startExchange}). It does not throw; a
   * failure, even one found before anything is sent, goes to
   * `sink.failed`. It reports only after it has returned, as a promise
   * would (`answerLater`/`failLater` for what is known at once): the DNS
   * client starts a try's questions one after another, and an answer to
   * the first reported inside `send` would end the try before the next was
   * sent. Only an abort may be reported from inside the signal's `abort()`.
   */
  send?(request: TransportRequest, sink: ExchangeSink): void;
  /** Releases every socket and timer; the transport is unusable afterwards. */
  close(): Promise<void>;
}

/** Runs one exchange on `transport`, by its `send` when it has one, else by `exchange`; never throws. */
export function startExchange(transport: Transport, request: TransportRequest, sink: ExchangeSink): void {
  if (transport.send !== undefined) {
    transport.send(request, sink);
    return;
  }
  let exchange: Promise<TransportResponse>;
  try {
    exchange = transport.exchange(request);
  } catch (err) {
    sink.failed(err);
    return;
  }
  exchange.then((response) => sink.answered(response), (error: unknown) => sink.failed(error));
}

/**
 * Reports to `sink` once the current call has returned (a microtask), as
 * a promise settled at once would: for what a layer knows before its
 * `send` returns (a cached answer, a recording, an aborted signal). The
 * DNS client starts a try's exchanges one after another and reads their
 * outcomes once all have started, so built-in layers never report from
 * inside `send`.
 */
export function answerLater(sink: ExchangeSink, response: TransportResponse): void {
  queueMicrotask(() => sink.answered(response));
}

/** {@link answerLater} for a failure. */
export function failLater(sink: ExchangeSink, error: unknown): void {
  queueMicrotask(() => sink.failed(error));
}

/** `send` of a layer that answers at once: what `answer` returns, or what it throws, reported after `send` has returned. */
export function reportLater(sink: ExchangeSink, answer: () => TransportResponse): void {
  let response: TransportResponse;
  try {
    response = answer();
  } catch (err) {
    return failLater(sink, err);
  }
  answerLater(sink, response);
}

/**
 * A copy of `request` with `changes`, its fields read one by one (a
 * request may be a class instance whose fields a spread would not see):
 * for a layer that asks the one below with another signal, server or
 * timeout.
 */
export function requestWith(request: TransportRequest, changes: Partial<TransportRequest>): TransportRequest {
  const copy: TransportRequest = { server: request.server, protocol: request.protocol, message: request.message, id: request.id, question: request.question, timeout: request.timeout };
  const { signal } = request;
  if (signal !== undefined) copy.signal = signal;
  return Object.assign(copy, changes);
}

/** A sink that settles a promise: `exchange` of a layer that implements `send`. */
class PromiseSink implements ExchangeSink {
  constructor(readonly answered: (response: TransportResponse) => void, readonly failed: (error: unknown) => void) {}
}

/** `exchange` for a layer whose work is in `send`: the promise form of the same exchange. */
export function exchangeBySend(layer: { send(request: TransportRequest, sink: ExchangeSink): void }, request: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => layer.send(request, new PromiseSink(resolve, reject)));
}
