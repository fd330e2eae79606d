/**
 * Connected UDP sockets shared by the exchanges to one server.
 *
 * A socket per query (what glibc does) spends most of a busy resolver's
 * time creating, binding, connecting and closing sockets. Here a socket
 * carries many queries at once, told apart by their ID (unique among a
 * socket's queries in flight) and then checked as strictly as before:
 * source address and port, ID, QR, opcode and question (`readResponse`).
 *
 * A query goes to the first socket of its server that has room: fewer than
 * `inFlightPerSocket` queries in flight ({@link POOL_LIMITS}), which bounds
 * what one socket's receive buffer must hold when their responses come
 * back together; a new socket opens when none has. So a light load uses
 * one socket, and a burst of thousands a few dozen. Filling one socket
 * before the next, rather than spreading queries over several, also keeps
 * a server on this machine (a caching resolver on 127.0.0.53, say) from
 * being woken on several of its threads for the same work: on loopback the
 * sender pays for that wake-up, and spreading cost half the throughput.
 *
 * At most `inFlightPerServer` queries are in flight to one server; more
 * wait in order for one of those to end (their timeout runs while they
 * wait). Thousands of queries sent at once overflow a server's receive
 * buffer (Knot's and most servers' hold about 250 small datagrams), and
 * every dropped query then costs its whole timeout.
 *
 * Source ports still keep changing: a socket takes at most
 * `queriesPerSocket` queries ({@link POOL_LIMITS}) and is used for new ones
 * for at most `lifetimeMs`; then it is retired (it finishes the queries it
 * has and closes) and a new socket with a new kernel-chosen port takes its
 * place.
 *
 * A query identical to one on the wire or waiting (the same bytes but the
 * ID, to the same server) sends nothing and gets that one's outcome; the
 * datagram stays until the query that sent it and all those merged into
 * it are done, or its deadline passes.
 *
 * A connected socket hears ICMP port unreachable as ECONNREFUSED; it
 * cannot tell which query it was for, so every query in flight on that
 * socket fails with it and the socket is retired.
 *
 * A socket is referenced (keeps the process alive) only while queries are
 * in flight on it; idle for `idleMs`, it closes, so an idle resolver holds
 * no socket. `close()` closes them all.
 */
import dgram from "node:dgram";
import { parseIPv4, parseIPv6, splitScope } from "../../inet.js";
import type { NameServer, TransportRequest } from "../../types.js";
import { queryKey, readResponse, withMessageId, type DnsMessage } from "../message.js";
import { Deadlines, type Expiring } from "./deadlines.js";

/** How sockets are shared and when they are replaced. */
export interface PoolLimits {
  /** Queries in flight to one server at once; more wait in order. */
  inFlightPerServer: number;
  /**
   * After this many milliseconds unanswered (or four smoothed round trips,
   * if longer), a query no longer counts as in flight; it is still awaited.
   */
  presumedLostMs: number;
  /** Queries one socket carries at once. */
  inFlightPerSocket: number;
  /** Queries one socket carries in its life. */
  queriesPerSocket: number;
  /** How long a socket takes new queries, in milliseconds. */
  lifetimeMs: number;
  /** How long a socket with nothing in flight stays open, in milliseconds. */
  idleMs: number;
}

/** The limits of a NetTransport's pool. */
export const POOL_LIMITS: Readonly<PoolLimits> = {
  inFlightPerServer: 128,
  presumedLostMs: 50,
  inFlightPerSocket: 64,
  queriesPerSocket: 100,
  lifetimeMs: 10_000,
  idleMs: 1_000,
};

/**
 * A query as the pool holds it. The exchange (udp.ts) extends this with
 * how it ends; the fields here are the pool's, for the pool alone to set.
 */
export abstract class PooledQuery implements Expiring {
  abstract readonly request: TransportRequest;
  /** An accepted response, and its decoded message when it decodes. */
  abstract answer(message: Uint8Array, decoded: DnsMessage | undefined): void;
  /** A socket error: for this query, or for every query on its socket. */
  abstract fail(err: NodeJS.ErrnoException): void;
  /** Its deadline, or that of the query it was merged into, passed. */
  abstract timedOut(): void;
  /** Ended from outside (the transport closing), with `reason`. */
  abstract abort(reason: unknown): void;

