/**
 * The one place that stacks the transport layers of a resolver, bottom to
 * top: the sockets (NetTransport: the UDP pool with its flow windows, TCP,
 * and DoT or DoH for a server that names them; its code loaded at the
 * first exchange, lazy-net.ts) or a transport passed in, the merger of
 * identical queries in flight when asked for, and the cache when one is
 * asked for. Each layer is a
 * {@link Transport}. hickory builds its connection provider the same way,
 * once, from one config.
 */
import type { LookupFunction } from "node:net";
import { cacheFromOption, type CacheOption, type DnsCache } from "../cache.js";
import { CachingTransport } from "./caching.js";
import { MergingTransport } from "./merge.js";
import { LazyNetTransport } from "./lazy-net.js";
import type { NetTransportOptions } from "./net.js";
import type { Transport } from "./transport.js";

/** What a resolver's transport stack is made from (the Resolver's options of the same names). */
export interface TransportChoice {
  /** The bottom layer; default: real sockets, made here and owned by the stack. */
  transport?: Transport | undefined;
  /** Send DNS cookies over UDP (sockets made here only). */
  cookies?: boolean | undefined;
  /** Trust anchors of encrypted servers' certificates (sockets made here only). */
  tlsCa?: string | Buffer | Array<string | Buffer> | undefined;
  /** Resolves a DoH server's host name (sockets made here only). */
  lookup?: LookupFunction | undefined;
  cache?: CacheOption | undefined;
  /** Merge identical queries in flight; default: on with a cache. */
  mergeQueries?: boolean | undefined;
}

/** A built stack. */
export interface TransportStack {
  /** The top layer, which every query goes through. */
  transport: Transport;
  /** The cache layer's cache, if there is one. */
  cache: DnsCache | undefined;
  /** True when the bottom layer was made here: closing the stack closes it. */
  owned: boolean;
}

/** The transport stack for `choice`. */
export function buildTransport(choice: TransportChoice): TransportStack {
  const cache = cacheFromOption(choice.cache);
  const base = choice.transport ?? new LazyNetTransport(netOptions(choice));
  const merged = (choice.mergeQueries ?? cache !== undefined) ? new MergingTransport(base) : base;
  return { transport: cache === undefined ? merged : new CachingTransport(merged, cache), cache, owned: choice.transport === undefined };
}

/** The options of the sockets made for `choice`: where a per-server transport choice (plain, DoT, DoH) is set up. */
function netOptions(choice: TransportChoice): NetTransportOptions {
  const net: NetTransportOptions = {};
  if (choice.lookup !== undefined) net.lookup = choice.lookup;
  if (choice.cookies !== undefined) net.pool = { cookies: choice.cookies };
  if (choice.tlsCa !== undefined) net.tls = { ca: choice.tlsCa };
  return net;
}
