/**
 * The UDP sockets and the flow of queries to each server.
 *
 * glibc opens a socket per lookup. Here a socket carries a few queries
 * ({@link PoolLimits.queriesPerSocket} in its life, all told apart by their
 * ID and then checked as strictly as on a socket of its own: source address and port, ID,
 * QR, opcode and question), which saves most of the cost of a socket per
 * query while keeping what an off-path forger must guess: a fresh
 * kernel-chosen port every few queries, a 16-bit ID from the CSPRNG, and
 * (by default) the query name's letters in random case, which the answer
 * must echo (case.ts). Sockets are made ahead of need: each server keeps
 * a few connected spares, topped up after the turn that used them, so a
 * lookup rarely waits for a socket to be made.
 *
 * With {@link PoolLimits.cookies}, a query that carries an OPT record
 * also carries a DNS cookie (cookies.ts) on the wire, and a response must
 * echo our client cookie. Like the case, the cookie lives on the wire
 * only: the response handed up has its COOKIE option removed, so it reads
 * as the server's response to the query as the layer above sent it.
 *
 * How many queries a server has in flight is its {@link FlowWindow}
 * (window.ts): learned from its answers, it grows while they come back and
 * halves when many go unanswered. Queries beyond it wait in order. Waiting
 * is not a try: a query's try clock starts when its datagram leaves. While
 * the server answers, the queue moves; once it has answered nothing for a
 * waiting query's timeout, that query is sent anyway, so a dead server
 * fails every lookup on glibc's schedule plus at most one timeout.
 *
 * Deadlines sit in one heap (deadlines.ts), judged only after the sockets
 * have been read, so an answer that arrived in time is never passed over
 * because the event loop was busy when its deadline came.
 *
 * A socket is referenced (keeps the process alive) only while queries are
 * in flight on it; idle for `idleMs`, it closes. `close()` closes them all.
 */
import type { TransportRequest } from "./transport.js";
import type { NameServer } from "../server.js";
import { HEADER_OCTETS, headerAndQuestionMatch, readResponse, type DnsMessage } from "../message.js";
import { CaseFallback, caseVerdict, randomizeCase, restoreCaseInPlace, type CaseVerdict } from "./case.js";
import { BADCOOKIE_RETRIES, checkCookie, ServerCookies, withCookie, withoutCookie } from "./cookies.js";
import { Deadlines, type Expiring } from "./deadlines.js";
import { serverLabel } from "../server.js";
import { PooledSocket, type SocketEvents } from "./udpsocket.js";
import { FlowWindow, WINDOW_LIMITS, type WindowLimits } from "./window.js";

/** How sockets are shared and replaced, and how queries flow to a server. */
export interface PoolLimits {
  /** Queries one socket carries in its life (and so at most at once). */
  queriesPerSocket: number;
  /** How long a socket takes new queries, in milliseconds. */
  lifetimeMs: number;
  /** How long a socket with nothing in flight stays open, in milliseconds. */
  idleMs: number;
  /** Connected sockets each server keeps ready for the next queries. */
  spareSockets: number;
  /** Receive buffer each socket asks for, in octets (the kernel may cap it). */
  receiveBuffer: number;
  /** The bounds of each server's flow window. */
  window: WindowLimits;
  /**
   * Random case in query names on the wire (0x20, case.ts), with a fallback
   * per server that folds case. On by default: with a few queries a port,
   * it keeps what a forger must guess at least what glibc's fresh port per
   * lookup makes them guess.
   */
  caseRandomization: boolean;
  /**
   * DNS cookies (RFC 7873/9018, cookies.ts) on queries that carry an OPT
   * record, with a {@link ServerCookies} state per server; queries without
   * EDNS get none. Off by default: glibc sends no cookies (nor an OPT
   * record without `options edns0`), and a cookie changes what a server
   * sees and may answer (BADCOOKIE first, a dropped query with Knot's
   * `badcookie-slip`), where netdb's rule is glibc's answers. Against a
   * server that does cookies it adds 64 bits a forger must guess.
   */
  cookies: boolean;
}

/** Limits other than the defaults: any of them, the window's bounds one by one. */
export type PoolOptions = Partial<Omit<PoolLimits, "window">> & { window?: Partial<WindowLimits> };

