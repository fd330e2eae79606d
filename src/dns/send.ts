/**
 * glibc's `res_send` (resolv/res_send.c, 2.36 stable branch): ask the
 * configured servers in turn until one gives a usable answer.
 *
 * - Up to three servers (MAXNS), in resolv.conf order; with `rotate`, each
 *   call starts one server further on. `attempts` rounds over all servers.
 * - One try of server number `ns` (its index in resolv.conf, whatever the
 *   rotation) may take `timeout << ns` milliseconds, divided by the number
 *   of servers when `ns > 0`, at least one unit: glibc's send_dg. glibc
 *   counts whole seconds (resolv.conf gives seconds, so `timeout:5` with
 *   three servers gives 5 s, 3 s and 6 s); a timeout that is a whole number
 *   of seconds is computed the same way here, a sub-second one (tests) in
 *   milliseconds.
 * - Several questions (A and AAAA) go to the same server in the same try,
 *   in parallel — or one after the other with `single-request` /
 *   `single-request-reopen` (the transport picks the sockets, so the two
 *   options are the same thing here). They share the try's deadline, as
 *   glibc's do.
 * - Over UDP, SERVFAIL, NOTIMP and REFUSED, a response whose header or
 *   question does not read (damage past the question is read as glibc
 *   reads it: message.ts), a network
 *   error or silence until the deadline make that question fail at this
 *   server; so does a "lame" answer (NOERROR, no records, neither AA nor RA,
 *   empty additional section). If another question of the same try was
 *   answered, its answer stands alone and the failed question is dropped
 *   (glibc: one family's failure does not lose the other's answer; glibc
 *   first re-sends a timed-out pair up to twice in single-request modes, a
 *   retry skipped here). If nothing was answered, the next server is tried.
 * - FORMERR is an answer, as in glibc (NO_RECOVERY for the caller), even
 *   to a query with EDNS0. With `ednsFallback` (a departure, off by
 *   default) a FORMERR to an EDNS0 query makes the same server be asked
 *   again at once without the OPT record, and not sent EDNS0 again in
 *   this call.
 * - TC makes every question of the try go to the same server over TCP, and
 *   from then on only TCP is used and the current round is the last
 *   (glibc's v_circuit, which also sets `try = retry`). `use-vc` means TCP
 *   from the start, for one round. Over TCP, like glibc's send_vc, any
 *   well-formed response is the answer (even SERVFAIL); a connection that
 *   fails or closes early, or a malformed response, moves on to the next
 *   server. TCP gets its own deadline of the same length as the UDP try.
 *
 * Time bound of one call: with `T = sum over servers of their try time`,
 * at most `attempts * T` over UDP plus `T` for TCP after a truncation;
 * `T` alone with `use-vc` — glibc's bound — plus, over UDP, the time each
 * query waits for room in its server's flow window before it is sent
 * (udppool.ts): as long as the queries ahead of it take while the server
 * answers, and at most one try time once it has stopped answering. The
 * caller's AbortSignal ends the call at once, whatever is in flight.
 */
