/**
 * The life cycle every socket exchange shares: one outcome wins (response,
 * error, timeout or abort), then the timer and the abort listener are
 * removed and the socket is closed, and only when it is closed does the
 * promise settle. So once an exchange has settled, it holds no handle.
 */
import type { TransportRequest } from "../../types.js";
import { TransportError } from "../errors.js";

/** How an exchange ended. */
export type Outcome<T> = { value: T } | { error: unknown };

/** The socket side of an exchange: told how to report, returns how to close. */
export type Starter<T> = (finish: (outcome: Outcome<T>) => void) => { close(done: () => void): void };

/**
 * Runs `start` under `request.timeout` and `request.signal`. A timeout
 * rejects with a {@link TransportError} `ETIMEDOUT`; an abort rejects with
 * the signal's reason (an `AbortError` DOMException unless the caller gave
 * another).
 */
export function runExchange<T>(request: TransportRequest, start: Starter<T>): Promise<T> {
  const { signal } = request;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
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
      if ("value" in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const onAbort = (): void => finish({ error: abortReason(signal!) });
    const timer = setTimeout(() => {
      finish({ error: new TransportError("ETIMEDOUT", `no response within ${request.timeout} ms`, request.server, request.protocol) });
    }, Math.max(0, request.timeout));
    signal?.addEventListener("abort", onAbort, { once: true });

    try {
      socket = start(finish);
    } catch (err) {
      // Starters report through `finish`; a throw means no socket was made.
      socket = { close: (done) => done() };
      finish({ error: err });
    }
    // The starter may have reported before it returned its socket.
    if (pending !== undefined) {
      const outcome = pending;
      socket.close(() => settle(outcome));
    }
  });
}

/** What an aborted signal rejects with. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
