/**
 * A cheap way to end exchanges early: an {@link ExchangeSignal} a layer
 * makes for exchanges of its own (merge.ts gives one to the exchange it
 * sends for merged queries, aborted when the last of them has gone). An
 * AbortController each time cost about a tenth of a lookup's CPU (an
 * EventTarget, an Event and a DOMException); this is a flag and a short
 * list of listeners. (The DNS client's own exchanges are their own signal:
 * send.ts's Launched.)
 *
 * It has the part of AbortSignal that transports read
 * ({@link ExchangeSignal}), so a transport handles both alike.
 */
import type { AbortListener, ExchangeSignal } from "./transport/transport.js";

/** An {@link ExchangeSignal} and the means to abort it. */
export class Cancellation implements ExchangeSignal {
  #aborted = false;
  #reason: unknown = undefined;
  #listeners: Listeners;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Calls `listener` once, on abort. Listeners of an aborted signal are never called, as with AbortSignal. */
  addEventListener(_type: "abort", listener: AbortListener): void {
    if (!this.#aborted) this.#listeners = withListener(this.#listeners, listener);
  }

  removeEventListener(_type: "abort", listener: AbortListener): void {
    this.#listeners = withoutListener(this.#listeners, listener);
  }

  /** Aborts with `reason` (once; later calls do nothing) and calls the listeners. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    callListeners(listeners);
  }

  /** Listeners still waiting (tests check that exchanges remove theirs). */
  get listenerCount(): number {
    const listeners = this.#listeners;
    return listeners === undefined ? 0 : Array.isArray(listeners) ? listeners.length : 1;
  }
}

/**
 * A signal's abort listeners: one as it is (the usual case: one exchange
 * listens), more in an array. The functions below keep such a list for
 * every signal of this library's own (this one, send.ts's exchanges).
 */
export type Listeners = AbortListener | AbortListener[] | undefined;

/** `listeners` with `listener` added. */
export function withListener(listeners: Listeners, listener: AbortListener): Listeners {
  if (listeners === undefined) return listener;
  if (!Array.isArray(listeners)) return [listeners, listener];
  listeners.push(listener);
  return listeners;
}

/** `listeners` without `listener`. */
export function withoutListener(listeners: Listeners, listener: AbortListener): Listeners {
  if (listeners === listener) return undefined;
  if (Array.isArray(listeners)) {
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners.splice(at, 1);
  }
  return listeners;
}

/** Calls each of `listeners` once. */
export function callListeners(listeners: Listeners): void {
  if (listeners === undefined) return;
  if (!Array.isArray(listeners)) return call(listeners);
  for (const listener of listeners) call(listener);
}

function call(listener: AbortListener): void {
  if (typeof listener === "function") listener();
  else listener.handleEvent();
}