/** The limits of a NetTransport's pool. */
export const POOL_LIMITS: Readonly<PoolLimits> = {
  queriesPerSocket: 8,
  lifetimeMs: 10_000,
  idleMs: 1_000,
  spareSockets: 4,
  // Room for every answer of a socket's queries at the largest EDNS payload
  // netdb advertises, with the kernel's per-datagram overhead.
  receiveBuffer: 8 * 4096,
  window: WINDOW_LIMITS,
  caseRandomization: true,
  cookies: false,
};

/**
 * A query as the pool holds it. The exchange (udp.ts) extends this with
 * how it ends; the fields here are the pool's, for the pool alone to set.
 * A lookup in flight holds one of these, so its flags share one number
 * and its two times one field (a double field holds a boxed number).
 */
export abstract class PooledQuery implements Expiring {
  abstract readonly request: TransportRequest;
  /** An accepted response, and its decoded message when it decodes. */
  abstract answer(message: Uint8Array, decoded: DnsMessage | undefined, rtt: number): void;
  /** A socket error: for this query, or for every query on its socket. */
  abstract fail(err: NodeJS.ErrnoException): void;
  /** Its deadline passed. */
  abstract timedOut(): void;
  /** Ended from outside (the transport closing), with `reason`. */
  abstract abort(reason: unknown): void;
  /** {@link UdpPool.release} is over: it holds no socket, deadline or place in a queue. */
  abstract letGo(): void;

  deadline = 0;
  heapIndex = -1;
  /** The server's state; set by {@link UdpPool.send}. */
  server: ServerFlow | undefined;
  /** The socket it is on; undefined while it waits for room, and once released. */
  socket: PooledSocket<PooledQuery> | undefined;
  /** The datagram as it goes on the wire: the query, or a copy in random case and/or with a cookie. */
  wire: Uint8Array = EMPTY;
  /** {@link queuedAt} until it is placed, then {@link sentAt}: never both read of one query. */
  #time = 0;
  /** The booleans below, and the BADCOOKIE count above them. */
  #flags = 0;

  get id(): number {
    return this.request.id;
  }

  /** When the pool first found it waiting for room (0 before). Read only until it is placed on a socket. */
  get queuedAt(): number {
    return this.#time;
  }

  set queuedAt(at: number) {
    this.#time = at;
  }

  /** When its datagram left (`performance.now()`). Read only once it has. */
  get sentAt(): number {
    return this.#time;
  }

  set sentAt(at: number) {
    this.#time = at;
  }

