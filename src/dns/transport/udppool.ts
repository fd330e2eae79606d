/**
 * Connected UDP sockets shared by the exchanges to one server.
 *
 * A socket per query (what glibc does) spends most of a busy resolver's
 * time creating, binding, connecting and closing sockets. Here each server
 * gets a few connected sockets, each carrying many queries at once, told
 * apart by their ID (unique among a socket's queries in flight) and then
 * checked as strictly as before: source address and port, ID, QR, opcode
 * and question (`readResponse`).
 *
 * Source ports still keep changing: a socket takes at most
 * `queriesPerSocket` queries ({@link POOL_LIMITS}) and is used for new ones
 * for at most `lifetimeMs`; then it is retired (it finishes the queries it
 * has and closes) and a new socket with a new kernel-chosen port takes its
 * place. The per-socket query limit also bounds the responses one socket's
 * receive buffer must hold at once.
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
import { readResponse, type DnsMessage } from "../message.js";

/** How sockets are shared and when they are replaced. */
export interface PoolLimits {
  /** Sockets per server taking new queries (retired ones finishing theirs come on top). */
  socketsPerServer: number;
  /** Queries one socket carries in its life. */
  queriesPerSocket: number;
  /** How long a socket takes new queries, in milliseconds. */
  lifetimeMs: number;
  /** How long a socket with nothing in flight stays open, in milliseconds. */
  idleMs: number;
}

/** The limits of a NetTransport's pool. */
export const POOL_LIMITS: Readonly<PoolLimits> = {
  socketsPerServer: 4,
  queriesPerSocket: 100,
  lifetimeMs: 10_000,
  idleMs: 1_000,
};

/** What the pool tells the exchange that sent a query. */
export interface PooledQuery {
  request: TransportRequest;
  /** An accepted response, and its decoded message when it decodes. */
  answer(message: Uint8Array, decoded: DnsMessage | undefined): void;
  /** A socket error: for this query, or for every query on its socket. */
  fail(err: NodeJS.ErrnoException): void;
}

/** Per server, the sockets taking new queries, and every open socket. */
export class UdpPool {
  readonly #active = new Map<string, PooledSocket[]>();
  readonly #open = new Set<PooledSocket>();
  readonly #limits: PoolLimits;
  #next = 0;

  /** A pool with {@link POOL_LIMITS}, or others (tests). */
  constructor(limits: Partial<PoolLimits> = {}) {
    this.#limits = { ...POOL_LIMITS, ...limits };
  }

  /** Sends `query` on a socket to its server; returns how to take it off that socket. */
  send(query: PooledQuery): { close(done: () => void): void } {
    const socket = this.#socketFor(query.request);
    socket.add(query);
    return { close: (done) => socket.remove(query.request.id, done) };
  }

  /** Closes every socket; resolves once they are closed. */
  async close(): Promise<void> {
    this.#active.clear();
    await Promise.all([...this.#open].map((socket) => new Promise<void>((resolve) => socket.retire(resolve))));
  }

  /** A socket that takes the query's ID: the next active one in turn, a new one while there are fewer than the limit. */
  #socketFor(request: TransportRequest): PooledSocket {
    const key = serverKey(request.server);
    let sockets = this.#active.get(key);
    if (sockets === undefined) this.#active.set(key, (sockets = []));
    const now = performance.now();
    for (let i = sockets.length - 1; i >= 0; i--) {
      if (!sockets[i]!.takesNew(now)) sockets.splice(i, 1);
    }
    if (sockets.length < this.#limits.socketsPerServer) {
      const socket = this.#open1(request.server, sockets);
      sockets.push(socket);
      return socket;
    }
    for (let tried = 0; tried < sockets.length; tried++) {
      const socket = sockets[this.#next++ % sockets.length]!;
      if (!socket.busy(request.id)) return socket;
    }
    // Every active socket has this ID in flight (about never): a socket of its own.
    const socket = this.#open1(request.server, sockets);
    socket.retireAfterOne();
    return socket;
  }

  #open1(server: NameServer, sockets: PooledSocket[]): PooledSocket {
    const socket = new PooledSocket(server, this.#limits, () => {
      this.#open.delete(socket);
      const at = sockets.indexOf(socket);
      if (at >= 0) sockets.splice(at, 1);
    });
    this.#open.add(socket);
    return socket;
  }
}

/** One connected socket and the queries in flight on it, by ID. */
class PooledSocket {
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
  /** Messages sent before the socket was connected. */
  #waiting: Uint8Array[] | undefined = [];
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
      onClose();
      for (const done of this.#closed.splice(0)) done();
    });
    this.#socket.connect(server.port, hostWithScope(server), () => {
      const waiting = this.#waiting!;
      this.#waiting = undefined;
      for (const message of waiting) this.#transmit(message);
    });
  }

  /** True while the socket may take new queries. */
  takesNew(now: number): boolean {
    if (!this.#retired && (this.#sent >= this.#limits.queriesPerSocket || now - this.#bornAt >= this.#limits.lifetimeMs)) this.#retire();
    return !this.#retired;
  }

  /** True when a query with this ID is in flight here. */
  busy(id: number): boolean {
    return this.#inFlight.has(id);
  }

  add(query: PooledQuery): void {
    if (this.#inFlight.size === 0) this.#socket.ref();
    this.#inFlight.set(query.request.id, query);
    this.#sent++;
    if (this.#waiting !== undefined) this.#waiting.push(query.request.message);
    else this.#transmit(query.request.message);
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

  /** No new queries after the one being added. */
  retireAfterOne(): void {
    this.#retire();
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
    this.#socket.send(message, (err) => {
      if (err === null) return;
      // Port unreachable reported on send concerns the socket, not this message.
      if ((err as NodeJS.ErrnoException).code === "ECONNREFUSED") this.#failAll(err);
      else this.#failOne(message, err);
    });
  }

  #receive(bytes: Buffer, from: dgram.RemoteInfo): void {
    if (bytes.length < 2 || !this.#fromServer(from)) return;
    const query = this.#inFlight.get(bytes.readUInt16BE(0));
    if (query === undefined) return;
    const message = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const read = readResponse(query.request, message);
    if (read !== "ignore") query.answer(message, read === "malformed" ? undefined : read);
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
    for (const query of [...this.#inFlight.values()]) query.fail(err);
    // Failing the last query closed the socket; an error with none in flight must close it too.
    if (this.#inFlight.size === 0) this.#close(() => undefined);
  }

  #failOne(message: Uint8Array, err: NodeJS.ErrnoException): void {
    for (const query of this.#inFlight.values()) {
      if (query.request.message === message) {
        query.fail(err);
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

/** The address to connect to, with the zone of a scoped IPv6 address. */
export function hostWithScope(server: NameServer): string {
  return server.scope === undefined ? server.address : `${server.address}%${server.scope}`;
}

function serverKey(server: NameServer): string {
  return `${server.family} ${hostWithScope(server)} ${server.port}`;
}
