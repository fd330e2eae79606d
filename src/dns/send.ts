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
import { randomInt } from "../builtins.js";
import type { Protocol, Question } from "./question.js";
import { startExchange, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "./transport/transport.js";
import type { NameServer } from "./server.js";
import type { ResolvConf } from "../files/resolvconf.js";
import type { Tracer } from "../trace.js";
import { DEFAULT_NAMESERVER, MAX_NAMESERVERS } from "../files/resolvconf.js";
import { unwatchAbort, watchAbort } from "./abort.js";
import { Cancellation } from "./cancel.js";
import { MalformedMessageError, TransportError } from "./errors.js";
import { decodeMessage, encodeQuery, type DnsMessage } from "./message.js";
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

/** What one `res_send` call needs. */
export interface SendContext {
  conf: ResolvConf;
  transport: Transport;
  signal?: AbortSignal;
  tracer?: Tracer;
  /** Start offset for `rotate`, given the number of servers. */
  rotation: (servers: number) => number;
}

/** The result of one `res_send` call. */
export interface SendOutcome {
  /** Per question, in order: its answer, or undefined when it got none. */
  results: Array<QueryResult | undefined>;
  /** The servers in resolv.conf order, as `address:port`. */
  servers: string[];
  /** See {@link DnsError.lastRcode}. */
  lastRcode: string | undefined;
  /** See {@link DnsError.errno}; undefined when something was answered. */
  errno: string | undefined;
  /** One line per failed exchange. */
  failures: string[];
}

/**
 * The servers glibc would use: the first three, or 127.0.0.1 when there are
 * none. parseResolvConf already applies both rules; a ResolvConf built
 * another way (a Resolver's `nameservers` option) may not.
 */
export function effectiveServers(conf: ResolvConf): NameServer[] {
  return conf.nameservers.length === 0 ? [DEFAULT_NAMESERVER] : conf.nameservers.slice(0, MAX_NAMESERVERS);
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
  return randomInt(0, 0x10000);
}

const FAILURE_RCODES = new Set(["SERVFAIL", "NOTIMP", "REFUSED"]);

/**
 * Runs `res_send` for `questions` (see the module comment), reporting to
 * callbacks, exactly one of them once: `reject` only on abort or on a
 * non-transport error. Callbacks, not a promise: the DNS client makes the
 * call's one promise (docs/internal-contracts.md, "Hot paths").
 */
export function sendQuestions(questions: Question[], ctx: SendContext, resolve: (outcome: SendOutcome) => void, reject: (err: unknown) => void): void {
  const { signal } = ctx;
  if (signal?.aborted) reject(signal.reason);
  else new SendRun(questions, ctx, effectiveServers(ctx.conf), resolve, reject);
}

type QuestionState = { kind: "pending" } | { kind: "answered"; result: QueryResult } | { kind: "failed" };
const PENDING: QuestionState = { kind: "pending" };
const FAILED: QuestionState = { kind: "failed" };

/** How a try ended: something answered, nothing did, or a truncated answer sends it to TCP. */
type TryOutcome = { kind: "answered"; results: Array<QueryResult | undefined> } | { kind: "failed" } | { kind: "truncated" };
const FAILED_TRY: TryOutcome = { kind: "failed" };
const TRUNCATED: TryOutcome = { kind: "truncated" };

/** One exchange of a try: which question, whether it carried EDNS0, and the sink its transport reports to. */
class Launched implements ExchangeSink {
  constructor(readonly run: SendRun, readonly t: Try, readonly index: number, readonly edns: boolean) {}

  answered(response: TransportResponse): void {
    this.run.settled(this.t, this, true, response);
  }

  failed(error: unknown): void {
    this.run.settled(this.t, this, false, error);
  }
}

/**
 * One try: the questions sent to one server under one deadline, over one
 * protocol. Its exchanges share a {@link Cancellation}, which ends those
 * still running when the try is over early; the try itself is over only
 * once every exchange has settled, so no socket outlives it.
 */
interface Try {
  ns: number;
  server: NameServer;
  protocol: Protocol;
  /** How long the try may take, from when its first datagram left. */
  span: number;
  /** When it is over: `span` after its start, then after its first datagram left once a response says when that was. */
  deadline: number;
  states: QuestionState[];
  cancel: Cancellation;
  /** Exchanges not settled yet. */
  running: number;
  /** Set when the try ended before its exchanges did (truncation, a failed TCP exchange, an abort). */
  ended: TryOutcome | undefined;
  /** The RCODE of the first response (UDP): glibc's last RCODE after the try. */
  firstRcode: string | undefined;
}

/**
 * One res_send call, driven by the arrival of responses: each try launches
 * its exchanges, each settled exchange is read as glibc reads it
 * (`#onResponse`, `#onError`), and when a try is over the next one starts
 * or the call settles. Callbacks rather than async functions
 * (docs/internal-contracts.md, "Hot paths").
 */
class SendRun {
  readonly #questions: Question[];
  readonly #ctx: SendContext;
  readonly #servers: NameServer[];
  readonly #resolve: (outcome: SendOutcome) => void;
  readonly #reject: (err: unknown) => void;
  /** Servers that answered FORMERR to EDNS0, by index. */
  #noEdns: Set<number> | undefined;
  #tcp: boolean;
  #gotSomewhere = false;
  #lastRcode: string | undefined;
  // glibc starts its TCP errno at ETIMEDOUT.
  #tcpErrno: string | undefined = "ETIMEDOUT";
  /** One line per failed exchange (made on the first). */
  #failures: string[] | undefined;
  /** Position in the rounds over the servers. */
  #round = 0;
  #shift = 0;
  readonly #offset: number;
  #try: Try | undefined;
  /** An abort or a bug: the call rejects with it once the current try is over. */
  #fatal: { error: unknown } | undefined;
  readonly #onAbort: (() => void) | undefined;

  constructor(questions: Question[], ctx: SendContext, servers: NameServer[], resolve: (outcome: SendOutcome) => void, reject: (err: unknown) => void) {
    this.#questions = questions;
    this.#ctx = ctx;
    this.#servers = servers;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#tcp = ctx.conf.useVc;
    const n = servers.length;
    this.#offset = ctx.conf.rotate && n > 1 ? ctx.rotation(n) % n : 0;
    const { signal } = ctx;
    if (signal !== undefined) {
      this.#onAbort = () => this.#stop({ error: signal.reason });
      watchAbort(signal, this.#onAbort);
    }
    this.#nextTry();
  }

  /** Starts the try at the current position, or settles when the rounds are over. */
  #nextTry(): void {
    if (this.#round >= this.#ctx.conf.attempts) {
      this.#finish(this.#questions.map(() => undefined));
      return;
    }
    this.#startTry((this.#shift + this.#offset) % this.#servers.length, this.#tcp ? "tcp" : "udp");
  }

  /** The try after a failed one: next server, next round; once on TCP, glibc ends with the current round. */
  #advance(): void {
    if (++this.#shift === this.#servers.length) {
      this.#shift = 0;
      this.#round = this.#tcp ? this.#ctx.conf.attempts : this.#round + 1;
    }
    this.#nextTry();
  }

  #startTry(ns: number, protocol: Protocol): void {
    const span = tryTimeout(this.#ctx.conf.timeout, ns, this.#servers.length);
    const t: Try = {
      ns,
      server: this.#servers[ns]!,
      protocol,
      span,
      deadline: performance.now() + span,
      states: this.#questions.map(() => PENDING),
      cancel: new Cancellation(),
      running: 0,
      ended: undefined,
      firstRcode: undefined,
    };
    this.#try = t;
    const count = this.#sequential(protocol) ? 1 : this.#questions.length;
    for (let i = 0; i < count && t.ended === undefined; i++) this.#launch(t, i, this.#edns(ns));
    this.#settleTry(t);
  }

  /** Sends question `index` of try `t` (with EDNS0 or not) under the try's deadline. */
  #launch(t: Try, index: number, edns: boolean): void {
    const question = this.#questions[index]!;
    const { conf, tracer, transport } = this.#ctx;
    const { server, protocol } = t;
    let request: TransportRequest;
    try {
      const id = randomId();
      const message = encodeQuery(question, { id, edns0: edns, authenticData: conf.trustAd, ...(conf.ednsPayloadSize === undefined ? {} : { ednsPayloadSize: conf.ednsPayloadSize }) });
      tracer?.({ kind: "query", name: question.name, type: question.type, server: serverLabel(server), protocol, edns });
      const timeout = Math.max(0, t.deadline - performance.now());
      request = { server, protocol, message, id, question, timeout, signal: t.cancel };
    } catch (err) {
      this.#stop({ error: err });
      return;
    }
    t.running++;
    startExchange(transport, request, new Launched(this, t, index, edns));
  }

  /** One exchange of try `t` settled: read what it gave, then see whether the try is over. */
  settled(t: Try, launched: Launched, answered: boolean, value: unknown): void {
    t.running--;
    // This may run in a promise reaction whose own promise has no handler
    // (startExchange over a transport without `send`): anything thrown here
    // (a decoder that cannot load, a bug) must end this res_send with that
    // error, not vanish and leave the lookup pending.
    try {
      if (t.ended === undefined) {
        if (answered) this.#onResponse(t, launched, value as TransportResponse);
        else this.#onError(t, launched, value);
      }
    } catch (err) {
      this.#stop({ error: err });
    }
    this.#settleTry(t);
  }

  /** A response to one exchange of try `t`, read as glibc's send_dg or send_vc reads it. */
  #onResponse(t: Try, { index, edns }: Launched, response: TransportResponse): void {
    const { server, protocol } = t;
    // The transport's clock starts when a datagram leaves (a query may wait
    // for room first): what is left of the try for a follow-up counts from there.
    t.deadline = Math.max(t.deadline, performance.now() - response.rtt + t.span);
    if (protocol === "udp") this.#gotSomewhere = true;
    const message = this.#decode(index, response, server);
    if (message === undefined) {
      if (protocol === "tcp") {
        this.#tcpErrno = undefined;
        this.#endTry(t, FAILED_TRY);
      } else t.states[index] = FAILED;
      return;
    }
    if (protocol === "tcp") this.#lastRcode = message.rcode;
    else {
      t.firstRcode ??= message.rcode;
      if (FAILURE_RCODES.has(message.rcode) || isLame(message)) {
        (this.#failures ??= []).push(`${serverLabel(server)} udp: ${message.rcode}${FAILURE_RCODES.has(message.rcode) ? "" : " (lame: no records, neither AA nor RA)"}`);
        t.states[index] = FAILED;
        return;
      }
    }
    if (message.rcode === "FORMERR" && edns && this.#ctx.conf.ednsFallback === true) {
      this.#refuseEdns(t.ns, server);
      this.#launch(t, index, false);
      return;
    }
    if (protocol === "udp" && message.tc) {
      this.#endTry(t, TRUNCATED);
      return;
    }
    t.states[index] = { kind: "answered", result: { question: this.#questions[index]!, rcode: message.rcode, message, server, protocol, rtt: response.rtt } };
    if (this.#sequential(protocol) && index + 1 < this.#questions.length) this.#launch(t, index + 1, this.#edns(t.ns));
  }

  /** A failed exchange of try `t`: a TransportError is that server's failure; anything else (an abort, a bug) ends the call. */
  #onError(t: Try, { index }: Launched, error: unknown): void {
    if (!(error instanceof TransportError)) {
      this.#stop({ error });
      return;
    }
    const { server, protocol } = t;
    const question = this.#questions[index]!;
    (this.#failures ??= []).push(`${serverLabel(server)} ${protocol}: ${error.code}`);
    this.#ctx.tracer?.({ kind: "error", name: question.name, type: question.type, server: serverLabel(server), protocol, error: `${error.code}: ${error.message}` });
    if (protocol === "tcp") {
      // A stream that never carried the answer (tcp.ts's limits) reads as a server that never answered.
      this.#tcpErrno = error.code === "EOF" ? undefined : error.code === "EPROTO" ? "ETIMEDOUT" : error.code;
      this.#endTry(t, FAILED_TRY);
      return;
    }
    // EBADCOOKIE (udppool.ts): the server answered, as with SERVFAIL, so glibc's gotsomewhere.
    if (error.code === "ETIMEDOUT" || error.code === "EBADCOOKIE") this.#gotSomewhere = true;
    t.states[index] = FAILED;
  }

  /** Ends the call with an error once the current try is over. */
  #stop(fatal: { error: unknown }): void {
    this.#fatal ??= fatal;
    const t = this.#try;
    if (t !== undefined) this.#endTry(t, FAILED_TRY);
  }

  /** Ends try `t` early: its running exchanges are aborted; it is over when they have settled. */
  #endTry(t: Try, outcome: TryOutcome): void {
    if (t.ended !== undefined) return;
    t.ended = outcome;
    if (t.running > 0) t.cancel.abort(new Error("try finished"));
  }

  /** Once try `t` has no exchange running, decides what comes next. */
  #settleTry(t: Try): void {
    if (t.running > 0 || this.#try !== t) return;
    this.#try = undefined;
    if (t.protocol === "udp" && t.firstRcode !== undefined) this.#lastRcode = t.firstRcode;
    if (this.#fatal !== undefined) {
      this.#done();
      this.#reject(this.#fatal.error);
      return;
    }
    const outcome = t.ended ?? settle(t.states);
    if (outcome.kind === "answered") this.#finish(outcome.results);
    else if (outcome.kind === "truncated") {
      this.#note(`truncated answer from ${serverLabel(t.server)}: asking it again over TCP`);
      this.#tcp = true;
      this.#startTry(t.ns, "tcp");
    } else this.#advance();
  }

  #finish(results: Array<QueryResult | undefined>): void {
    const answered = results.some((r) => r !== undefined);
    let errno: string | undefined;
    if (!answered) errno = this.#tcp ? this.#tcpErrno : this.#gotSomewhere ? "ETIMEDOUT" : "ECONNREFUSED";
    this.#done();
    const outcome: SendOutcome = { results, servers: this.#servers.map(serverLabel), lastRcode: this.#lastRcode, errno, failures: this.#failures ?? [] };
    // The caller's callback runs inside a transport's promise reaction: a
    // throw there (a bug) must reach the caller, not become an unhandled rejection.
    try {
      this.#resolve(outcome);
    } catch (err) {
      this.#reject(err);
    }
  }

  #done(): void {
    if (this.#onAbort !== undefined) unwatchAbort(this.#ctx.signal!, this.#onAbort);
  }

  /** single-request(-reopen) over UDP: each question after the previous one was answered (the transport picks sockets, so the two are the same here). */
  #sequential(protocol: Protocol): boolean {
    return protocol === "udp" && (this.#ctx.conf.singleRequest || this.#ctx.conf.singleRequestReopen);
  }

  #edns(ns: number): boolean {
    return this.#ctx.conf.edns0 && this.#noEdns?.has(ns) !== true;
  }

  #refuseEdns(ns: number, server: NameServer): void {
    (this.#noEdns ??= new Set()).add(ns);
    this.#note(`FORMERR to an EDNS0 query from ${serverLabel(server)}: asking again without EDNS0`);
  }

  /** Decodes a response; a malformed one is traced, counted as a failure and gives undefined. */
  #decode(index: number, response: TransportResponse, server: NameServer): DnsMessage | undefined {
    const question = this.#questions[index]!;
    const { protocol, rtt } = response;
    let message: DnsMessage;
    try {
      message = response.decoded ?? decodeMessage(response.message);
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
      (this.#failures ??= []).push(`${serverLabel(server)} ${protocol}: ${err.message}`);
      this.#ctx.tracer?.({ kind: "error", name: question.name, type: question.type, server: serverLabel(server), protocol, error: err.message });
      return undefined;
    }
    this.#ctx.tracer?.({
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

  #note(text: string): void {
    this.#ctx.tracer?.({ kind: "note", text });
  }
}

/** glibc's "lame" test on the header: NOERROR, ANCOUNT and ARCOUNT 0 (an OPT record counts), neither AA nor RA. */
function isLame(message: DnsMessage): boolean {
  return message.rcode === "NOERROR" && message.counts[1] === 0 && message.counts[3] === 0 && !message.aa && !message.ra;
}

/** The end of a try without truncation: answered if any question was. */
function settle(states: QuestionState[]): TryOutcome {
  if (!states.some((s) => s.kind === "answered")) return FAILED_TRY;
  return { kind: "answered", results: states.map((s) => (s.kind === "answered" ? s.result : undefined)) };
}
