/**
 * One connected UDP socket of the pool (udppool.ts) and the few queries in
 * flight on it, by ID.
 *
 * Connected, so the kernel delivers only datagrams from the server's
 * address and port, and ICMP port unreachable comes back as ECONNREFUSED
 * (how glibc notices a server that is not there without waiting). The
 * socket cannot tell which query an ICMP error was for, so every query in
 * flight on it fails with it. Every failure of the socket itself —
 * creating, binding, connecting (ENETUNREACH, EADDRNOTAVAIL, EACCES, a
 * runtime's permission refusal), sending, an 'error' event — fails the
 * queries on it with that error: a server failure for res_send, never an
 * exception.
 *
 * Datagrams added while the socket connects, or while other queries on it
 * are being sent in the same turn of the event loop, go out together once
 * that turn's I/O callbacks are done (`setImmediate`): answers that arrive
 * together start their follow-up queries together, and a server on this
 * machine is woken once for a batch. A query alone on a connected socket
 * goes out at once.
 */
import dgram from "node:dgram";
import type dns from "node:dns";
import { udpSocketDenied } from "../../deno.js";
import { parseIPv4, parseIPv6, splitScope } from "../../inet.js";
import type { NameServer } from "../server.js";
import { serverHost } from "../server.js";

/** What a socket needs of a query it carries. */
export interface SocketQuery {
  /** Its 16-bit ID, unique among the socket's queries in flight. */
  readonly id: number;
  /** The datagram as it goes on the wire. */
  readonly wire: Uint8Array;
}

/** What a socket reports to its pool. */
export interface SocketEvents<Q extends SocketQuery> {
  /** `query`'s datagram has left. */
  sent(query: Q): void;
  /** A datagram from the server that has the ID of `query` in flight here. */
  received(query: Q, bytes: Buffer): void;
  /** Any datagram read (the pool's deadlines look at this count). */
  read(): void;
  /** A socket-level error for `query`. */
  failed(query: Q, err: NodeJS.ErrnoException): void;
  /** The socket is closed: the pool forgets it. */
  closed(socket: PooledSocket<Q>): void;
  /** `query`, which {@link PooledSocket.remove} did not let go at once (it was the last of a retired socket), is let go now that the socket is closed. */
  removed(query: Q): void;
}