  /** True while it counts against the server's window. */
  get counted(): boolean {
    return (this.#flags & COUNTED) !== 0;
  }

  set counted(on: boolean) {
    this.setFlag(COUNTED, on);
  }

  /** True once it was presumed lost (its answer may still come). */
  get presumedLost(): boolean {
    return (this.#flags & PRESUMED_LOST) !== 0;
  }

  set presumedLost(on: boolean) {
    this.setFlag(PRESUMED_LOST, on);
  }

  /** True once {@link UdpPool.release} let it go. */
  get released(): boolean {
    return (this.#flags & RELEASED) !== 0;
  }

  set released(on: boolean) {
    this.setFlag(RELEASED, on);
  }

  /** True while `wire` has the question name in random case. */
  get randomCase(): boolean {
    return (this.#flags & RANDOM_CASE) !== 0;
  }

  set randomCase(on: boolean) {
    this.setFlag(RANDOM_CASE, on);
  }

  /** True while `wire` is a copy carrying our COOKIE option. */
  get cookie(): boolean {
    return (this.#flags & COOKIE) !== 0;
  }

  set cookie(on: boolean) {
    this.setFlag(COOKIE, on);
  }

  /** Four bits the subclass keeps in the same field as the pool's flags (a query lives as long as its exchange). */
  protected get state(): number {
    return (this.#flags & STATE_MASK) >> STATE_SHIFT;
  }

  protected set state(state: number) {
    this.#flags = (this.#flags & ~STATE_MASK) | (state << STATE_SHIFT);
  }

  /** Times it was sent again after a BADCOOKIE. */
  get badCookies(): number {
    return this.#flags >>> BAD_COOKIES_SHIFT;
  }

  set badCookies(times: number) {
    this.#flags = (this.#flags & ((1 << BAD_COOKIES_SHIFT) - 1)) | (times << BAD_COOKIES_SHIFT);
  }

  expire(): void {
    this.timedOut();
  }

  private setFlag(bit: number, on: boolean): void {
    this.#flags = on ? this.#flags | bit : this.#flags & ~bit;
  }
}

const COUNTED = 1;
const PRESUMED_LOST = 2;
const RELEASED = 4;
const RANDOM_CASE = 8;
const COOKIE = 16;
/** Four bits of the subclass's own ({@link PooledQuery.state}), then the BADCOOKIE count. */
const STATE_SHIFT = 5;
const STATE_MASK = 15 << STATE_SHIFT;
const BAD_COOKIES_SHIFT = 9;

const EMPTY = new Uint8Array(0);

/**
 * `wire` with the COOKIE option `server`'s state gives now (cookies.ts
 * `withCookie`, which replaces one `wire` already has), or `wire` itself
 * when cookies are off, the query has no OPT record, or the server gets
 * none for now; sets `query.cookie` to say which. A query whose records
 * do not walk (one a caller built by hand) goes as it is.
 */
function withCookieOf(server: ServerFlow, query: PooledQuery, wire: Uint8Array): Uint8Array {
  const { cookies } = server;
  let out = wire;
  if (cookies !== undefined) {
    try {
      out = withCookie(wire, cookies);
    } catch {
      // Not a message whose OPT record can be found: no cookie, as without EDNS.
    }
  }
  query.cookie = out !== wire;
  return out;
}

/**
 * The server answered BADCOOKIE again after {@link BADCOOKIE_RETRIES}
 * retries with the server cookie it had just given: it rejects what it
 * issues (servers behind one address with different secrets). That is
 * this server's failure for this try, as SERVFAIL is: res_send goes on to
 * the next server or round, which sends the newest server cookie. The
 * BADCOOKIE itself is not handed up: read with the header's four bits
 * alone, as glibc reads RCODEs, it would pass for YXDOMAIN, an answer.
 */
function badCookieError(): NodeJS.ErrnoException {
  return Object.assign(new Error(`BADCOOKIE again after ${BADCOOKIE_RETRIES} retry with the server cookie it gave`), { code: "EBADCOOKIE" });
}

/** One server: its window, its sockets, its queries sent and waiting. */
export interface ServerFlow {
  /** The pool it is of: what its queries are released to. */
  readonly pool: UdpPool;
  readonly server: NameServer;
  readonly window: FlowWindow;
  /** Whether it keeps the case of names (0x20), when case randomization is on. */
  readonly cases: CaseFallback | undefined;
  /** Its DNS cookie state, when cookies are on. */
  readonly cookies: ServerCookies | undefined;
  /** Sockets taking new queries. */
  sockets: Array<PooledSocket<PooledQuery>>;
  /** Connected sockets with nothing on them yet. */
  spares: Array<PooledSocket<PooledQuery>>;
  /** Queries counting against the window. */
  counted: number;
  /** Queries whose datagram left, oldest first from `sentHead` on (some released or no longer counted). */
  sent: PooledQuery[];
  sentHead: number;
  /** Queries waiting for room, oldest first from `waitingHead` on (some released while waiting). */
  waiting: PooledQuery[];
  waitingHead: number;
  /** Wakes the queue when the oldest query counted will be presumed lost or the oldest waiting must go. */
  wake: NodeJS.Timeout | undefined;
  /** A spare top-up is scheduled. */
  refill: NodeJS.Immediate | undefined;
  /** When the server last answered (`performance.now()`, 0 before). */
  answeredAt: number;
}

/** A snapshot of one server's flow; see {@link UdpPool.flows}. */
export interface FlowStats {
  window: number;
  rto: number;
  srtt: number;
  /** Queries counting against the window. */
  counted: number;
  /** Queries waiting for room (some may have been released). */
  waiting: number;
  sockets: number;
  spares: number;
}

/** Per server, its flow and sockets; every open socket; every deadline. */
export class UdpPool {
  readonly #servers = new Map<string, ServerFlow>();
  readonly #open = new Set<PooledSocket<PooledQuery>>();
  #reads = 0;
  readonly #deadlines = new Deadlines(() => this.#reads);
  readonly #limits: PoolLimits;
  readonly #events: SocketEvents<PooledQuery>;
  #closed = false;

  /** A pool with {@link POOL_LIMITS}, or others (tests). */
  constructor(limits: PoolOptions = {}) {
    this.#limits = { ...POOL_LIMITS, ...limits, window: { ...POOL_LIMITS.window, ...limits.window } };
    this.#events = {
      sent: (query) => this.#sent(query),
      received: (query, bytes) => this.#received(query, bytes),
      read: () => void this.#reads++,
      failed: (query, err) => query.fail(err),
      closed: (socket) => this.#forget(socket),
      removed: (query) => query.letGo(),
    };
  }

  /** Sends `query` to its server now if its window has room, else queues it. */
  send(query: PooledQuery): void {
    const server = this.#flow(query.request.server);
    query.server = server;
    const now = performance.now();
    if (server.waitingHead === server.waiting.length && this.#hasRoom(server, now)) this.#place(server, query, now);
    else {
      server.waiting.push(query);
      this.#wakeLater(server, now);
    }
  }

  /**
   * Lets `query` go: off its deadline, its socket or the queue. Its
   * `letGo` is called once that is over: at once, or once its socket is
   * closed if it was the last query of a retired socket.
   */
  release(query: PooledQuery): void {
    query.released = true;
    this.#deadlines.remove(query);
    const server = query.server!;
    if (query.counted) {
      query.counted = false;
      server.counted--;
    }
    const socket = query.socket;
    query.socket = undefined;
    const now = socket === undefined || socket.remove(query);
    if (server.counted === 0) {
      // Nothing counted: what the sent list holds is released or no longer counted.
      server.sent.length = 0;
      server.sentHead = 0;
    }
    this.#drain(server);
    // Last: whoever waits for it may start its next query from here.
    if (now) query.letGo();
  }

  /** Per server (by `address:port`), what its flow looks like now: for tests, benchmarks and traces. */
  flows(): Map<string, FlowStats> {
    const stats = new Map<string, FlowStats>();
    for (const [key, server] of this.#servers) {
      const { window } = server;
      stats.set(key, { window: window.size, rto: window.rto, srtt: window.srtt, counted: server.counted, waiting: server.waiting.length - server.waitingHead, sockets: server.sockets.length, spares: server.spares.length });
    }
    return stats;
  }

  /** Ends every query, waiting or sent, with `reason`. */
  abortAll(reason: unknown): void {
    for (const server of this.#servers.values()) {
      for (let i = server.waitingHead; i < server.waiting.length; i++) {
        const query = server.waiting[i]!;
        if (!query.released) query.abort(reason);
      }
    }
    for (const socket of this.#open) for (const query of socket.queries()) query.abort(reason);
  }

  /** Closes every socket; resolves once they are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const server of this.#servers.values()) {
      clearTimeout(server.wake);
      clearImmediate(server.refill);
    }
    this.#servers.clear();
    await Promise.all([...this.#open].map((socket) => new Promise<void>((resolve) => socket.retire(resolve))));
  }

  #flow(to: NameServer): ServerFlow {
    // Queries sent from another local address need sockets of their own.
    const key = to.source === undefined ? serverLabel(to) : `${serverLabel(to)} from ${to.source}`;
    let server = this.#servers.get(key);
    if (server === undefined) {
      server = {
        pool: this,
        server: to,
        window: new FlowWindow(this.#limits.window),
        cases: this.#limits.caseRandomization ? new CaseFallback() : undefined,
        cookies: this.#limits.cookies ? new ServerCookies() : undefined,
        sockets: [],
        spares: [],
        counted: 0,
        sent: [],
        sentHead: 0,
        waiting: [],
        waitingHead: 0,
        wake: undefined,
        refill: undefined,
        answeredAt: 0,
      };
      this.#servers.set(key, server);
    }
    return server;
  }

  /**
   * True when `server` has room in its window, after dropping from the
   * front of its sent list those released and those unanswered for an RTO
   * (presumed lost: no longer counted, so a lost datagram does not hold a
   * place until its deadline).
   */
  #hasRoom(server: ServerFlow, now: number): boolean {
    const { sent, window } = server;
    while (server.sentHead < sent.length) {
      const oldest = sent[server.sentHead]!;
      if (oldest.counted) {
        if (now - oldest.sentAt < window.rto) break;
        oldest.counted = false;
        oldest.presumedLost = true;
        server.counted--;
        window.lost(now);
      }
      server.sentHead++;
    }
    if (server.sentHead > 1024 && server.sentHead * 2 > sent.length) {
      sent.splice(0, server.sentHead);
      server.sentHead = 0;
    }
    return server.counted < window.size;
  }

  #place(server: ServerFlow, query: PooledQuery, now: number): void {
    const { message } = query.request;
    query.randomCase = server.cases?.randomizing() === true;
    query.wire = withCookieOf(server, query, query.randomCase ? randomizeCase(message) : message);
    query.counted = true;
    server.counted++;
    server.window.sending(now);
    const socket = this.#socketFor(server, query.id, now);
    query.socket = socket;
    socket.add(query);
  }

  /** The datagram left: the try's clock starts now. */
  #sent(query: PooledQuery): void {
    const now = performance.now();
    query.sentAt = now;
    // Whole milliseconds (timers have no finer grain): an integer field holds no boxed number.
    query.deadline = Math.ceil(now + Math.max(0, query.request.timeout));
    this.#deadlines.add(query);
    if (query.counted) query.server!.sent.push(query);
  }

  /**
   * A datagram from the server with the ID of `query`. The checks run on
   * the bytes as they came, cheapest and most telling first: the question
   * name's case (0x20), then the cookie (which must see the COOKIE option
   * as the server sent it, and learns from it only once the header and
   * question are those of a response to this query), then, on the
   * datagram restored to the query's case (in place) and stripped of the
   * cookie (a copy), the whole
   * message (readResponse), so that what is handed up, and decoded, is
   * what the layer above would have got without either.
   */
  #received(query: PooledQuery, bytes: Buffer): void {
    const { request, wire } = query;
    const server = query.server!;
    // The datagram's own Buffer is the message (a Buffer is a Uint8Array): no copy per response.
    let message: Uint8Array = bytes;
    let verdict: CaseVerdict = "exact";
    if (query.randomCase) {
      verdict = caseVerdict(wire, bytes);
      if (verdict === "different") return;
    }
    if (query.cookie) {
      // A bare 12-octet error has no question; checkCookie then says whether one without a cookie will do.
      if (bytes.length !== HEADER_OCTETS && !headerAndQuestionMatch(request, bytes)) return;
      const said = checkCookie(wire, bytes, server.cookies!);
      if (said === "ignore") return;
      if (said === "retry") {
        // Our cookie echoed: the server is alive, whatever it thinks of the cookie.
        server.answeredAt = performance.now();
        if (query.badCookies >= BADCOOKIE_RETRIES) return query.fail(badCookieError());
        query.badCookies++;
        if (verdict !== "folded") return this.#sendAgain(query, wire);
      }
    }
    if (query.randomCase) {
      if (verdict === "folded") return this.#folded(query, bytes);
      server.cases!.observe(wire, verdict);
      // The datagram is this query's alone: its case is restored where it lies.
      if (verdict === "exact") message = restoreCaseInPlace(bytes, request.message, wire);
    }
    if (query.cookie) message = withoutCookie(message);
    const read = readResponse(request, message);
    if (read === "ignore") return;
    const now = performance.now();
    const rtt = now - query.sentAt;
    server.answeredAt = now;
    const { window } = server;
    if (query.presumedLost) window.answeredLate(rtt);
    else window.answered(rtt);
    query.answer(message, read === "malformed" ? undefined : read, rtt);
  }

  /**
   * A response in another case than sent: a server that folds case, or a
   * forgery that did not guess it. Never an answer; if it passes every
   * other check, the server learns from it (case.ts CaseFallback) and the
   * query goes again at once in its own case, on the same socket under the
   * same deadline, which costs a round trip instead of a timeout.
   */
  #folded(query: PooledQuery, bytes: Buffer): void {
    if (readResponse(query.request, bytes) === "ignore") return;
    query.server!.cases!.observe(query.wire, "folded");
    query.randomCase = false;
    this.#sendAgain(query, query.request.message);
  }

  /**
   * Sends `query` again at once as `base` (with the cookie as its server's
   * state now gives it), on the same socket under the same deadline: after
   * a folded response, or a BADCOOKIE that taught a new server cookie.
   */
  #sendAgain(query: PooledQuery, base: Uint8Array): void {
    query.wire = withCookieOf(query.server!, query, base);
    query.socket?.resend(query);
  }

  /**
   * True when `query` is to go out without room: the server has answered
   * nothing for as long as the query's timeout since the pool found it
   * waiting. While answers come back the queue moves and waiting is
   * progress; a server that stopped answering gets the waiting queries
   * anyway, so that each fails on its own deadline as it would with glibc.
   * Time the event loop spent elsewhere before the pool first saw the
   * query (a caller starting thousands of lookups in one turn) does not
   * count: `queuedAt` is stamped by the first drain that finds it.
   */
  #stalled(server: ServerFlow, query: PooledQuery, now: number): boolean {
    return now - Math.max(query.queuedAt, server.answeredAt) >= query.request.timeout;
  }

