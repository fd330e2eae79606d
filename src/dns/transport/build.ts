/**
 * The one place that stacks the transport layers of a resolver, bottom to
 * top: the sockets (NetTransport: the UDP pool with its flow windows, TCP)
 * or a transport passed in, the merger of identical queries in flight,
 * and the cache when one is asked for. Each layer is a {@link Transport}.
 */
import type { Transport } from "../../types.js";
import type { DnsCache } from "../cache.js";
import { CachingTransport } from "./caching.js";
import { MergingTransport } from "./merge.js";

/** `base` with merging, and the cache on top when given. */
export function buildTransport(base: Transport, cache?: DnsCache): Transport {
  const merged = new MergingTransport(base);
  return cache === undefined ? merged : new CachingTransport(merged, cache);
}
