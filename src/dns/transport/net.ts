/**
 * The real transport: UDP and TCP over sockets (udp.ts, tcp.ts). It owns
 * no socket between exchanges; `close()` aborts the exchanges in flight and
 * resolves once their sockets are closed.
 */
import type { Transport, TransportRequest, TransportResponse } from "../../types.js";
import { exchangeTcp } from "./tcp.js";
import { exchangeUdp } from "./udp.js";

/** UDP and TCP exchanges over real sockets. */
export class NetTransport implements Transport {
  readonly #inFlight = new Map<Promise<unknown>, AbortController>();
  #closed = false;

  /** Performs one exchange; see {@link Transport.exchange}. */
  exchange(request: TransportRequest): Promise<TransportResponse> {
    if (this.#closed) return Promise.reject(new Error("NetTransport used after close()"));
    // One controller per exchange, fed by the caller's signal, so close()
    // can abort it; the forwarding listener goes when the exchange ends.
    const controller = new AbortController();
    const forward = (): void => controller.abort(request.signal!.reason);
    if (request.signal?.aborted) forward();
    else request.signal?.addEventListener("abort", forward, { once: true });
    const run = request.protocol === "tcp" ? exchangeTcp : exchangeUdp;
    const exchange = run({ ...request, signal: controller.signal });
    const tracked = exchange.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.set(tracked, controller);
    void tracked.then(() => {
      request.signal?.removeEventListener("abort", forward);
      this.#inFlight.delete(tracked);
    });
    return exchange;
  }

  /** Aborts every exchange in flight and waits until their sockets are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const controller of this.#inFlight.values()) controller.abort(new Error("NetTransport closed"));
    await Promise.all(this.#inFlight.keys());
  }
}
