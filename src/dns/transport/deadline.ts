/**
 * The life cycle of a TCP exchange: one outcome wins (response, error,
 * timeout or abort), then the timer and the abort listener are removed
 * and the socket is closed, and only when it is closed does the promise
 * settle. So once an exchange has settled, it holds no handle. (A UDP
 * exchange, udp.ts, follows the same rule as one object on the pool's
 * shared deadlines.)
 */
import type { ExchangeSignal, TransportRequest } from "./transport.js";
import { TransportError } from "../errors.js";

/** How an exchange ended. */
export type Outcome<T> = { value: T } | { error: unknown };

/**
 * The exchanges a transport has in flight, so that it can abort them all
 * and wait until their sockets are closed: a plain set of abort functions
 * instead of an AbortController per exchange.
 */
export class InFlight {
  readonly #aborts = new Set<(reason: unknown) => void>();
  readonly #drained: Array<() => void> = [];

  add(abort: (reason: unknown) => void): void {
    this.#aborts.add(abort);
  }

  delete(abort: (reason: unknown) => void): void {
    this.#aborts.delete(abort);
    if (this.#aborts.size === 0) for (const drained of this.#drained.splice(0)) drained();
  }

  /** Aborts every exchange with `reason`; resolves once all have settled. */
  abortAll(reason: unknown): Promise<void> {
    for (const abort of [...this.#aborts]) abort(reason);
    if (this.#aborts.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }
}

/** The socket side of an exchange: told how to report, returns how to close. */
export type Starter<T> = (finish: (outcome: Outcome<T>) => void) => { close(done: () => void): void };

/** Where {@link runExchangeTo} reports: exactly one of the two, once (an {@link ExchangeSink} for a TransportResponse). */
export interface OutcomeSink<T> {
  answered(value: T): void;
  failed(error: unknown): void;
}

/**
 * Runs `start` under `request.timeout` and `request.signal`, and reports
 * to `sink` once the socket is closed, never before this call returns. A timeout fails with a
 * {@link TransportError} `ETIMEDOUT`; an abort with the signal's reason
 * (an `AbortError` DOMException unless the caller gave another). While it
 * runs, it is in `inFlight`, if given.
 */
export function runExchangeTo<T>(request: TransportRequest, start: Starter<T>, sink: OutcomeSink<T>, inFlight?: InFlight): void {
  const { signal } = request;
  if (signal?.aborted) {
    queueMicrotask(() => sink.failed(abortReason(signal)));
    return;
  }
  // Set until `start` has returned: an outcome known by then is reported after this call, as a promise would.
  let starting = true;
  let finished = false;
  let socket: { close(done: () => void): void } | undefined;
  let pending: Outcome<T> | undefined;

  const finish = (outcome: Outcome<T>): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
    if (socket === undefined) pending = outcome;
    else socket.close(() => settle(outcome));
  };
  const settle = (outcome: Outcome<T>): void => {
    if (starting) return queueMicrotask(() => settle(outcome));
    inFlight?.delete(abort);
    if ("value" in outcome) sink.answered(outcome.value);
    else sink.failed(outcome.error);
  };
  const onAbort = (): void => finish({ error: abortReason(signal!) });
  const abort = (reason: unknown): void => finish({ error: reason });
  inFlight?.add(abort);
  const timer = setTimeout(() => finish({ error: TransportError.timeout(request) }), Math.max(0, request.timeout));
  signal?.addEventListener("abort", onAbort, { once: true });

  try {
    socket = start(finish);
  } catch (err) {
    // Starters report through `finish`; a throw means no socket was made.
    socket = { close: (done) => done() };
    finish({ error: err });
  }
  // The starter may have reported before it returned its socket.
  starting = false;
  if (pending !== undefined) {
    const outcome = pending;
    socket.close(() => settle(outcome));
  }
}

/** {@link runExchangeTo} as a promise. */
export function runExchange<T>(request: TransportRequest, start: Starter<T>, inFlight?: InFlight): Promise<T> {
  return new Promise<T>((resolve, reject) => runExchangeTo(request, start, { answered: resolve, failed: reject }, inFlight));
}

/** What an aborted signal rejects with. */
export function abortReason(signal: ExchangeSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