  /** Sends waiting queries of `server` while it has room, and those of a server that stopped answering. */
  #drain(server: ServerFlow): void {
    const { waiting } = server;
    if (server.waitingHead === waiting.length || this.#closed) return;
    const now = performance.now();
    while (server.waitingHead < waiting.length) {
      const next = waiting[server.waitingHead]!;
      if (!next.released) {
        if (next.queuedAt === 0) next.queuedAt = now;
        if (!this.#hasRoom(server, now) && !this.#stalled(server, next, now)) break;
        this.#place(server, next, now);
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
      this.#wakeLater(server, now);
    }
  }

  /**
   * Arms `server.wake` for when its oldest counted query will be presumed
   * lost, or its oldest waiting query must be sent anyway. The wake drains
   * after the next poll of the sockets, so answers already there count first.
   */
  #wakeLater(server: ServerFlow, now: number): void {
    if (server.wake !== undefined) return;
    let at = Infinity;
    for (let i = server.sentHead; i < server.sent.length; i++) {
      const query = server.sent[i]!;
      if (query.counted) {
        at = query.sentAt + server.window.rto;
        break;
      }
    }
    for (let i = server.waitingHead; i < server.waiting.length; i++) {
      const query = server.waiting[i]!;
      if (!query.released) {
        at = Math.min(at, Math.max(query.queuedAt || now, server.answeredAt) + query.request.timeout);
        break;
      }
    }
    if (at === Infinity) return;
    // Unreferenced: the queries' deadlines and sockets keep the process alive.
    server.wake = setTimeout(() => {
      setImmediate(() => {
        server.wake = undefined;
        this.#drain(server);
      });
    }, Math.max(1, at - now)).unref();
  }

  /**
   * A socket for a query with ID `id`: the first one taking new queries
   * that has room and not this ID in flight, else a spare, else a new one.
   */
  #socketFor(server: ServerFlow, id: number, now: number): PooledSocket<PooledQuery> {
    const { sockets } = server;
    const { queriesPerSocket, lifetimeMs } = this.#limits;
    for (let i = 0; i < sockets.length; ) {
      const socket = sockets[i]!;
      if (socket.retired || socket.broken || socket.taken >= queriesPerSocket || now - socket.bornAt >= lifetimeMs) {
        sockets.splice(i, 1);
        socket.retire();
      } else if (!socket.busy(id)) return socket;
      else i++;
    }
    const socket = this.#spare(server, now) ?? this.#open1(server.server);
    sockets.push(socket);
    this.#scheduleRefill(server);
    return socket;
  }

