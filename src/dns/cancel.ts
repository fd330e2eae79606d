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
  /** One listener as it is (the usual case: the try's one exchange), more in an array. */
  #listeners: AbortListener | AbortListener[] | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Calls `listener` once, on abort. Listeners of an aborted signal are never called, as with AbortSignal. */
  addEventListener(_type: "abort", listener: AbortListener): void {
    if (this.#aborted) return;
    const listeners = this.#listeners;
    if (listeners === undefined) this.#listeners = listener;
    else if (Array.isArray(listeners)) listeners.push(listener);
    else this.#listeners = [listeners, listener];
  }

  removeEventListener(_type: "abort", listener: AbortListener): void {
    const listeners = this.#listeners;
    if (listeners === listener) this.#listeners = undefined;
    else if (Array.isArray(listeners)) {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    }
  }

  /** Aborts with `reason` (once; later calls do nothing) and calls the listeners. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners === undefined) return;
    if (!Array.isArray(listeners)) return call(listeners);
    for (const listener of listeners) call(listener);
  }

  /** Listeners still waiting (tests check that exchanges remove theirs). */
  get listenerCount(): number {
    const listeners = this.#listeners;
    return listeners === undefined ? 0 : Array.isArray(listeners) ? listeners.length : 1;
  }
}

function call(listener: AbortListener): void {
  if (typeof listener === "function") listener();
  else listener.handleEvent();
}