/** A connected socket and its queries; see the module comment. */
export class PooledSocket<Q extends SocketQuery> {
  readonly #server: NameServer;
  readonly #events: SocketEvents<Q>;
  readonly #socket: dgram.Socket | undefined;
  readonly #inFlight = new ById<Q>();
  readonly #wantAddress: Uint8Array | null;
  /** Queries taken in its life. */
  taken = 0;
  /** When it was made (`performance.now()`). */
  readonly bornAt = performance.now();
  /** Set once it takes no new queries. */
  retired = false;
  #closing = false;
  #closedAlready = false;
  readonly #onClosed: Array<() => void> = [];
  #outbox: Q[] = [];
  #connected = false;
  /** The error that ended the socket, which every later query gets too. */
  #broken: NodeJS.ErrnoException | undefined;
  #flushing: NodeJS.Immediate | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #idleSince = performance.now();
  readonly #idleMs: number;
  /**
   * The one send callback of every datagram: a failed send on a connected
   * socket (ECONNREFUSED from an ICMP error, EPERM from a firewall,
   * ENETUNREACH) is about the server's address, not one datagram, so it
   * breaks the socket and fails every query on it, as an ICMP error does.
   */
  readonly #onSent = (err: Error | null): void => {
    if (err !== null && err !== undefined) this.#break(err as NodeJS.ErrnoException);
  };

  constructor(server: NameServer, events: SocketEvents<Q>, options: { idleMs: number; receiveBuffer: number }) {
    this.#server = server;
    this.#events = events;
    this.#idleMs = options.idleMs;
    this.#wantAddress = (server.family === 6 ? parseIPv6 : parseIPv4)(server.address);
    let socket: dgram.Socket | undefined;
    // Not a network failure for res_send to weigh: the lookup cannot run here at all.
    const denied = udpSocketDenied(server.family, `${serverHost(server)}:${server.port}`);
    if (denied !== undefined) throw denied;
    try {
      socket = dgram.createSocket({ type: server.family === 6 ? "udp6" : "udp4", lookup: literalLookup });
      socket.on("error", (err) => this.#break(err));
      socket.on("message", (bytes, from) => this.#receive(bytes, from));
      socket.once("close", () => this.#closed());
      if (server.source !== undefined) socket.bind({ address: server.source, port: 0 });
      socket.connect(server.port, serverHost(server), (err?: Error) => {
        if (err !== undefined && err !== null) return this.#break(err as NodeJS.ErrnoException);
        this.#connected = true;
        setReceiveBuffer(socket!, options.receiveBuffer, server.family);
        this.#flush();
      });
      socket.unref();
    } catch (err) {
      this.#broken = asErrno(err, "socket");
      try {
        socket?.close();
      } catch {
        // Already closed or never opened: nothing holds a handle.
      }
      socket = undefined;
    }
    this.#socket = socket;
    if (socket === undefined) queueMicrotask(() => this.#closed());
    else this.#idleTimer = setTimeout(() => this.#checkIdle(), this.#idleMs).unref();
  }

  /** Queries in flight here. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** The queries in flight here. */
  queries(): Q[] {
    return this.#inFlight.values();
  }

  /** True when a query with this ID is in flight here. */
  busy(id: number): boolean {
    return this.#inFlight.has(id);
  }

  /** True once the socket has failed or is closing: it takes nothing more. */
  get broken(): boolean {
    return this.#broken !== undefined || this.#closing;
  }

  /** Carries `query`: sends it now, or with this turn's batch. */
  add(query: Q): void {
    this.taken++;
    if (this.#broken !== undefined) {
      const err = this.#broken;
      this.#inFlight.set(query.id, query);
      queueMicrotask(() => {
        if (this.#inFlight.get(query.id) === query) this.#events.failed(query, err);
      });
      return;
    }
    // The idle timer is left to run: it finds queries in flight and stops, a timer per idle spell instead of per query.
    if (this.#inFlight.size === 0) this.#socket!.ref();
    this.#inFlight.set(query.id, query);
    if (this.#connected && this.#inFlight.size === 1 && this.#outbox.length === 0) {
      this.#transmit(query);
      return;
    }
    this.#outbox.push(query);
    if (this.#connected) this.#flushing ??= setImmediate(() => this.#flush());
  }

  /** Sends a query already on this socket again (its `wire` changed). */
  resend(query: Q): void {
    if (this.#inFlight.get(query.id) === query && this.#connected && !this.broken) this.#transmitOnly(query);
  }

  /**
   * Takes a query off the socket. True when it is let go at once; false
   * when it was the last query of a retired socket, which is let go once
   * the socket is closed (`events.removed`), so that a query that has
   * ended holds no socket. A callback only in that case: none per query.
   */
  remove(query: Q): boolean {
    if (this.#inFlight.get(query.id) === query) this.#inFlight.delete(query.id);
    if (this.#inFlight.size > 0) return true;
    if (this.retired || this.broken) {
      if (this.#closedAlready) return true;
      this.#close(() => this.#events.removed(query));
      return false;
    }
    this.#socket!.unref();
    this.#idleSince = performance.now();
    this.#idleTimer ??= setTimeout(() => this.#checkIdle(), this.#idleMs).unref();
    return true;
  }

  /** Takes no new queries; closes once the last one in flight is done (`done` once closed). */
  retire(done: () => void = () => undefined): void {
    this.retired = true;
    if (this.#inFlight.size === 0) this.#close(done);
    else this.#onClosed.push(done);
  }

  #flush(): void {
    this.#flushing = undefined;
    const outbox = this.#outbox;
    this.#outbox = [];
    for (const query of outbox) {
      if (this.#broken !== undefined || this.#closing) break;
      if (this.#inFlight.get(query.id) === query) this.#transmit(query);
    }
  }

  #transmit(query: Q): void {
    if (this.#transmitOnly(query)) this.#events.sent(query);
  }

  /** Puts `query.wire` on the wire; false when the socket broke. */
  #transmitOnly(query: Q): boolean {
    try {
      this.#socket!.send(query.wire, this.#onSent);
    } catch (err) {
      this.#break(asErrno(err, "send"));
      return false;
    }
    return true;
  }

  #receive(bytes: Buffer, from: dgram.RemoteInfo): void {
    this.#events.read();
    if (bytes.length < 2 || !this.#fromServer(from)) return;
    const query = this.#inFlight.get(bytes.readUInt16BE(0));
    if (query !== undefined) this.#events.received(query, bytes);
  }

  /** True when a datagram's source is the server (addresses compared as bytes, zones ignored). */
  #fromServer(from: dgram.RemoteInfo): boolean {
    if (from.port !== this.#server.port || this.#wantAddress === null) return false;
    if (from.address === this.#server.address) return true;
    const got = (this.#server.family === 6 ? parseIPv6 : parseIPv4)(splitScope(from.address).address);
    return got !== null && Buffer.compare(this.#wantAddress, got) === 0;
  }

  /** The socket failed: every query on it fails with `err`, and so will any added later. */
  #break(err: NodeJS.ErrnoException): void {
    this.retired = true;
    this.#broken ??= err;
    this.#outbox = [];
    for (const query of this.#inFlight.values()) this.#events.failed(query, err);
    if (this.#inFlight.size === 0) this.#close(() => undefined);
  }

  #checkIdle(): void {
    this.#idleTimer = undefined;
    if (this.#inFlight.size > 0 || this.#closing) return;
    const left = this.#idleSince + this.#idleMs - performance.now();
    if (left > 0) this.#idleTimer = setTimeout(() => this.#checkIdle(), left).unref();
    else this.retire();
  }

  #close(done: () => void): void {
    this.retired = true;
    if (this.#closedAlready) return done();
    this.#onClosed.push(done);
    if (this.#closing) return;
    this.#closing = true;
    if (this.#socket === undefined) return;
    try {
      this.#socket.close();
    } catch {
      // Closed already (a runtime that closes on error): 'close' was or will be emitted.
    }
  }

  #closed(): void {
    if (this.#closedAlready) return;
    this.#closedAlready = true;
    this.#closing = true;
    clearTimeout(this.#idleTimer);
    clearImmediate(this.#flushing);
    this.#events.closed(this);
    for (const done of this.#onClosed.splice(0)) done();
  }
}

/**
 * The queries in flight on one socket by ID, in the order they came: an
 * array searched from the front, since a socket carries a few queries
 * ({@link PoolLimits.queriesPerSocket} in its life). A Map would do the
 * same, but one that goes from one entry to none reallocates its table,
 * which a socket's map does for nearly every query.
 */
class ById<Q extends SocketQuery> {
  readonly #queries: Q[] = [];

  get size(): number {
    return this.#queries.length;
  }

  get(id: number): Q | undefined {
    const at = this.#indexOf(id);
    return at < 0 ? undefined : this.#queries[at];
  }

  has(id: number): boolean {
    return this.#indexOf(id) >= 0;
  }

  /** Adds `query`, or puts it in the place of the one with its ID, as Map.set does (the pool never puts two on a socket). */
  set(id: number, query: Q): void {
    const at = this.#indexOf(id);
    if (at < 0) this.#queries.push(query);
    else this.#queries[at] = query;
  }

  delete(id: number): void {
    const queries = this.#queries;
    const at = this.#indexOf(id);
    if (at < 0) return;
    for (let i = at + 1; i < queries.length; i++) queries[i - 1] = queries[i]!;
    queries.pop();
  }

  /** A copy, in the order they came. */
  values(): Q[] {
    return this.#queries.slice();
  }

  #indexOf(id: number): number {
    const queries = this.#queries;
    for (let i = 0; i < queries.length; i++) if (queries[i]!.id === id) return i;
    return -1;
  }
}

/**
 * The receive buffer a new socket of each family gets from the kernel
 * (net.core.rmem_default), read from the first one: when it is already
 * enough, later sockets skip the system call.
 */
const defaultReceiveBuffer: Record<4 | 6, number> = { 4: 0, 6: 0 };

/** At least `bytes` of receive buffer, where the kernel allows it (it caps at net.core.rmem_max). */
function setReceiveBuffer(socket: dgram.Socket, bytes: number, family: 4 | 6): void {
  if (defaultReceiveBuffer[family] >= bytes) return;
  try {
    const size = socket.getRecvBufferSize();
    if (defaultReceiveBuffer[family] === 0) defaultReceiveBuffer[family] = size;
    if (size < bytes) socket.setRecvBufferSize(bytes);
  } catch {
    // A runtime without the option keeps its default buffer.
  }
}

/**
 * dgram's address lookup for the socket's bind and connect. Both are given
 * address literals only (the server's, its scope, a source address checked
 * by setLocalAddress, or dgram's own 0.0.0.0 and ::), so the answer is the
 * text itself, without dns.lookup's argument checks. It still comes on a
 * later tick, as dns.lookup's does: dgram reports a failed bind by an
 * 'error' event from inside this callback, and the socket's constructor
 * must have returned by then (a bind failing at once, inside it, left the
 * socket half made and its queries unanswered).
 */
function literalLookup(address: string, family: dns.LookupOneOptions | number, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  // Node passes the family as a number, whatever @types/node says.
  process.nextTick(callback, null, address, typeof family === "number" ? family : address.includes(":") ? 6 : 4);
}

/** A thrown value as an errno-style error (a runtime's own error types included). */
function asErrno(err: unknown, syscall: string): NodeJS.ErrnoException {
  if (err instanceof Error) {
    const e = err as NodeJS.ErrnoException;
    e.code ??= e.name && e.name !== "Error" ? e.name : "EIO";
    e.syscall ??= syscall;
    return e;
  }
  return Object.assign(new Error(String(err)), { code: "EIO", syscall });
}
