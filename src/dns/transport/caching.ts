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
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";
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
    if (request.signal?.aborted) return Promise.reject(abortReason(request.signal));
    const cached = this.#cache.lookup(request.message);
    if (cached !== undefined) return Promise.resolve({ message: cached, protocol: request.protocol, rtt: 0 });
    return this.#inner.exchange(request).then((response) => {
      this.#cache.store(request.message, response.message, response.decoded);
      return response;
    });
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