  deadline = 0;
  heapIndex = -1;
  /** The server's queues; set by {@link UdpPool.send}. */
  server: ServerQueues | undefined;
  /** The socket it was sent on; undefined while it waits for room, and once released. */
  socket: PooledSocket | undefined;
  /** True while it counts against the server's queries in flight. */
  counted = false;
  /** True once {@link UdpPool.release} let it go. */
  released = false;
  /** When it was sent (`performance.now()`). */
  sentAt = 0;
  /** A query sent on the wire: its key among the server's, for identical queries to join it. */
  key: string | undefined;
  /** Identical queries merged into this one: they get its outcome, answers under their own IDs. */
  followers: PooledQuery[] | undefined;
  /** The query this one was merged into (it sends nothing itself). */
  leader: PooledQuery | undefined;
  /** Its own outcome was reported; it stays on the wire for its followers until they are done. */
  kept = false;

  /** A response to this query's datagram: its own, then its followers' under their own IDs. */
  deliver(message: Uint8Array, decoded: DnsMessage | undefined): void {
    const followers = this.followers?.slice();
    this.answer(message, decoded);
    if (followers !== undefined) for (const follower of followers) follower.answer(withMessageId(message, follower.request.id), undefined);
  }

  /** A socket error for this query's datagram: for its followers too. */
  deliverError(err: NodeJS.ErrnoException): void {
    const followers = this.followers?.slice();
    this.fail(err);
    if (followers !== undefined) for (const follower of followers) follower.fail(err);
  }

  /** The deadline passed: the datagram is given up on, for the followers too (whose own deadlines are later). */
  expire(): void {
    const followers = this.followers?.slice();
    this.timedOut();
    if (followers !== undefined) for (const follower of followers) follower.timedOut();
  }
}

/** One server's sockets taking new queries, its queries in flight, and those waiting for room. */
export interface ServerQueues {
  sockets: PooledSocket[];
  /** Queries counting against `inFlightPerServer`. */
  counted: number;
  /** Queries sent, oldest first from `sentHead` on (some already released or no longer counted). */
  sent: PooledQuery[];
  sentHead: number;
  /** Queries waiting for room, oldest first from `waitingHead` on (some released while waiting). */
  waiting: PooledQuery[];
  waitingHead: number;
  /** Wakes the queue when the oldest query counted will be presumed lost. */
  wake: NodeJS.Timeout | undefined;
  /** Smoothed round-trip time of the answers (ms), 0 before the first. */
  srtt: number;
  /** The queries on the wire or waiting for room, by {@link queryKey}: identical ones join them. */
  leaders: Map<string, PooledQuery>;
}

/** Per server, the sockets taking new queries and the queries waiting; every open socket; every deadline. */
export class UdpPool {
  readonly #servers = new Map<string, ServerQueues>();
  readonly #open = new Set<PooledSocket>();
  readonly #deadlines = new Deadlines();
  readonly #limits: PoolLimits;

  /** A pool with {@link POOL_LIMITS}, or others (tests). */
  constructor(limits: Partial<PoolLimits> = {}) {
    this.#limits = { ...POOL_LIMITS, ...limits };
  }

  /**
   * Sends `query` on a socket to its server, or queues it while the server
   * has no room; its deadline (`query.deadline`) runs either way. A query
   * identical to one already on the wire or waiting (the same bytes but the
   * ID) sends nothing: it joins that one and gets its outcome, an answer
   * under its own ID — one datagram for many identical lookups at once.
   */
  send(query: PooledQuery): void {
    const key = serverKey(query.request.server);
    let server = this.#servers.get(key);
    if (server === undefined) {
      server = { sockets: [], counted: 0, sent: [], sentHead: 0, waiting: [], waitingHead: 0, wake: undefined, srtt: 0, leaders: new Map() };
      this.#servers.set(key, server);
    }
    query.server = server;
    this.#deadlines.add(query);
    const messageKey = queryKey(query.request.message);
    const leader = server.leaders.get(messageKey);
    if (leader !== undefined) {
      query.leader = leader;
      (leader.followers ??= []).push(query);
      return;
    }
    query.key = messageKey;
    server.leaders.set(messageKey, query);
    if (server.waitingHead === server.waiting.length && this.#hasRoom(server, performance.now())) this.#place(server, query);
    else {
      server.waiting.push(query);
      this.#wakeLater(server);
    }
  }

  /**
   * Lets `query` go: off its deadline, its socket or the queue. `done` is
   * called once that is over: at once, or once its socket is closed if it
   * was the last query of a retired socket. A query with followers still
   * waiting reports at once but stays on the wire, deadline included, for
   * them.
   */
  release(query: PooledQuery, done: () => void): void {
    const leader = query.leader;
    if (leader !== undefined) {
      query.released = true;
      this.#deadlines.remove(query);
      const at = leader.followers!.indexOf(query);
      if (at >= 0) leader.followers!.splice(at, 1);
      done();
      if (leader.kept && leader.followers!.length === 0) this.#letGo(leader, () => undefined);
      return;
    }
    if ((query.followers?.length ?? 0) > 0) {
      query.kept = true;
      done();
      return;
    }
    this.#letGo(query, done);
  }

  #letGo(query: PooledQuery, done: () => void): void {
    query.released = true;
    this.#deadlines.remove(query);
    const server = query.server!;
    if (server.leaders.get(query.key!) === query) server.leaders.delete(query.key!);
    if (query.counted) {
      query.counted = false;
      server.counted--;
    }
    const socket = query.socket;
    query.socket = undefined;
    if (socket === undefined) done();
    else socket.remove(query.request.id, done);
    if (server.counted === 0) {
      // Nothing counted: what the sent list holds is released or no longer counted.
      server.sent.length = 0;
      server.sentHead = 0;
    }
    this.#drain(server);
  }

