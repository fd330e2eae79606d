/**
 * A transport wrapper that answers from a {@link DnsCache} and fills it.
 *
 * It sits above the merger (merge.ts), so a miss for a query already in
 * flight joins that one instead of sending again. What it stores has
 * passed every check the transport below makes (source, ID, question,
 * the 0x20 case echo): an answer the transport would not hand up is never
 * cached, and the cache keeps only complete NOERROR and NXDOMAIN answers
 * (ttl.ts).
 */
import { answerLater, exchangeBySend, failLater, startExchange, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
import type { DnsCache } from "../cache.js";
import { abortReason } from "./deadline.js";

/** Answers from `cache` when it can, else asks `inner` and stores the answer. */
export class CachingTransport implements Transport {
  readonly #inner: Transport;
  readonly #cache: DnsCache;

  constructor(inner: Transport, cache: DnsCache) {
    this.#inner = inner;
    this.#cache = cache;
  }

  /** The cache this transport uses. */
  get cache(): DnsCache {
    return this.#cache;
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    if (request.signal?.aborted) return failLater(sink, abortReason(request.signal));
    let cached: Uint8Array | undefined;
    try {
      cached = this.#cache.lookup(request.message);
    } catch (err) {
      // Not a query the cache can read (only a caller's own bytes can be one).
      return failLater(sink, err);
    }
    if (cached !== undefined) answerLater(sink, { message: cached, protocol: request.protocol, rtt: 0 });
    else startExchange(this.#inner, request, new Filling(this.#cache, request.message, sink));
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** A miss on its way: the answer is stored, then handed on. */
class Filling implements ExchangeSink {
  readonly #cache: DnsCache;
  readonly #query: Uint8Array;
  readonly #sink: ExchangeSink;

  constructor(cache: DnsCache, query: Uint8Array, sink: ExchangeSink) {
    this.#cache = cache;
    this.#query = query;
    this.#sink = sink;
  }

  answered(response: TransportResponse): void {
    try {
      this.#cache.store(this.#query, response.message, response.decoded);
    } catch (err) {
      this.#sink.failed(err);
      return;
    }
    this.#sink.answered(response);
  }

  failed(error: unknown): void {
    this.#sink.failed(error);
  }
}
