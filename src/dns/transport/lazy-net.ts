/**
 * The real transport (net.ts) as a Resolver makes it: the socket code
 * (the UDP pool, TCP, DoT and DoH: 49 of the bundle's 265 KB) is loaded
 * at the first exchange, not when the package is imported, since a
 * program that imports netdb may never send a query (the files, the
 * services table, `inet_*`, a replayed world), and compiling code it
 * never runs is most of what an import costs (docs/benchmarks.md, "Ninth
 * pass"). The exchanges asked for while the code loads wait for it (a
 * few milliseconds, once per process): their timeouts run from when they
 * are sent, as a UDP query's runs from when its datagram leaves (udp.ts),
 * and one whose signal aborts meanwhile fails with the abort's reason when
 * the load ends.
 */
import type { NetTransport, NetTransportOptions } from "./net.js";
import type { FlowStats } from "./udppool.js";
import { exchangeBySend, failLater, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";

/** What a {@link LazyNetTransport} needs of net.ts. */
export interface NetModule {
  NetTransport: new (options: NetTransportOptions) => NetTransport;
}

/** Loads net.ts: {@link loadNet}, or a test's stand-in. */
export type NetLoader = () => Promise<NetModule>;

let loading: Promise<NetModule> | undefined;

/** net.ts, loaded once for every transport of the process. */
export const loadNet: NetLoader = () => (loading ??= import("./net.js"));

/** An exchange asked for before net.ts was loaded. */
interface Waiting {
  request: TransportRequest;
  sink: ExchangeSink;
}

/** A {@link NetTransport} made at the first exchange, once its code is loaded. */
export class LazyNetTransport implements Transport {
  readonly #options: NetTransportOptions;
  readonly #load: NetLoader;
  #net: NetTransport | undefined;
  #waiting: Waiting[] = [];
  #closed = false;

  constructor(options: NetTransportOptions = {}, load: NetLoader = loadNet) {
    this.#options = options;
    this.#load = load;
  }

  /** Performs one exchange; see {@link Transport.exchange}. */
  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  /** Performs one exchange; see {@link Transport.send}. */
  send(request: TransportRequest, sink: ExchangeSink): void {
    if (this.#closed) return failLater(sink, new Error("NetTransport used after close()"));
    if (this.#net !== undefined) return this.#net.send(request, sink);
    // Even once the process has loaded net.ts, a new transport's first
    // exchanges wait a microtask for the promise of it.
    this.#waiting.push({ request, sink });
    if (this.#waiting.length === 1) this.#load().then((m) => this.#sendWaiting(m), (error: unknown) => this.#failWaiting(error));
  }

  /** Sends what waited for the load, in the order asked. */
  #sendWaiting(module: NetModule): void {
    if (this.#closed) return;
    const net = (this.#net ??= new module.NetTransport(this.#options));
    for (const { request, sink } of this.#waiting.splice(0)) net.send(request, sink);
  }

  /** Fails what waits: with the load's error, or at close. */
  #failWaiting(error: unknown): void {
    for (const { sink } of this.#waiting.splice(0)) sink.failed(error);
  }

  /** Per UDP server, what its flow window looks like now (none before the first exchange). */
  flows(): Map<string, FlowStats> {
    return this.#net?.flows() ?? new Map();
  }

  /** Fails what still waits for the load, as NetTransport aborts what is in flight, and closes the sockets. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#failWaiting(new Error("NetTransport closed"));
    await this.#net?.close();
  }
}