  /** Ends every query, waiting, sent or merged, with `reason`. */
  abortAll(reason: unknown): void {
    for (const server of this.#servers.values()) {
      for (const leader of [...server.leaders.values()]) {
        for (const follower of leader.followers?.slice() ?? []) follower.abort(reason);
        leader.abort(reason);
      }
    }
    for (const socket of this.#open) for (const query of socket.queries()) query.abort(reason);
  }

  /** Closes every socket; resolves once they are closed. */
  async close(): Promise<void> {
    for (const server of this.#servers.values()) clearTimeout(server.wake);
    this.#servers.clear();
    await Promise.all([...this.#open].map((socket) => new Promise<void>((resolve) => socket.retire(resolve))));
  }

  /**
   * True when `server` has fewer than `inFlightPerServer` queries counted,
   * after dropping from the front of its sent list those released and
   * those unanswered for long enough to be presumed lost (no longer
   * counted: a lost datagram must not hold a place until its timeout).
   */
  #hasRoom(server: ServerQueues, now: number): boolean {
    const { sent } = server;
    const lostAfter = this.#lostAfter(server);
    while (server.sentHead < sent.length) {
      const oldest = sent[server.sentHead]!;
      if (oldest.counted && now - oldest.sentAt < lostAfter) break;
      if (oldest.counted) {
        oldest.counted = false;
        server.counted--;
      }
      server.sentHead++;
    }
    if (server.sentHead > 1024 && server.sentHead * 2 > sent.length) {
      sent.splice(0, server.sentHead);
      server.sentHead = 0;
    }
    return server.counted < this.#limits.inFlightPerServer;
  }

  /**
   * How long a query waits unanswered before it is presumed lost:
   * `presumedLostMs`, or four smoothed round trips when answers take
   * longer — also when this process itself is slow to read them, so that a
   * busy client does not take its own backlog for losses and flood the
   * server.
   */
  #lostAfter(server: ServerQueues): number {
    return Math.max(this.#limits.presumedLostMs, 4 * server.srtt);
  }

  #place(server: ServerQueues, query: PooledQuery): void {
    let socket: PooledSocket;
    try {
      socket = this.#socketFor(server, query.request);
    } catch (err) {
      // No socket could be made (dgram.createSocket threw): a server
      // failure for this query and those merged into it, reported after the
      // caller's turn since releasing it here would re-enter send or drain.
      process.nextTick(() => query.deliverError(asErrno(err)));
      return;
    }
    query.socket = socket;
    query.counted = true;
    query.sentAt = performance.now();
    server.counted++;
    server.sent.push(query);
    socket.add(query);
  }

  /** Sends waiting queries of `server` while it has room. */
  #drain(server: ServerQueues): void {
    const { waiting } = server;
    if (server.waitingHead === waiting.length) return;
    const now = performance.now();
    while (server.waitingHead < waiting.length) {
      const next = waiting[server.waitingHead]!;
      if (!next.released) {
        if (!this.#hasRoom(server, now)) break;
        this.#place(server, next);
      }
      server.waitingHead++;
    }
    if (server.waitingHead === waiting.length) {
      waiting.length = 0;
      server.waitingHead = 0;
      clearTimeout(server.wake);
      server.wake = undefined;
    } else {
      if (server.waitingHead > 1024 && server.waitingHead * 2 > waiting.length) {
        waiting.splice(0, server.waitingHead);
        server.waitingHead = 0;
      }
      this.#wakeLater(server);
    }
  }

  /** Arms `server.wake` for when its oldest counted query will be presumed lost. */
  #wakeLater(server: ServerQueues): void {
    if (server.wake !== undefined) return;
    const oldest = server.sent[server.sentHead];
    if (oldest === undefined) return;
    const wait = Math.max(1, oldest.sentAt + this.#lostAfter(server) - performance.now());
    // Unreferenced: the waiting queries' deadlines keep the process alive.
    server.wake = setTimeout(() => {
      server.wake = undefined;
      this.#drain(server);
    }, wait).unref();
  }

  /** The first active socket with room that has not this ID in flight, or a new one. */
  #socketFor(server: ServerQueues, request: TransportRequest): PooledSocket {
    const { sockets } = server;
    const now = performance.now();
    for (let i = 0; i < sockets.length; ) {
      const socket = sockets[i]!;
      if (!socket.takesNew(now)) sockets.splice(i, 1);
      else if (socket.inFlight < this.#limits.inFlightPerSocket && !socket.busy(request.id)) return socket;
      else i++;
    }
    const socket = new PooledSocket(request.server, this.#limits, () => {
      this.#open.delete(socket);
      const at = sockets.indexOf(socket);
      if (at >= 0) sockets.splice(at, 1);
    });
    this.#open.add(socket);
    sockets.push(socket);
    return socket;
  }
}

/** One connected socket and the queries in flight on it, by ID. */
export class PooledSocket {
  readonly #server: NameServer;
  readonly #limits: PoolLimits;
  readonly #socket: dgram.Socket;
  readonly #inFlight = new Map<number, PooledQuery>();
  readonly #bornAt = performance.now();
  readonly #wantAddress: Uint8Array | null;
  #sent = 0;
  #retired = false;
  #closing = false;
  readonly #closed: Array<() => void> = [];
  /** Messages to send: once connected, all together after the current I/O callbacks (see add). */
  #outbox: Uint8Array[] = [];
  #connected = false;
  #flushing: NodeJS.Immediate | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #idleSince = 0;

