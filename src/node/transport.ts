/**
 * A transport wrapper that sends one wire query for many identical ones:
 * queries that ask the same server the same thing over the same protocol
 * while one is already on its way wait for that one's response (each gets
 * it under its own message ID). With a {@link DnsCache} it also answers
 * from the cache and fills it.
 *
 * It sits between the DNS client and the real transport, so everything
 * above it (servers in turn, TCP fallback, search list) behaves as before;
 * only the packets on the wire change. Merging is always safe: the
 * response to a query depends only on the query bytes and the server.
 */
import { Cancellation } from "../dns/cancel.js";
import { TransportError } from "../dns/errors.js";
import { abortReason } from "../dns/transport/deadline.js";
import type { Transport, TransportRequest, TransportResponse } from "../types.js";
import { cacheKey, type DnsCache } from "./cache.js";

/** How a {@link CachingTransport} is built. */
export interface CachingTransportOptions {
  /** Answer from and store into this cache; without one, only merging. */
  cache?: DnsCache;
}

/** One exchange on the wire and the requests waiting for it. */
interface Flight {
  promise: Promise<TransportResponse>;
  cancel: Cancellation;
  waiters: number;
}

/** Merges identical in-flight queries, and caches when given a cache; see the module comment. */
export class CachingTransport implements Transport {
  readonly #inner: Transport;
  readonly #cache: DnsCache | undefined;
  readonly #flights = new Map<string, Flight>();
  #merged = 0;

  constructor(inner: Transport, options: CachingTransportOptions = {}) {
    this.#inner = inner;
    this.#cache = options.cache;
  }

  /** The cache this transport uses, if any. */
  get cache(): DnsCache | undefined {
    return this.#cache;
  }

  /** How many queries were answered by joining an identical one in flight. */
  get merged(): number {
    return this.#merged;
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    if (request.signal?.aborted) return Promise.reject(abortReason(request.signal));
    const cached = this.#cache?.lookup(request.message);
    if (cached !== undefined) return Promise.resolve({ message: cached, protocol: request.protocol, rtt: 0 });

    const key = flightKey(request);
    const flight = this.#flights.get(key);
    if (flight === undefined) return this.#wait(key, this.#launch(key, request), request, false);
    this.#merged++;
    return this.#wait(key, flight, request, true);
  }

  /** Closes the wrapped transport (which ends whatever is in flight). */
  async close(): Promise<void> {
    for (const flight of this.#flights.values()) flight.cancel.abort(new Error("CachingTransport closed"));
    this.#flights.clear();
    await this.#inner.close();
  }

  #launch(key: string, request: TransportRequest): Flight {
    const cancel = new Cancellation();
    const promise = this.#inner.exchange({ ...request, signal: cancel });
    const flight: Flight = { promise, cancel, waiters: 0 };
    this.#flights.set(key, flight);
    const forget = (): void => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    promise.then(
      (response) => {
        forget();
        this.#cache?.store(request.message, response.message, response.decoded);
      },
      forget,
    );
    return flight;
  }

  /**
   * One request's share of a flight: it settles with the flight, or on its
   * abort, or (for a request that joined, `ownTimeout`) on its own timeout,
   * whichever comes first; the request that launched the flight has its
   * timeout in the flight already. The flight itself is aborted only when
   * its last waiter has gone.
   */
  #wait(key: string, flight: Flight, request: TransportRequest, ownTimeout: boolean): Promise<TransportResponse> {
    flight.waiters++;
    return new Promise<TransportResponse>((resolve, reject) => {
      let done = false;
      const leave = (): void => {
        done = true;
        clearTimeout(timer);
        request.signal?.removeEventListener("abort", onAbort);
        flight.waiters--;
      };
      const giveUp = (reason: unknown): void => {
        if (done) return;
        leave();
        if (flight.waiters === 0) {
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          flight.cancel.abort(reason);
        }
        reject(reason);
      };
      const onAbort = (): void => giveUp(abortReason(request.signal!));
      const timer = ownTimeout
        ? setTimeout(() => {
            giveUp(new TransportError("ETIMEDOUT", `no response within ${request.timeout} ms`, request.server, request.protocol));
          }, Math.max(0, request.timeout))
        : undefined;
      request.signal?.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (response) => {
          if (done) return;
          leave();
          resolve(waiterResponse(response, request.id, !ownTimeout));
        },
        (err: unknown) => {
          if (done) return;
          leave();
          reject(err);
        },
      );
    });
  }
}

/** Same server, same protocol, same query bytes but the ID. */
function flightKey(request: TransportRequest): string {
  const { server } = request;
  return `${server.address}%${server.scope ?? ""}|${server.port}|${request.protocol}|${cacheKey(request.message)}`;
}

/**
 * The flight's response as one of its waiters gets it: the request that
 * launched the flight gets it as it is (it has that request's ID, and the
 * decoded message is then owned by that request alone); a request that
 * joined gets a copy under its own ID.
 */
function waiterResponse(response: TransportResponse, id: number, launcher: boolean): TransportResponse {
  if (launcher) return response;
  return { message: withId(response.message, id), protocol: response.protocol, rtt: response.rtt };
}

/** A copy of a message with another ID. */
function withId(message: Uint8Array, id: number): Uint8Array {
  const copy = Uint8Array.from(message);
  copy[0] = id >> 8;
  copy[1] = id & 0xff;
  return copy;
}
