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
import { queryKey, withMessageId } from "../dns/message.js";
import { abortReason } from "../dns/transport/deadline.js";
import type { NameServer, Protocol, Transport, TransportRequest, TransportResponse } from "../types.js";
import type { DnsCache } from "./cache.js";

/** How a {@link CachingTransport} is built. */
export interface CachingTransportOptions {
  /** Answer from and store into this cache; without one, only merging. */
  cache?: DnsCache;
}

/** Merges identical in-flight queries, and caches when given a cache; see the module comment. */
export class CachingTransport implements Transport {
  readonly #inner: Transport;
  readonly #cache: DnsCache | undefined;
  /** Flights by server and protocol, then by the query's bytes but the ID (flat keys hold less than one long joined key). */
  readonly #flights = new Map<string, Map<string, Flight>>();
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

    const route = routeKey(request);
    let flights = this.#flights.get(route);
    if (flights === undefined) this.#flights.set(route, (flights = new Map()));
    const key = queryKey(request.message);
    let flight = flights.get(key);
    const launcher = flight === undefined;
    if (flight === undefined) {
      flight = new Flight(key, flights, this.#cache, request);
      flights.set(key, flight);
      flight.launch(this.#inner);
    } else this.#merged++;
    const joining = flight;
    return new Promise((resolve, reject) => joining.add(new Waiter(joining, request, launcher, resolve, reject)));
  }

  /** Closes the wrapped transport (which ends whatever is in flight). */
  async close(): Promise<void> {
    for (const flights of this.#flights.values()) for (const flight of flights.values()) flight.cancel.abort(new Error("CachingTransport closed"));
    this.#flights.clear();
    await this.#inner.close();
  }
}

/**
 * One exchange on the wire and the requests waiting for it. Each waiter
 * settles with the flight, or on its abort, or (one that joined) on its
 * own timeout, whichever comes first; the request that launched the
 * flight has its timeout in the flight already. The flight itself is
 * aborted only when its last waiter has gone.
 */
class Flight {
  readonly cancel = new Cancellation();
  readonly #key: string;
  readonly #flights: Map<string, Flight>;
  readonly #cache: DnsCache | undefined;
  readonly #request: TransportRequest;
  /** The waiters: usually one, so the first has a field of its own. */
  #first: Waiter | undefined;
  #others: Waiter[] | undefined;

  constructor(key: string, flights: Map<string, Flight>, cache: DnsCache | undefined, request: TransportRequest) {
    this.#key = key;
    this.#flights = flights;
    this.#cache = cache;
    this.#request = request;
  }

  launch(inner: Transport): void {
    inner.exchange({ ...this.#request, signal: this.cancel }).then(
      (response) => {
        this.#forget();
        this.#cache?.store(this.#request.message, response.message, response.decoded);
        for (const waiter of this.#takeWaiters()) waiter.answer(response);
      },
      (err: unknown) => {
        this.#forget();
        for (const waiter of this.#takeWaiters()) waiter.fail(err);
      },
    );
  }

  add(waiter: Waiter): void {
    if (this.#first === undefined && this.#others === undefined) this.#first = waiter;
    else (this.#others ??= []).push(waiter);
  }

  /** A waiter gave up (abort or its own timeout); the last one to go ends the flight. */
  leave(waiter: Waiter, reason: unknown): void {
    if (this.#first === waiter) this.#first = undefined;
    else if (this.#others !== undefined) {
      const at = this.#others.indexOf(waiter);
      if (at >= 0) this.#others.splice(at, 1);
    }
    if (this.#first !== undefined || (this.#others?.length ?? 0) > 0) return;
    this.#forget();
    this.cancel.abort(reason);
  }

  /** The waiters in the order they came, and none left. */
  #takeWaiters(): Waiter[] {
    const waiters = this.#first === undefined ? [] : [this.#first];
    if (this.#others !== undefined) waiters.push(...this.#others);
    this.#first = undefined;
    this.#others = undefined;
    return waiters;
  }

  #forget(): void {
    if (this.#flights.get(this.#key) === this) this.#flights.delete(this.#key);
  }
}

/** One request's share of a flight. */
class Waiter {
  readonly #flight: Flight;
  readonly #request: TransportRequest;
  readonly #launcher: boolean;
  readonly #resolve: (response: TransportResponse) => void;
  readonly #reject: (err: unknown) => void;
  readonly #timer: NodeJS.Timeout | undefined;
  #done = false;

  constructor(flight: Flight, request: TransportRequest, launcher: boolean, resolve: (response: TransportResponse) => void, reject: (err: unknown) => void) {
    this.#flight = flight;
    this.#request = request;
    this.#launcher = launcher;
    this.#resolve = resolve;
    this.#reject = reject;
    if (!launcher) {
      this.#timer = setTimeout(() => {
        this.#giveUp(new TransportError("ETIMEDOUT", `no response within ${request.timeout} ms`, request.server, request.protocol));
      }, Math.max(0, request.timeout));
    }
    request.signal?.addEventListener("abort", this);
  }

  /**
   * The flight's response as this waiter gets it: the launcher as it is
   * (it has the launcher's ID, and its decoded message is then the
   * launcher's alone); one that joined, a copy under its own ID.
   */
  answer(response: TransportResponse): void {
    if (this.#done) return;
    this.#leave();
    const { id } = this.#request;
    this.#resolve(this.#launcher ? response : { message: withMessageId(response.message, id), protocol: response.protocol, rtt: response.rtt });
  }

  /** The flight failed: so does this waiter. */
  fail(err: unknown): void {
    if (this.#done) return;
    this.#leave();
    this.#reject(err);
  }

  /** The abort listener (an object listener: no closure per waiter). */
  handleEvent(): void {
    this.#giveUp(abortReason(this.#request.signal!));
  }

  #giveUp(reason: unknown): void {
    if (this.#done) return;
    this.#leave();
    this.#flight.leave(this, reason);
    this.#reject(reason);
  }

  #leave(): void {
    this.#done = true;
    clearTimeout(this.#timer);
    this.#request.signal?.removeEventListener("abort", this);
  }
}

/** Same server, same protocol (the query's bytes but the ID are the inner key); kept per server object. */
function routeKey(request: TransportRequest): string {
  const { server } = request;
  let keys = ROUTE_KEYS.get(server);
  if (keys === undefined) {
    const where = `${server.address}%${server.scope ?? ""}|${server.port}`;
    keys = { udp: `${where}|udp`, tcp: `${where}|tcp` };
    ROUTE_KEYS.set(server, keys);
  }
  return keys[request.protocol];
}

const ROUTE_KEYS = new WeakMap<NameServer, Record<Protocol, string>>();
