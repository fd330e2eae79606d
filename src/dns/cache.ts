/**
 * A cache of DNS responses, keyed by the query as sent (every byte but the
 * ID): positive and negative answers kept for their TTL (see ttl.ts),
 * capped at `maxTtl`, at most `maxEntries` of them, least recently used
 * out first. It stores wire bytes and hands them back with TTLs lowered by
 * the time spent in the cache, so a cached answer reads exactly as a
 * caching server would send it.
 *
 * Off by default: glibc has no cache, and netdb answers as glibc does.
 * Time comes from an injectable clock, so tests need not wait.
 */
import { decodeMessage, queryKey, type DnsMessage } from "./message.js";
import { MalformedMessageError } from "./errors.js";
import { agedResponse, cacheableTtl } from "./ttl.js";

/** How a {@link DnsCache} behaves. */
export interface DnsCacheOptions {
  /** Most entries kept; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /** Longest time, in seconds, any answer is kept, whatever its TTL. Default 3600 (as c-ares' query cache). */
  maxTtl?: number;
  /** Current time in milliseconds; default `performance.now()`, which never goes back. */
  now?: () => number;
}

/** Counters of a {@link DnsCache}, since it was made or last cleared. */
export interface DnsCacheStats {
  /** Queries answered from the cache. */
  hits: number;
  /** Queries the cache had no live answer for. */
  misses: number;
  /** Answers stored. */
  stored: number;
  /** Entries dropped to stay within `maxEntries`. */
  evictions: number;
  /** Entries held now (expired ones included until they are next looked at). */
  size: number;
}

interface Entry {
  /** The response as received (ID as received). */
  bytes: Uint8Array;
  /** When it was stored, in clock milliseconds. */
  storedAt: number;
  /** When it expires, in clock milliseconds. */
  expiresAt: number;
}

const DEFAULT_MAX_ENTRIES = 1000;
const DEFAULT_MAX_TTL = 3600;

/** Response cache; see the module comment. */
export class DnsCache {
  readonly #maxEntries: number;
  readonly #maxTtl: number;
  readonly #now: () => number;
  /** Map order is recency order: the first key is the least recently used. */
  readonly #entries = new Map<string, Entry>();
  #hits = 0;
  #misses = 0;
  #stored = 0;
  #evictions = 0;

  constructor(options: DnsCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const maxTtl = options.maxTtl ?? DEFAULT_MAX_TTL;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
    if (!(maxTtl >= 0)) throw new RangeError(`maxTtl must be a number of seconds >= 0, not ${maxTtl}`);
    this.#maxEntries = maxEntries;
    this.#maxTtl = maxTtl;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * The cached response to `query` (the encoded query), re-addressed to
   * the query's ID with its TTLs aged, or undefined on a miss.
   */
  lookup(query: Uint8Array): Uint8Array | undefined {
    const key = queryKey(query);
    const entry = this.#entries.get(key);
    const now = this.#now();
    if (entry === undefined || now >= entry.expiresAt) {
      if (entry !== undefined) this.#entries.delete(key);
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const id = (query[0]! << 8) | query[1]!;
    return agedResponse(entry.bytes, id, Math.floor((now - entry.storedAt) / 1000));
  }

  /**
   * Keeps `response` (raw bytes) as the answer to `query` when it may be
   * cached (see ttl.ts); returns whether it was kept. A response that does
   * not decode is never kept. `decoded` saves decoding it again.
   */
  store(query: Uint8Array, response: Uint8Array, decoded?: DnsMessage): boolean {
    let message = decoded;
    if (message === undefined) {
      try {
        message = decodeMessage(response);
      } catch (err) {
        if (err instanceof MalformedMessageError) return false;
        throw err;
      }
    }
    const ttl = cacheableTtl(message);
    if (ttl === undefined) return false;
    const seconds = Math.min(ttl, this.#maxTtl);
    if (seconds <= 0) return false;
    const key = queryKey(query);
    const now = this.#now();
    this.#entries.delete(key);
    this.#entries.set(key, { bytes: Uint8Array.from(response), storedAt: now, expiresAt: now + seconds * 1000 });
    this.#stored++;
    this.#evict();
    return true;
  }

  /** Forgets every answer and resets the counters. */
  clear(): void {
    this.#entries.clear();
    this.#hits = 0;
    this.#misses = 0;
    this.#stored = 0;
    this.#evictions = 0;
  }

  /** The counters; see {@link DnsCacheStats}. */
  stats(): DnsCacheStats {
    return { hits: this.#hits, misses: this.#misses, stored: this.#stored, evictions: this.#evictions, size: this.#entries.size };
  }

  #evict(): void {
    if (this.#entries.size <= this.#maxEntries) return;
    // Expired entries go first, then the least recently used.
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (now >= entry.expiresAt) this.#entries.delete(key);
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(key);
      this.#evictions++;
    }
  }
}

/** The `cache` option of a Resolver: `true` for a cache with the defaults, options for a new one, or a cache to share. */
export type CacheOption = boolean | DnsCacheOptions | DnsCache;

/** The cache a `cache` option asks for, or undefined for none. */
export function cacheFromOption(option: CacheOption | undefined): DnsCache | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return new DnsCache();
  return option instanceof DnsCache ? option : new DnsCache(option);
}
