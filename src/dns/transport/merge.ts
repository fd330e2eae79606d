/**
 * The one merger of identical queries in flight: a query that asks the
 * same server the same thing over the same protocol (every byte but the
 * ID) while one is already on its way sends nothing and waits for that
 * one's response, which it gets under its own ID. It wraps any transport
 * (UDP, TCP, a replay, one passed in), so merging behaves the same
 * whatever moves the bytes, and everything above it (servers in turn, TCP
 * fallback, the search list) is unchanged: only the packets on the wire
 * are fewer.
 *
 * Each merged query keeps its own deadline and tries. One that joined
 * waits at most its own timeout, counted from when it joined (the
 * datagram it waits for is already out). When the datagram on the wire
 * goes unanswered until the deadline of the query that sent it, those
 * still within theirs are not failed with it: the first of them sends its
 * own query, with what is left of its timeout, and the others wait for
 * that one. A socket error or a response ends them all alike, as it would
 * have ended each of their own exchanges with that server.
 *
 * What merging does to forgery: one accepted forgery reaches every query
 * merged into the one it answers, but there is one query to forge instead
 * of one per lookup, so the expected number of poisoned lookups is what it
 * would be without merging, and the chance of any is smaller.
 */
import { serverLabel } from "../server.js";
import type { Protocol } from "../question.js";
import { exchangeBySend, failLater, requestWith, startExchange, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
import { Cancellation } from "../cancel.js";
import { TransportError } from "../errors.js";
import { queryKey, withMessageId } from "../message.js";
import { abortReason } from "./deadline.js";
import { Deadlines, type Expiring } from "./deadlines.js";

/** Merges identical queries in flight; see the module comment. */
export class MergingTransport implements Transport {
  readonly #inner: Transport;
  /** Flights by server and protocol, then by the query's bytes but the ID. */
  readonly #flights = new Map<string, Map<string, Flight>>();
  readonly #deadlines = new Deadlines();
  #merged = 0;

  constructor(inner: Transport) {
    this.#inner = inner;
  }

  /** How many queries were answered by joining an identical one in flight. */
  get merged(): number {
    return this.#merged;
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    if (request.signal?.aborted) return failLater(sink, abortReason(request.signal));
    let key: string;
    try {
      key = queryKey(request.message);
    } catch (err) {
      // Not a query with a question (only a caller's own bytes can be one).
      return failLater(sink, err);
    }
    const route = routeKey(request);
    let flights = this.#flights.get(route);
    if (flights === undefined) this.#flights.set(route, (flights = new Map()));
    const flight = flights.get(key);
    const waiter = new Waiter(request, sink, this.#deadlines);
    if (flight === undefined) new Flight(key, flights, this.#inner, waiter).start();
    else {
      this.#merged++;
      flight.join(waiter);
    }
  }

  /** Ends every flight and closes the wrapped transport. */
  async close(): Promise<void> {
    const reason = new Error("transport closed");
    for (const flights of this.#flights.values()) for (const flight of [...flights.values()]) flight.abortAll(reason);
    this.#flights.clear();
    await this.#inner.close();
  }
}

/**
 * One exchange on the wire and the queries waiting for it. The first
 * waiter sent it; its deadline is the inner exchange's own. The flight is
 * aborted only when its last waiter has gone. It is that exchange's
 * signal and its sink: one object per flight.
 */
class Flight extends Cancellation implements ExchangeSink {
  readonly #key: string;
  readonly #flights: Map<string, Flight>;
  readonly #inner: Transport;
  /** The waiter whose request went on the wire. */
  readonly #sender: Waiter;
  /** The others, in the order they came. */
  #joined: Waiter[] | undefined;
  #over = false;

  constructor(key: string, flights: Map<string, Flight>, inner: Transport, sender: Waiter) {
    super();
    this.#key = key;
    this.#flights = flights;
    this.#inner = inner;
    this.#sender = sender;
    sender.flight = this;
    flights.set(key, this);
  }

  /** Sends the sender's query, once those that go with it have joined. */
  start(): void {
    startExchange(this.#inner, requestWith(this.#sender.request, { signal: this }), this);
  }

  join(waiter: Waiter): void {
    waiter.flight = this;
    waiter.startClock();
    (this.#joined ??= []).push(waiter);
  }

  /** A waiter gave up (abort or its own timeout); the last one to go ends the flight. */
  leave(waiter: Waiter, reason: unknown): void {
    if (this.#joined !== undefined) {
      const at = this.#joined.indexOf(waiter);
      if (at >= 0) this.#joined.splice(at, 1);
    }
    if (this.#waiting().length > 0) return;
    this.#forget();
    this.abort(reason);
  }

  abortAll(reason: unknown): void {
    for (const waiter of this.#waiting()) waiter.fail(reason);
    this.#forget();
    this.abort(reason);
  }

  answered(response: TransportResponse): void {
    this.#forget();
    for (const waiter of this.#waiting()) waiter.answer(response, waiter === this.#sender);
  }

  /**
   * The exchange failed. At its deadline, the waiters still within theirs
   * go on with a query of their own; on any other failure, all fail with it.
   */
  failed(err: unknown): void {
    this.#forget();
    const waiting = this.#waiting();
    const timedOut = err instanceof TransportError && err.code === "ETIMEDOUT";
    const now = performance.now();
    let next: Flight | undefined;
    for (const waiter of waiting) {
      if (waiter === this.#sender || !timedOut || waiter.deadline <= now) waiter.fail(err);
      else if (next === undefined) next = new Flight(this.#key, this.#flights, this.#inner, waiter.resend(now));
      else next.join(waiter);
    }
    next?.start();
  }

  /** The waiters not settled, sender first. */
  #waiting(): Waiter[] {
    const all = this.#sender.settled ? [] : [this.#sender];
    if (this.#joined !== undefined) for (const waiter of this.#joined) if (!waiter.settled) all.push(waiter);
    return all;
  }

  #forget(): void {
    if (this.#over) return;
    this.#over = true;
    if (this.#flights.get(this.#key) === this) this.#flights.delete(this.#key);
  }
}

/** One request's share of a flight: its own abort and, once it joined another's flight, its own deadline. */
class Waiter implements Expiring {
  request: TransportRequest;
  readonly #sink: ExchangeSink;
  readonly #deadlines: Deadlines;
  flight: Flight | undefined;
  deadline = Infinity;
  heapIndex = -1;
  settled = false;

  constructor(request: TransportRequest, sink: ExchangeSink, deadlines: Deadlines) {
    this.request = request;
    this.#sink = sink;
    this.#deadlines = deadlines;
    request.signal?.addEventListener("abort", this);
  }

  /** Joined a flight: its own timeout runs from now (or goes on running, when it moves to another flight). */
  startClock(): void {
    if (this.heapIndex >= 0) return;
    this.deadline = performance.now() + Math.max(0, this.request.timeout);
    this.#deadlines.add(this);
  }

  /** Becomes the sender of a new flight with what is left of its timeout. */
  resend(now: number): Waiter {
    this.#deadlines.remove(this);
    this.request = requestWith(this.request, { timeout: Math.max(0, this.deadline - now) });
    this.deadline = Infinity;
    return this;
  }

  /**
   * The flight's response as this waiter gets it: the sender's as it is
   * (its decoded message included); one that joined, a copy under its own ID.
   */
  answer(response: TransportResponse, sender: boolean): void {
    if (this.#settle()) return;
    this.#sink.answered(sender ? response : { message: withMessageId(response.message, this.request.id), protocol: response.protocol, rtt: response.rtt });
  }

  fail(err: unknown): void {
    if (this.#settle()) return;
    this.#sink.failed(err);
  }

  /** Its own deadline passed. */
  expire(): void {
    this.#giveUp(TransportError.timeout(this.request));
  }

  /** The abort listener (an object listener: no closure per waiter). */
  handleEvent(): void {
    this.#giveUp(abortReason(this.request.signal!));
  }

  #giveUp(reason: unknown): void {
    if (this.#settle()) return;
    this.flight?.leave(this, reason);
    this.#sink.failed(reason);
  }

  /** Marks it settled; true if it already was. */
  #settle(): boolean {
    if (this.settled) return true;
    this.settled = true;
    this.#deadlines.remove(this);
    this.request.signal?.removeEventListener("abort", this);
    return false;
  }
}

/** Same server, same protocol; kept per server object. */
function routeKey(request: TransportRequest): string {
  const { server } = request;
  let keys = ROUTE_KEYS.get(server);
  if (keys === undefined) {
    const label = serverLabel(server);
    keys = { udp: `${label} udp`, tcp: `${label} tcp` };
    ROUTE_KEYS.set(server, keys);
  }
  return keys[request.protocol];
}

const ROUTE_KEYS = new WeakMap<object, Record<Protocol, string>>();