  constructor(server: NameServer, limits: PoolLimits, onClose: () => void) {
    this.#server = server;
    this.#limits = limits;
    this.#wantAddress = (server.family === 6 ? parseIPv6 : parseIPv4)(server.address);
    this.#socket = dgram.createSocket(server.family === 6 ? "udp6" : "udp4");
    this.#socket.on("error", (err) => this.#failAll(err));
    this.#socket.on("message", (bytes, from) => this.#receive(bytes, from));
    this.#socket.once("close", () => {
      clearTimeout(this.#idleTimer);
      clearImmediate(this.#flushing);
      onClose();
      for (const done of this.#closed.splice(0)) done();
    });
    // A connect that fails (no route, a prohibit route, no source address,
    // a runtime refusing the bind) fails this socket's queries: a server
    // failure, as glibc's send_dg treats a failed connect. Never send on
    // the unconnected socket. A synchronous throw is reported after the
    // caller's turn, once the query being placed is on the socket.
    try {
      this.#socket.connect(server.port, hostWithScope(server), (err?: Error) => {
        if (err !== undefined && err !== null) {
          this.#failAll(err as NodeJS.ErrnoException);
          return;
        }
        this.#connected = true;
        this.#flush();
      });
    } catch (err) {
      this.#failSoon(err);
    }
  }