  #spare(server: ServerFlow, now: number): PooledSocket<PooledQuery> | undefined {
    while (server.spares.length > 0) {
      const socket = server.spares.pop()!;
      if (!socket.broken && !socket.retired && now - socket.bornAt < this.#limits.lifetimeMs) return socket;
      socket.retire();
    }
    return undefined;
  }

  #open1(to: NameServer): PooledSocket<PooledQuery> {
    const socket = new PooledSocket<PooledQuery>(to, this.#events, this.#limits);
    this.#open.add(socket);
    return socket;
  }

  /** Tops the spares up after the current turn, off the path of the queries that used them. */
  #scheduleRefill(server: ServerFlow): void {
    if (server.refill !== undefined || this.#limits.spareSockets === 0) return;
    server.refill = setImmediate(() => {
      server.refill = undefined;
      if (this.#closed) return;
      while (server.spares.length < this.#limits.spareSockets) server.spares.push(this.#open1(server.server));
    });
    server.refill.unref();
  }

  #forget(socket: PooledSocket<PooledQuery>): void {
    this.#open.delete(socket);
    for (const server of this.#servers.values()) {
      const at = server.sockets.indexOf(socket);
      if (at >= 0) server.sockets.splice(at, 1);
      const spare = server.spares.indexOf(socket);
      if (spare >= 0) server.spares.splice(spare, 1);
    }
  }
}
