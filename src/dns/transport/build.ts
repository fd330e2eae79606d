/**
 * The one place that stacks the transport layers of a resolver, bottom to
 * top: the sockets (NetTransport: the UDP pool with its flow windows, TCP)
 * or a transport passed in, the merger of identical queries in flight when
 * asked for, and the cache when one is asked for. Each layer is a
 * {@link Transport}.
 */
import type { Transport } from "./transport.js";
import type { DnsCache } from "../cache.js";
import { CachingTransport } from "./caching.js";
import { MergingTransport } from "./merge.js";

/** What to stack on the base transport. */
export interface TransportLayers {
  /** Answer from and store into this cache. */
  cache?: DnsCache | undefined;
  /** Merge identical queries in flight. */
  merge?: boolean;
}

/** `base` with the merger and the cache on top, as asked. */
export function buildTransport(base: Transport, layers: TransportLayers = {}): Transport {
  const merged = layers.merge === true ? new MergingTransport(base) : base;
  return layers.cache === undefined ? merged : new CachingTransport(merged, layers.cache);
}
