/**
 * The real transport: UDP on a pool of connected sockets with a flow
 * window per server (udp.ts, udppool.ts, udpsocket.ts, window.ts) and TCP
 * on a connection per exchange (tcp.ts).
 * On UDP, query names go in random case (0x20) by default and, with
 * `pool: { cookies: true }`, EDNS queries carry DNS cookies; both on the
 * wire only (udppool.ts). TCP sends the query as it is.
 * `close()` aborts the exchanges in flight and resolves once every socket
 * is closed; between lookups it holds at most a few idle UDP sockets per
 * server, unreferenced, closed after a second without queries.
 */
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";
import { InFlight } from "./deadline.js";
import { exchangeTcp } from "./tcp.js";
import { exchangeUdp } from "./udp.js";
import { UdpPool, type FlowStats, type PoolOptions } from "./udppool.js";

/** How a {@link NetTransport} is built. */
export interface NetTransportOptions {
  /**
   * Limits of the UDP socket pool other than its defaults (`POOL_LIMITS`
   * in udppool.ts), and its options: `caseRandomization` (on by default)
   * and `cookies` (off by default).
   */
  pool?: PoolOptions;
}

/** UDP and TCP exchanges over real sockets. */
export class NetTransport implements Transport {
  /** TCP exchanges in flight (the UDP pool knows its own). */
  readonly #inFlight = new InFlight();
  readonly #udp: UdpPool;
  #closed = false;

  constructor(options: NetTransportOptions = {}) {
    this.#udp = new UdpPool(options.pool);
  }

  /** Performs one exchange; see {@link Transport.exchange}. */
  exchange(request: TransportRequest): Promise<TransportResponse> {
    if (this.#closed) return Promise.reject(new Error("NetTransport used after close()"));
    return request.protocol === "tcp" ? exchangeTcp(request, this.#inFlight) : exchangeUdp(this.#udp, request);
  }

  /** Per UDP server, what its flow window looks like now (diagnostics, benchmarks). */
  flows(): Map<string, FlowStats> {
    return this.#udp.flows();
  }

  /** Aborts every exchange in flight and waits until their sockets, and the idle ones, are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    const reason = new Error("NetTransport closed");
    this.#udp.abortAll(reason);
    await this.#inFlight.abortAll(reason);
    await this.#udp.close();
  }
}