  /** True while the socket may take new queries. */
  takesNew(now: number): boolean {
    if (!this.#retired && (this.#sent >= this.#limits.queriesPerSocket || now - this.#bornAt >= this.#limits.lifetimeMs)) this.#retire();
    return !this.#retired;
  }

  /** Queries in flight on this socket. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** The queries in flight here. */
  queries(): PooledQuery[] {
    return [...this.#inFlight.values()];
  }

  /** True when a query with this ID is in flight here. */
  busy(id: number): boolean {
    return this.#inFlight.has(id);
  }

  /**
   * Sends a query. Its datagram goes out with the others added during the
   * same turn of the event loop, once the I/O callbacks of that turn are
   * done: responses that arrive together start their follow-up queries
   * together, and a server on this machine is woken once for a batch
   * rather than once per datagram (on loopback the sender pays for each
   * wake-up; batching raised throughput by a third). A query alone on its
   * socket has nothing to wait for and goes out at once (7% more lookups
   * a second one at a time).
   */
  add(query: PooledQuery): void {
    if (this.#inFlight.size === 0) this.#socket.ref();
    this.#inFlight.set(query.request.id, query);
    this.#sent++;
    if (this.#connected && this.#inFlight.size === 1) {
      // Nothing else in flight on this socket: nothing to batch with, so no wait.
      this.#transmit(query.request.message);
      return;
    }
    this.#outbox.push(query.request.message);
    if (this.#connected) this.#flushing ??= setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushing = undefined;
    const outbox = this.#outbox;
    this.#outbox = [];
    if (this.#closing) return;
    for (const message of outbox) this.#transmit(message);
  }

  /** Takes a query off the socket; `done` is called at once, or once the socket is closed if this was its last. */
  remove(id: number, done: () => void): void {
    this.#inFlight.delete(id);
    if (this.#inFlight.size > 0) done();
    else if (this.#retired) this.#close(done);
    else {
      this.#socket.unref();
      this.#idleSince = performance.now();
      this.#idleTimer ??= setTimeout(() => this.#checkIdle(), this.#limits.idleMs).unref();
      done();
    }
  }

  /** Takes no new queries; closes when the last one in flight is done (`done` once closed). */
  retire(done: () => void): void {
    this.#retire();
    if (this.#inFlight.size === 0) this.#close(done);
    else this.#closed.push(done);
  }

  #retire(): void {
    this.#retired = true;
  }

  #transmit(message: Uint8Array): void {
    try {
      this.#socket.send(message, (err) => {
        if (err === null) return;
        // Port unreachable reported on send concerns the socket, not this message.
        if ((err as NodeJS.ErrnoException).code === "ECONNREFUSED") this.#failAll(err);
        else this.#failOne(message, err);
      });
    } catch (err) {
      // add() may be inside the pool's placing of this very query: fail later, not re-entrantly.
      this.#failSoon(err);
    }
  }

  /** Fails every query on the socket on the next tick (for errors thrown while a query is being placed). */
  #failSoon(err: unknown): void {
    this.#retire();
    process.nextTick(() => this.#failAll(asErrno(err)));
  }

  #receive(bytes: Buffer, from: dgram.RemoteInfo): void {
    if (bytes.length < 2 || !this.#fromServer(from)) return;
    const query = this.#inFlight.get(bytes.readUInt16BE(0));
    if (query === undefined) return;
    // The datagram's own Buffer is the message (a Buffer is a Uint8Array): no view per response.
    const message = bytes;
    const read = readResponse(query.request, message);
    if (read === "ignore") return;
    const server = query.server!;
    const rtt = performance.now() - query.sentAt;
    server.srtt = server.srtt === 0 ? rtt : server.srtt + (rtt - server.srtt) / 8;
    query.deliver(message, read === "malformed" ? undefined : read);
  }

  /** True when a datagram's source is the server (addresses compared as bytes, zones ignored). */
  #fromServer(from: dgram.RemoteInfo): boolean {
    if (from.port !== this.#server.port) return false;
    if (from.address === this.#server.address) return this.#wantAddress !== null;
    const parse = this.#server.family === 6 ? parseIPv6 : parseIPv4;
    const got = parse(splitScope(from.address).address);
    return this.#wantAddress !== null && got !== null && Buffer.compare(this.#wantAddress, got) === 0;
  }

  #failAll(err: NodeJS.ErrnoException): void {
    this.#retire();
    for (const query of [...this.#inFlight.values()]) query.deliverError(err);
    // Failing the last query closed the socket; an error with none in flight must close it too.
    if (this.#inFlight.size === 0) this.#close(() => undefined);
  }

  #failOne(message: Uint8Array, err: NodeJS.ErrnoException): void {
    for (const query of this.#inFlight.values()) {
      if (query.request.message === message) {
        query.deliverError(err);
        return;
      }
    }
  }

  #checkIdle(): void {
    this.#idleTimer = undefined;
    if (this.#inFlight.size > 0 || this.#closing) return;
    const left = this.#idleSince + this.#limits.idleMs - performance.now();
    if (left > 0) this.#idleTimer = setTimeout(() => this.#checkIdle(), left).unref();
    else this.retire(() => undefined);
  }

  #close(done: () => void): void {
    this.#retire();
    this.#closed.push(done);
    if (this.#closing) return;
    this.#closing = true;
    this.#socket.close();
  }
}

/** A thrown value as an error with a code (a TransportError needs one; EIO when it has none). */
function asErrno(err: unknown): NodeJS.ErrnoException {
  if (err instanceof Error) return err as NodeJS.ErrnoException;
  return Object.assign(new Error(String(err)), { code: "EIO" });
}

/** The address to connect to, with the zone of a scoped IPv6 address. */
export function hostWithScope(server: NameServer): string {
  return server.scope === undefined ? server.address : `${server.address}%${server.scope}`;
}

function serverKey(server: NameServer): string {
  return `${server.family} ${hostWithScope(server)} ${server.port}`;
}
