/**
 * The real transport: UDP on a pool of connected sockets per server
 * (udp.ts, udppool.ts) and TCP on a connection per exchange (tcp.ts).
 * `close()` aborts the exchanges in flight and resolves once every socket
 * is closed; between lookups it holds at most a few idle UDP sockets per
 * server, unreferenced, closed after a second without queries.
 */
import type { Transport, TransportRequest, TransportResponse } from "../../types.js";
import { exchangeTcp } from "./tcp.js";
import { exchangeUdp } from "./udp.js";
import { UdpPool } from "./udppool.js";

/** UDP and TCP exchanges over real sockets. */
export class NetTransport implements Transport {
  readonly #inFlight = new Map<Promise<unknown>, AbortController>();
  readonly #udp = new UdpPool();
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
    const forwarded = { ...request, signal: controller.signal };
    const exchange = request.protocol === "tcp" ? exchangeTcp(forwarded) : exchangeUdp(this.#udp, forwarded);
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

  /** Aborts every exchange in flight and waits until their sockets, and the idle ones, are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const controller of this.#inFlight.values()) controller.abort(new Error("NetTransport closed"));
    await Promise.all(this.#inFlight.keys());
    await this.#udp.close();
  }
}
