/**
 * The real transport: UDP on a pool of connected sockets with a flow
 * window per server (udp.ts, udppool.ts, udpsocket.ts, window.ts) and TCP
 * on a connection per exchange (tcp.ts); a server with `encrypted` set is
 * asked over TLS (dot.ts) or HTTPS (doh.ts) whatever the protocol asked,
 * and an opportunistic DoT server that cannot be reached over TLS is
 * asked in clear on port 53 of the same address (RFC 8310 section 5).
 * On UDP, query names go in random case (0x20) by default and, with
 * `pool: { cookies: true }`, EDNS queries carry DNS cookies; both on the
 * wire only (udppool.ts). TCP sends the query as it is.
 * `close()` aborts the exchanges in flight and resolves once every socket
 * is closed; between lookups it holds at most a few idle UDP sockets per
 * server, unreferenced, closed after a second without queries.
 */
import type { LookupFunction } from "node:net";
import type { NameServer } from "../server.js";
import { exchangeBySend, failLater, requestWith, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
import { InFlight } from "./deadline.js";
import { DohTransport } from "./doh.js";
import { DotTransport, type TlsSettings } from "./dot.js";
import { sendTcp } from "./tcp.js";
import { sendUdp } from "./udp.js";
import { UdpPool, type FlowStats, type PoolOptions } from "./udppool.js";

/** How a {@link NetTransport} is built. */
export interface NetTransportOptions {
  /**
   * Limits of the UDP socket pool other than its defaults (`POOL_LIMITS`
   * in udppool.ts), and its options: `caseRandomization` (on by default)
   * and `cookies` (off by default).
   */
  pool?: PoolOptions;
  /** Certificate settings of the encrypted servers (the system's trust store by default). */
  tls?: TlsSettings;
  /** Resolves the host name of a DoH server (the Resolver passes its bootstrap: hosts and the plain servers). */
  lookup?: LookupFunction;
}

/** Where an opportunistic DoT server is asked in clear. */
const CLEAR_PORT = 53;

/** UDP and TCP exchanges over real sockets. */
export class NetTransport implements Transport {
  /** TCP exchanges in flight (the UDP pool knows its own). */
  readonly #inFlight = new InFlight();
  readonly #udp: UdpPool;
  readonly #options: NetTransportOptions;
  #dot: DotTransport | undefined;
  #doh: DohTransport | undefined;
  /** The clear-text twin of each opportunistic DoT server. */
  readonly #clear = new WeakMap<NameServer, NameServer>();
  #closed = false;

  constructor(options: NetTransportOptions = {}) {
    this.#options = options;
    this.#udp = new UdpPool(options.pool);
  }

  /** Performs one exchange; see {@link Transport.exchange}. */
  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  /** Performs one exchange; see {@link Transport.send}. */
  send(request: TransportRequest, sink: ExchangeSink): void {
    if (this.#closed) return failLater(sink, new Error("NetTransport used after close()"));
    const { encrypted } = request.server;
    if (encrypted?.scheme === "https") (this.#doh ??= new DohTransport(this.#dohSettings())).send(request, sink, this.#inFlight);
    else if (encrypted?.scheme === "tls") this.#sendDot(request, sink);
    else if (request.protocol === "tcp") sendTcp(request, sink, this.#inFlight);
    else sendUdp(this.#udp, request, sink);
  }

  /** Over TLS; an opportunistic server that could not be reached so is asked in clear with what is left of the timeout. */
  #sendDot(request: TransportRequest, sink: ExchangeSink): void {
    const started = performance.now();
    const inClear = (): void => this.send(requestWith(request, { server: this.#clearServer(request.server), timeout: Math.max(0, request.timeout - (performance.now() - started)) }), sink);
    (this.#dot ??= new DotTransport(this.#options.tls)).send(request, { answered: (answer) => (answer === "clear" ? inClear() : sink.answered(answer)), failed: (error) => sink.failed(error) }, this.#inFlight);
  }

  #clearServer(server: NameServer): NameServer {
    let clear = this.#clear.get(server);
    if (clear === undefined) {
      clear = { address: server.address, port: CLEAR_PORT, family: server.family };
      if (server.scope !== undefined) clear.scope = server.scope;
      this.#clear.set(server, clear);
    }
    return clear;
  }

  #dohSettings(): ConstructorParameters<typeof DohTransport>[0] {
    const settings: ConstructorParameters<typeof DohTransport>[0] = { ...this.#options.tls };
    if (this.#options.lookup !== undefined) settings.lookup = this.#options.lookup;
    return settings;
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
    await Promise.all([this.#udp.close(), this.#dot?.close(), this.#doh?.close()]);
  }
}