import { randomFillSync } from "../builtins.js";
import type { Protocol, Question } from "./question.js";
import { startExchange, type AbortListener, type ExchangeSignal, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport/transport.js";
import type { NameServer } from "./server.js";
import type { ResolvConf } from "../files/resolvconf.js";
import type { Tracer } from "../trace.js";
import { DEFAULT_NAMESERVER, MAX_NAMESERVERS } from "../files/resolvconf.js";
import { unwatchAbort, watchAbort, type AbortWatcher } from "./abort.js";
import { callListeners, withListener, withoutListener, type Listeners } from "./cancel.js";
import { MalformedMessageError, TransportError } from "./errors.js";
import { decodeMessage, EDNS_PAYLOAD_SIZE, writeQuery, type DnsMessage } from "./message.js";
import { tracedRecords } from "./present.js";
import { serverLabel } from "./server.js";

/** A usable answer to one question. */
export interface QueryResult {
  question: Question;
  rcode: string;
  message: DnsMessage;
  /** The server that answered. */
  server: NameServer;
  protocol: Protocol;
  /** Round-trip time of the exchange that answered, in milliseconds. */
  rtt: number;
}

/** What every `res_send` call under one configuration needs: one object per configuration, shared by its calls. */
export interface SendContext {
  conf: ResolvConf;
  transport: Transport;
  /** Start offset for `rotate`, given the number of servers. */
  rotation: (servers: number) => number;
  /** The servers of `conf` glibc uses ({@link effectiveServers}). */
  servers: readonly NameServer[];
  /** The client's own tracer, which each call's is added to. */
  tracer?: Tracer | undefined;
}

/** The {@link SendContext} of `conf`. */
export function sendContext(conf: ResolvConf, transport: Transport, rotation: (servers: number) => number, tracer?: Tracer): SendContext {
  return { conf, transport, rotation, servers: effectiveServers(conf), tracer };
}

/**
 * The RCODEs seen, numbered from 1 in the order first seen, so that a call
 * keeps two of them in one small number. message.ts names the header's
 * 4-bit RCODE, so the table holds at most 16 whatever servers send (the
 * 13 bits each number gets would also hold EDNS's 12-bit form).
 */
const RCODE_NAMES: string[] = [];
const RCODE_CODES = new Map<string, number>();

function rcodeCode(rcode: string): number {
  let code = RCODE_CODES.get(rcode);
  if (code === undefined) {
    RCODE_NAMES.push(rcode);
    code = RCODE_NAMES.length;
    RCODE_CODES.set(rcode, code);
  }
  return code;
}

const rcodeName = (code: number): string | undefined => (code === 0 ? undefined : RCODE_NAMES[code - 1]);

/** {@link SendRun}'s RCODEs field: the last one (glibc's, for the error), and below it the first of the current try (UDP). */
const RCODE_BITS = 13;
const RCODE_MASK = (1 << RCODE_BITS) - 1;

/** What a call that had failures keeps: made at the first. */
interface Trouble {
  /** One line per failed exchange. */
  failures: string[];
  /** An abort's reason or a bug's error, which the call fails with (FATAL). */
  fatal: unknown;
  tcpErrno: string | undefined;
}

/** The result of one `res_send` call (read when it has reported, not kept). */
export interface SendOutcome {
  /** Per question, in order: its answer, or undefined when it got none. */
  readonly results: ReadonlyArray<QueryResult | undefined>;
  /** The servers in resolv.conf order, as `address:port` (a new array on each read). */
  readonly servers: string[];
  /** See {@link DnsError.lastRcode}. */
  readonly lastRcode: string | undefined;
  /** See {@link DnsError.errno}; undefined when something was answered. */
  readonly errno: string | undefined;
  /** One line per failed exchange. */
  readonly failures: string[];
}

/**
 * The caller of one `res_send`: it gives the questions and the call's
 * signal and tracer, and gets exactly one of `sent` or `failed`, once
 * (`failed` only on abort or a non-transport error). Its methods do not
 * throw. An object, so that the caller's own state is the sink.
 */
export interface SendSink {
  readonly signal: AbortSignal | undefined;
  readonly tracer: Tracer | undefined;
  /**
   * Question `index` of the call, asked for each exchange that sends it
   * (the object goes into that exchange's request and result): a call in
   * flight holds only the questions of its exchanges in flight.
   */
  question(index: number): Question;
  sent(outcome: SendOutcome): void;
  failed(error: unknown): void;
}

/**
 * The servers glibc would use: the first three, or 127.0.0.1 when there are
 * none. parseResolvConf already applies both rules; a ResolvConf built
 * another way (a Resolver's `nameservers` option) may not.
 */
export function effectiveServers(conf: ResolvConf): NameServer[] {
  return conf.nameservers.length === 0 ? [DEFAULT_NAMESERVER] : conf.nameservers.slice(0, MAX_NAMESERVERS);
}

/** {@link effectiveServers}, kept per configuration object: every call reads them. */
function serversOf(conf: ResolvConf): readonly NameServer[] {
  let servers = SERVERS.get(conf);
  if (servers === undefined) {
    servers = effectiveServers(conf);
    SERVERS.set(conf, servers);
  }
  return servers;
}

const SERVERS = new WeakMap<ResolvConf, readonly NameServer[]>();

/** The servers glibc would use under `conf` as `address:port` labels, in resolv.conf order: a new array, for an error to hold. */
export function serverLabels(conf: ResolvConf): string[] {
  return serversOf(conf).map(serverLabel);
}

/** How long one try of server `ns` (index in resolv.conf) may take; see the module comment. */
export function tryTimeout(timeout: number, ns: number, servers: number): number {
  const unit = timeout % 1000 === 0 ? 1000 : 1;
  let t = Math.floor(timeout / unit) * 2 ** ns;
  if (ns > 0) t = Math.floor(t / servers);
  return Math.max(1, t) * unit;
}

/** A fresh query ID from the system's CSPRNG. */
function randomId(): number {
  if (idsLeft === 0) {
    randomFillSync(ids);
    idsLeft = ids.length;
  }
  return ids[--idsLeft]!;
}

/**
 * Query IDs drawn from the CSPRNG 256 at a time: one system call's worth of
 * random bytes serves 256 queries, where a call of randomInt per query
 * costs its argument checks every time. Each ID is used once.
 */
const ids = new Uint16Array(256);
let idsLeft = 0;

const FAILURE_RCODES = new Set(["SERVFAIL", "NOTIMP", "REFUSED"]);

/**
 * Runs `res_send` for questions `0 .. count - 1` of `sink` (see the module
 * comment), reporting to `sink`. Never throws. Callbacks, not a promise:
 * the DNS client makes a call's one promise (docs/internal-contracts.md,
 * "Hot paths").
 */
export function sendQuestions(count: number, ctx: SendContext, sink: SendSink): void {
  new SinkRun(ctx, sink).run(count);
}

/** What ends the exchanges still running when a try is over early: they reject with it, and nobody reads it. */
const TRY_OVER = new Error("try finished");

/** {@link Launched}'s state bits above its question index. */
const EDNS = 1;
const SETTLED = 2;
const ABORTED = 4;
const INDEX_SHIFT = 3;

/**
 * One exchange of a try, and all that its transport is handed: the
 * request (its public fields), the sink the transport reports to, and
 * the signal that ends it when the try is over early (a flag and its
 * listeners). One object, so that an exchange in flight holds nothing
 * else of the client's. The request fields are own properties, so that a
 * layer may copy them (`{ ...request, server }`); the rest is private.
 */
class Launched implements TransportRequest, ExchangeSink, ExchangeSignal {
  readonly server: NameServer;
  readonly protocol: Protocol;
  readonly message: Uint8Array;
  readonly id: number;
  readonly question: Question;
  readonly timeout: number;
  readonly signal: ExchangeSignal;
  readonly #run: SendRun;
  /** The exchange launched before this one in the same try (the try aborts them all). */
  readonly #next: Launched | undefined;
  #state: number;
  #listeners: Listeners = undefined;

  constructor(run: SendRun, next: Launched | undefined, index: number, edns: boolean, server: NameServer, protocol: Protocol, message: Uint8Array, id: number, question: Question, timeout: number) {
    this.server = server;
    this.protocol = protocol;
    this.message = message;
    this.id = id;
    this.question = question;
    this.timeout = timeout;
    this.signal = this;
    this.#run = run;
    this.#next = next;
    this.#state = (index << INDEX_SHIFT) | (edns ? EDNS : 0);
  }

  /** The question's index in its call. */
  get index(): number {
    return this.#state >> INDEX_SHIFT;
  }

  /** The query carried EDNS0. */
  get edns(): boolean {
    return (this.#state & EDNS) !== 0;
  }

  answered(response: TransportResponse): void {
    this.#state |= SETTLED;
    this.#run.settled(this, true, response);
  }

  failed(error: unknown): void {
    this.#state |= SETTLED;
    this.#run.settled(this, false, error);
  }

  get aborted(): boolean {
    return (this.#state & ABORTED) !== 0;
  }

  get reason(): unknown {
    return this.aborted ? TRY_OVER : undefined;
  }

  /** Listeners of an aborted exchange are never called, as with AbortSignal; each is called once. */
  addEventListener(_type: "abort", listener: AbortListener): void {
    if (!this.aborted) this.#listeners = withListener(this.#listeners, listener);
  }

  removeEventListener(_type: "abort", listener: AbortListener): void {
    this.#listeners = withoutListener(this.#listeners, listener);
  }

  /** Aborts this exchange and those launched before it in its try, skipping those that have settled. */
  static abortFrom(first: Launched | undefined): void {
    for (let l = first; l !== undefined; l = l.#next) {
      if ((l.#state & (SETTLED | ABORTED)) !== 0) continue;
      l.#state |= ABORTED;
      const listeners = l.#listeners;
      l.#listeners = undefined;
      callListeners(listeners);
    }
  }
}

/** {@link SendRun}'s state bits. */
const TCP = 1;
const GOT_SOMEWHERE = 2;
/** A try is in progress. */
const IN_TRY = 4;
/** The current try ended before its exchanges did (truncation, a failed TCP exchange, an abort)... */
const ENDED = 8;
/** ...because of a truncated answer, which sends it to TCP. */
const TRUNCATED = 16;
/** An abort or a bug: the call fails with its {@link Trouble.fatal} once the current try is over. */
const FATAL = 32;
/** The `rotate` start offset, a server index (two bits). */
const OFFSET_SHIFT = 6;
/** Servers that answered FORMERR to EDNS0: one bit per server index from here. */
const NO_EDNS_SHIFT = 8;

/**
 * res_send, driven by the arrival of responses: each try launches its
 * exchanges, each settled exchange is read as glibc reads it
 * (`onResponse`, `onError`), and when a try is over the next one starts
 * or the call settles. One try runs at a time and is over only once every
 * exchange of it has settled (so no socket outlives it), so the try's
 * state is this object's. Once it has reported, it is its own
 * {@link SendOutcome}. Callbacks rather than async functions
 * (docs/internal-contracts.md, "Hot paths").
 *
 * An abstract class, whose subclass is the caller ({@link SendSink}'s
 * members): the DNS client's res_search walk extends it, so that a lookup
 * is one object for res_search, res_query and res_send, each candidate's
 * res_send a {@link send} of the same object once the one before has
 * reported. {@link sendQuestions} is the form with a separate sink.
 */
export abstract class SendRun implements SendSink, SendOutcome, AbortWatcher {
  readonly #ctx: SendContext;
  /** The questions of the current call. */
  #count = 0;
  #state = 0;
  /** Tries started over UDP so far, round by round: `round * servers + shift`. */
  #step = 0;
  /** The last RCODE and the current try's first one ({@link RCODE_BITS}). */
  #rcodes = 0;
  /** Made at the first failure. */
  #trouble: Trouble | undefined = undefined;
  // The current try.
  /**
   * When it is over: its span after its start, then after its first
   * datagram left once a response says when that was; in whole
   * milliseconds, so that the field holds no boxed number.
   */
  #deadline = 0;
  /** Its exchanges not settled yet, plus one while it is launching or reading one (so that one settling at once does not end it under its launcher). */
  #running = 0;
  /** Its answers, made on the first; the call's once it has reported. */
  #results: Array<QueryResult | undefined> | undefined = undefined;
  /** Its last launched exchange, which leads to the others. */
  #launched: Launched | undefined = undefined;

  constructor(ctx: SendContext) {
    this.#ctx = ctx;
  }

  abstract readonly signal: AbortSignal | undefined;
  abstract readonly tracer: Tracer | undefined;
  abstract question(index: number): Question;
  abstract sent(outcome: SendOutcome): void;
  abstract failed(error: unknown): void;

  /** What every call under the configuration needs. */
  protected get sendContext(): SendContext {
    return this.#ctx;
  }

  /**
   * Runs `res_send` for questions `0 .. count - 1` (see the module
   * comment), reporting to {@link sent} or {@link failed}. Never throws.
   * A call starts only once the one before has reported.
   */
  protected send(count: number): void {
    const { signal } = this;
    if (signal?.aborted) {
      this.failed(signal.reason);
      return;
    }
    const ctx = this.#ctx;
    const n = ctx.servers.length;
    const offset = ctx.conf.rotate && n > 1 ? ctx.rotation(n) % n : 0;
    this.#count = count;
    this.#state = (ctx.conf.useVc ? TCP : 0) | (offset << OFFSET_SHIFT);
    this.#step = 0;
    this.#rcodes = 0;
    this.#trouble = undefined;
    this.#deadline = 0;
    this.#running = 0;
    this.#results = undefined;
    this.#launched = undefined;
    if (signal !== undefined) watchAbort(signal, this);
    this.nextTry();
  }

  /** The caller's signal aborted. */
  callerAborted(): void {
    this.stop(this.signal!.reason);
  }

  get results(): ReadonlyArray<QueryResult | undefined> {
    return this.#results ?? [];
  }

  get servers(): string[] {
    return serverLabels(this.#ctx.conf);
  }

  get lastRcode(): string | undefined {
    return rcodeName(this.#rcodes >> RCODE_BITS);
  }

  get errno(): string | undefined {
    if (this.#results?.some((r) => r !== undefined) === true) return undefined;
    return this.has(TCP) ? this.tcpErrno : this.has(GOT_SOMEWHERE) ? "ETIMEDOUT" : "ECONNREFUSED";
  }

  get failures(): string[] {
    return this.#trouble?.failures ?? [];
  }

  /** glibc starts its TCP errno at ETIMEDOUT. */
  private get tcpErrno(): string | undefined {
    return this.#trouble === undefined ? "ETIMEDOUT" : this.#trouble.tcpErrno;
  }

  private set tcpErrno(errno: string | undefined) {
    this.trouble().tcpErrno = errno;
  }

  private trouble(): Trouble {
    return (this.#trouble ??= { failures: [], fatal: undefined, tcpErrno: "ETIMEDOUT" });
  }

  private offset(): number {
    return (this.#state >> OFFSET_SHIFT) & 3;
  }

  private has(bit: number): boolean {
    return (this.#state & bit) !== 0;
  }

  /** Starts the try at the current position, or settles when the rounds are over. */
  private nextTry(): void {
    const n = this.#ctx.servers.length;
    if (this.#step >= this.#ctx.conf.attempts * n) {
      this.finish(new Array<undefined>(this.#count).fill(undefined));
      return;
    }
    this.startTry(((this.#step % n) + this.offset()) % n);
  }

  /** The try after a failed one: next server, next round; once on TCP, glibc ends with the current round. */
  private advance(): void {
    const n = this.#ctx.servers.length;
    if (++this.#step % n === 0 && this.has(TCP)) this.#step = this.#ctx.conf.attempts * n;
    this.nextTry();
  }

  /** The server index of the current try. */
  private ns(): number {
    const n = this.#ctx.servers.length;
    return ((this.#step % n) + this.offset()) % n;
  }

  private protocol(): Protocol {
    return this.has(TCP) ? "tcp" : "udp";
  }

  private span(ns: number): number {
    return tryTimeout(this.#ctx.conf.timeout, ns, this.#ctx.servers.length);
  }

  private startTry(ns: number): void {
    this.#state = (this.#state & ~(ENDED | TRUNCATED)) | IN_TRY;
    this.#deadline = Math.ceil(performance.now() + this.span(ns));
    this.#running = 1;
    this.#rcodes &= ~RCODE_MASK;
    this.#results = undefined;
    this.#launched = undefined;
    const count = this.sequential() ? 1 : this.#count;
    for (let i = 0; i < count && !this.has(ENDED); i++) this.launch(ns, i, this.edns(ns));
    this.#running--;
    this.settleTry();
  }

  /** Sends question `index` (with EDNS0 or not) to server `ns` under the try's deadline. */
  private launch(ns: number, index: number, edns: boolean): void {
    const { conf, transport } = this.#ctx;
    const server = this.#ctx.servers[ns]!;
    const protocol = this.protocol();
    let launched: Launched;
    try {
      const question = this.question(index);
      const id = randomId();
      const message = writeQuery(question, id, edns, true, conf.trustAd, conf.ednsPayloadSize ?? EDNS_PAYLOAD_SIZE);
      this.tracer?.({ kind: "query", name: question.name, type: question.type, server: serverLabel(server), protocol, edns });
      const timeout = Math.max(0, this.#deadline - performance.now());
      launched = new Launched(this, this.#launched, index, edns, server, protocol, message, id, question, timeout);
    } catch (err) {
      this.stop(err);
      return;
    }
    this.#launched = launched;
    this.#running++;
    startExchange(transport, launched, launched);
  }

  /** One exchange of the current try settled: read what it gave, then see whether the try is over. */
  settled(launched: Launched, answered: boolean, value: unknown): void {
    // This may run in a promise reaction whose own promise has no handler
    // (startExchange over a transport without `send`): anything thrown here
    // (a decoder that cannot load, a bug) must end this res_send with that
    // error, not vanish and leave the lookup pending.
    try {
      if (!this.has(ENDED)) {
        if (answered) this.onResponse(launched, value as TransportResponse);
        else this.onError(launched, value);
      }
    } catch (err) {
      this.stop(err);
    }
    this.#running--;
    this.settleTry();
  }

  /** A response to one exchange, read as glibc's send_dg or send_vc reads it. */
  private onResponse(launched: Launched, response: TransportResponse): void {
    const { server, protocol, index } = launched;
    const ns = this.ns();
    // The transport's clock starts when a datagram leaves (a query may wait
    // for room first): what is left of the try for a follow-up counts from there.
    this.#deadline = Math.max(this.#deadline, Math.ceil(performance.now() - response.rtt + this.span(ns)));
    if (protocol === "udp") this.#state |= GOT_SOMEWHERE;
    const message = this.decode(launched, response);
    if (message === undefined) {
      if (protocol === "tcp") {
        this.tcpErrno = undefined;
        this.endTry(0);
      }
      return;
    }
    if (protocol === "tcp") this.#rcodes = (this.#rcodes & RCODE_MASK) | (rcodeCode(message.rcode) << RCODE_BITS);
    else {
      if ((this.#rcodes & RCODE_MASK) === 0) this.#rcodes |= rcodeCode(message.rcode);
      if (FAILURE_RCODES.has(message.rcode) || isLame(message)) {
        this.trouble().failures.push(`${serverLabel(server)} udp: ${message.rcode}${FAILURE_RCODES.has(message.rcode) ? "" : " (lame: no records, neither AA nor RA)"}`);
        return;
      }
    }
    if (message.rcode === "FORMERR" && launched.edns && this.#ctx.conf.ednsFallback === true) {
      this.refuseEdns(ns, server);
      this.launch(ns, index, false);
      return;
    }
    if (protocol === "udp" && message.tc) {
      this.endTry(TRUNCATED);
      return;
    }
    (this.#results ??= new Array<undefined>(this.#count).fill(undefined))[index] = { question: launched.question, rcode: message.rcode, message, server, protocol, rtt: response.rtt };
    if (this.sequential() && index + 1 < this.#count) this.launch(ns, index + 1, this.edns(ns));
  }

  /** A failed exchange: a TransportError is that server's failure; anything else (an abort, a bug) ends the call. */
  private onError({ server, protocol, question }: Launched, error: unknown): void {
    if (!(error instanceof TransportError)) {
      this.stop(error);
      return;
    }
    this.trouble().failures.push(`${serverLabel(server)} ${protocol}: ${error.code}`);
    this.tracer?.({ kind: "error", name: question.name, type: question.type, server: serverLabel(server), protocol, error: `${error.code}: ${error.message}` });
    if (protocol === "tcp") {
      // A stream that never carried the answer (tcp.ts's limits) reads as a server that never answered.
      this.tcpErrno = error.code === "EOF" ? undefined : error.code === "EPROTO" ? "ETIMEDOUT" : error.code;
      this.endTry(0);
      return;
    }
    // EBADCOOKIE (udppool.ts): the server answered, as with SERVFAIL, so glibc's gotsomewhere.
    if (error.code === "ETIMEDOUT" || error.code === "EBADCOOKIE") this.#state |= GOT_SOMEWHERE;
  }

  /** Ends the call with an error once the current try is over. */
  private stop(error: unknown): void {
    if (!this.has(FATAL)) {
      this.#state |= FATAL;
      this.trouble().fatal = error;
    }
    if (this.has(IN_TRY)) this.endTry(0);
  }

  /** Ends the current try early (`TRUNCATED` or 0): its running exchanges are aborted; it is over when they have settled. */
  private endTry(why: number): void {
    if (this.has(ENDED)) return;
    this.#state |= ENDED | why;
    Launched.abortFrom(this.#launched);
  }

  /** Once the current try has no exchange running, decides what comes next. */
  private settleTry(): void {
    if (this.#running > 0 || !this.has(IN_TRY)) return;
    this.#state &= ~IN_TRY;
    this.#launched = undefined;
    const first = this.#rcodes & RCODE_MASK;
    if (!this.has(TCP) && first !== 0) this.#rcodes = first | (first << RCODE_BITS);
    if (this.has(FATAL)) {
      this.done();
      this.failed(this.#trouble!.fatal);
      return;
    }
    const ns = this.ns();
    if (this.has(TRUNCATED)) {
      this.note(`truncated answer from ${serverLabel(this.#ctx.servers[ns]!)}: asking it again over TCP`);
      this.#state |= TCP;
      this.startTry(ns);
    } else if (!this.has(ENDED) && this.#results !== undefined) this.finish(this.#results);
    else this.advance();
  }

  private finish(results: Array<QueryResult | undefined>): void {
    this.#results = results;
    this.done();
    // The caller's sink runs inside a transport's callback: a throw there
    // (a bug) must reach the caller, not become an unhandled rejection.
    try {
      this.sent(this);
    } catch (err) {
      this.failed(err);
    }
  }

  private done(): void {
    const { signal } = this;
    if (signal !== undefined) unwatchAbort(signal, this);
  }

  /** single-request(-reopen) over UDP: each question after the previous one was answered (the transport picks sockets, so the two are the same here). */
  private sequential(): boolean {
    return !this.has(TCP) && (this.#ctx.conf.singleRequest || this.#ctx.conf.singleRequestReopen);
  }

  private edns(ns: number): boolean {
    return this.#ctx.conf.edns0 && !this.has(1 << (NO_EDNS_SHIFT + ns));
  }

  private refuseEdns(ns: number, server: NameServer): void {
    this.#state |= 1 << (NO_EDNS_SHIFT + ns);
    this.note(`FORMERR to an EDNS0 query from ${serverLabel(server)}: asking again without EDNS0`);
  }

  /** Decodes a response; a malformed one is traced, counted as a failure and gives undefined. */
  private decode({ question, server }: Launched, response: TransportResponse): DnsMessage | undefined {
    const { protocol, rtt } = response;
    const tracer = this.tracer;
    let message: DnsMessage;
    try {
      message = response.decoded ?? decodeMessage(response.message);
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
      this.trouble().failures.push(`${serverLabel(server)} ${protocol}: ${err.message}`);
      tracer?.({ kind: "error", name: question.name, type: question.type, server: serverLabel(server), protocol, error: err.message });
      return undefined;
    }
    tracer?.({
      kind: "response",
      name: question.name,
      type: question.type,
      server: serverLabel(server),
      protocol,
      rtt,
      rcode: message.rcode,
      truncated: message.tc,
      answers: message.answers.length,
      records: tracedRecords(message),
    });
    return message;
  }

  private note(text: string): void {
    this.tracer?.({ kind: "note", text });
  }
}

/** A res_send call whose caller is a separate {@link SendSink}. */
class SinkRun extends SendRun {
  constructor(ctx: SendContext, readonly sink: SendSink) {
    super(ctx);
  }

  get signal(): AbortSignal | undefined {
    return this.sink.signal;
  }

  get tracer(): Tracer | undefined {
    return this.sink.tracer;
  }

  question(index: number): Question {
    return this.sink.question(index);
  }

  sent(outcome: SendOutcome): void {
    this.sink.sent(outcome);
  }

  failed(error: unknown): void {
    this.sink.failed(error);
  }

  run(count: number): void {
    this.send(count);
  }
}

/** glibc's "lame" test on the header: NOERROR, ANCOUNT and ARCOUNT 0 (an OPT record counts), neither AA nor RA. */
function isLame(message: DnsMessage): boolean {
  return message.rcode === "NOERROR" && message.counts[1] === 0 && message.counts[3] === 0 && !message.aa && !message.ra;
}
