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
 * - Over UDP, SERVFAIL, NOTIMP and REFUSED, a malformed response, a network
 *   error or silence until the deadline make that question fail at this
 *   server; so does a "lame" answer (NOERROR, no records, neither AA nor RA,
 *   empty additional section). If another question of the same try was
 *   answered, its answer stands alone and the failed question is dropped
 *   (glibc: one family's failure does not lose the other's answer; glibc
 *   first re-sends a timed-out pair up to twice in single-request modes, a
 *   retry skipped here). If nothing was answered, the next server is tried.
 * - FORMERR is an answer, as in glibc (NO_RECOVERY for the caller), except
 *   to a query with EDNS0: then the same server is asked again at once
 *   without the OPT record, and not sent EDNS0 again in this call (glibc
 *   has no such retry; the issue asks for it).
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
 * `T` alone with `use-vc`.
 */
import { randomInt } from "node:crypto";
import type { NameServer, Protocol, Question, ResolvConf, Tracer, Transport, TransportResponse } from "../types.js";
import { DEFAULT_NAMESERVER, MAX_NAMESERVERS } from "../files/resolvconf.js";
import { MalformedMessageError, TransportError } from "./errors.js";
import { decodeMessage, encodeQuery, type DnsMessage } from "./message.js";

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

/** `address:port` text of a server, brackets around IPv6 addresses. */
export function serverLabel(server: NameServer): string {
  const host = server.scope === undefined ? server.address : `${server.address}%${server.scope}`;
  return server.family === 6 ? `[${host}]:${server.port}` : `${host}:${server.port}`;
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

/** Runs `res_send` for `questions`; see the module comment. Rejects only on abort or on a non-transport error. */
export async function resSend(questions: Question[], ctx: SendContext): Promise<SendOutcome> {
  const servers = effectiveServers(ctx.conf);
  const run = new SendRun(questions, ctx, servers);
  return run.run();
}

type QuestionState = { kind: "pending" } | { kind: "answered"; result: QueryResult } | { kind: "failed" };

type TryOutcome = { kind: "answered"; results: Array<QueryResult | undefined> } | { kind: "failed" } | { kind: "truncated" };

interface Launched {
  index: number;
  edns: boolean;
  promise: Promise<TransportResponse>;
}

type Arrival = { launched: Launched; response: TransportResponse } | { launched: Launched; error: unknown };

class SendRun {
  readonly #questions: Question[];
  readonly #ctx: SendContext;
  readonly #servers: NameServer[];
  readonly #noEdns = new Set<number>();
  #tcp: boolean;
  #gotSomewhere = false;
  #lastRcode: string | undefined;
  // glibc starts its TCP errno at ETIMEDOUT.
  #tcpErrno: string | undefined = "ETIMEDOUT";
  readonly #failures: string[] = [];

  constructor(questions: Question[], ctx: SendContext, servers: NameServer[]) {
    this.#questions = questions;
    this.#ctx = ctx;
    this.#servers = servers;
    this.#tcp = ctx.conf.useVc;
  }

  async run(): Promise<SendOutcome> {
    const n = this.#servers.length;
    const offset = this.#ctx.conf.rotate && n > 1 ? this.#ctx.rotation(n) % n : 0;
    for (let round = 0; round < this.#ctx.conf.attempts; round++) {
      for (let shift = 0; shift < n; shift++) {
        const ns = (shift + offset) % n;
        let outcome = this.#tcp ? await this.#tryTcp(ns) : await this.#tryUdp(ns);
        if (outcome.kind === "truncated") {
          this.#note(`truncated answer from ${serverLabel(this.#servers[ns]!)}: asking it again over TCP`);
          this.#tcp = true;
          outcome = await this.#tryTcp(ns);
        }
        if (outcome.kind === "answered") return this.#outcome(outcome.results);
      }
      // Once on TCP, glibc finishes the current round and stops.
      if (this.#tcp) break;
    }
    return this.#outcome(this.#questions.map(() => undefined));
  }

  #outcome(results: Array<QueryResult | undefined>): SendOutcome {
    const answered = results.some((r) => r !== undefined);
    let errno: string | undefined;
    if (!answered) errno = this.#tcp ? this.#tcpErrno : this.#gotSomewhere ? "ETIMEDOUT" : "ECONNREFUSED";
    return { results, servers: this.#servers.map(serverLabel), lastRcode: this.#lastRcode, errno, failures: this.#failures };
  }

  /** One UDP try of server `ns`: all questions, one shared deadline. */
  async #tryUdp(ns: number): Promise<TryOutcome> {
    const server = this.#servers[ns]!;
    const deadline = performance.now() + tryTimeout(this.#ctx.conf.timeout, ns, this.#servers.length);
    const sequential = this.#ctx.conf.singleRequest || this.#ctx.conf.singleRequestReopen;
    const states: QuestionState[] = this.#questions.map(() => ({ kind: "pending" }));
    let firstRcode: string | undefined;

    const outcome = await this.#withExchanges(async (launch, next) => {
      const start = (index: number, edns: boolean): void => launch(index, server, "udp", edns, deadline - performance.now());
      if (sequential) start(0, this.#edns(ns));
      else this.#questions.forEach((_, i) => start(i, this.#edns(ns)));

      for (let arrival = await next(); arrival !== undefined; arrival = await next()) {
        const { index, edns } = arrival.launched;
        if ("error" in arrival) {
          const error = this.#exchangeError(arrival, server, "udp");
          if (error.code === "ETIMEDOUT") this.#gotSomewhere = true;
          states[index] = { kind: "failed" };
          continue;
        }
        this.#gotSomewhere = true;
        const message = this.#decode(arrival, server);
        if (message === undefined) {
          states[index] = { kind: "failed" };
          continue;
        }
        firstRcode ??= message.rcode;
        if (FAILURE_RCODES.has(message.rcode) || isLame(message)) {
          this.#failures.push(`${serverLabel(server)} udp: ${message.rcode}${FAILURE_RCODES.has(message.rcode) ? "" : " (lame: no records, neither AA nor RA)"}`);
          states[index] = { kind: "failed" };
          continue;
        }
        if (message.rcode === "FORMERR" && edns) {
          this.#refuseEdns(ns, server);
          start(index, false);
          continue;
        }
        if (message.tc) return { kind: "truncated" } as const;
        states[index] = { kind: "answered", result: this.#result(index, message, server, arrival.response) };
        if (sequential && index + 1 < this.#questions.length) start(index + 1, this.#edns(ns));
      }
      return undefined;
    });
    if (firstRcode !== undefined) this.#lastRcode = firstRcode;
    return outcome ?? settle(states);
  }

  /** One TCP try of server `ns`: every question must get a well-formed response. */
  async #tryTcp(ns: number): Promise<TryOutcome> {
    const server = this.#servers[ns]!;
    const deadline = performance.now() + tryTimeout(this.#ctx.conf.timeout, ns, this.#servers.length);
    const states: QuestionState[] = this.#questions.map(() => ({ kind: "pending" }));

    const failed = await this.#withExchanges(async (launch, next) => {
      const start = (index: number, edns: boolean): void => launch(index, server, "tcp", edns, deadline - performance.now());
      this.#questions.forEach((_, i) => start(i, this.#edns(ns)));
      for (let arrival = await next(); arrival !== undefined; arrival = await next()) {
        const { index, edns } = arrival.launched;
        if ("error" in arrival) {
          const error = this.#exchangeError(arrival, server, "tcp");
          this.#tcpErrno = error.code === "EOF" ? undefined : error.code;
          return true;
        }
        const message = this.#decode(arrival, server);
        if (message === undefined) {
          this.#tcpErrno = undefined;
          return true;
        }
        this.#lastRcode = message.rcode;
        if (message.rcode === "FORMERR" && edns) {
          this.#refuseEdns(ns, server);
          start(index, false);
          continue;
        }
        states[index] = { kind: "answered", result: this.#result(index, message, server, arrival.response) };
      }
      return false;
    });
    return failed ? { kind: "failed" } : settle(states);
  }

  /**
   * Runs `body` with a way to launch exchanges and to take their results
   * in arrival order (`next()` gives undefined once none is pending). When
   * `body` is done, for whatever reason, exchanges still running are
   * aborted and awaited, so no socket outlives the try.
   */
  async #withExchanges<T>(
    body: (
      launch: (index: number, server: NameServer, protocol: Protocol, edns: boolean, timeout: number) => void,
      next: () => Promise<Arrival | undefined>,
    ) => Promise<T>,
  ): Promise<T> {
    const { signal } = this.#ctx;
    signal?.throwIfAborted();
    const controller = new AbortController();
    const forward = (): void => controller.abort(signal!.reason);
    signal?.addEventListener("abort", forward, { once: true });

    const running = new Set<Promise<unknown>>();
    const arrived: Arrival[] = [];
    let wake: (() => void) | undefined;

    const launch = (index: number, server: NameServer, protocol: Protocol, edns: boolean, timeout: number): void => {
      const question = this.#questions[index]!;
      const id = randomId();
      const message = encodeQuery(question, { id, edns0: edns, authenticData: this.#ctx.conf.trustAd });
      this.#ctx.tracer?.({ kind: "query", name: question.name, type: question.type, server: serverLabel(server), protocol, edns });
      const launched: Launched = {
        index,
        edns,
        promise: this.#ctx.transport.exchange({ server, protocol, message, id, question, timeout: Math.max(0, timeout), signal: controller.signal }),
      };
      const done = launched.promise.then(
        (response) => arrived.push({ launched, response }),
        (error: unknown) => arrived.push({ launched, error }),
      );
      running.add(done);
      void done.then(() => {
        running.delete(done);
        wake?.();
      });
    };
    const next = async (): Promise<Arrival | undefined> => {
      while (arrived.length === 0) {
        if (running.size === 0) return undefined;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const arrival = arrived.shift()!;
      if ("error" in arrival && !(arrival.error instanceof TransportError)) throw arrival.error;
      return arrival;
    };

    try {
      return await body(launch, next);
    } finally {
      controller.abort(new Error("try finished"));
      await Promise.all(running);
      signal?.removeEventListener("abort", forward);
    }
  }

  #edns(ns: number): boolean {
    return this.#ctx.conf.edns0 && !this.#noEdns.has(ns);
  }

  #refuseEdns(ns: number, server: NameServer): void {
    this.#noEdns.add(ns);
    this.#note(`FORMERR to an EDNS0 query from ${serverLabel(server)}: asking again without EDNS0`);
  }

  #exchangeError(arrival: Arrival & { error: unknown }, server: NameServer, protocol: Protocol): TransportError {
    const error = arrival.error as TransportError;
    const question = this.#questions[arrival.launched.index]!;
    this.#failures.push(`${serverLabel(server)} ${protocol}: ${error.code}`);
    this.#ctx.tracer?.({ kind: "error", name: question.name, type: question.type, server: serverLabel(server), protocol, error: `${error.code}: ${error.message}` });
    return error;
  }

  /** Decodes a response; a malformed one is traced, counted as a failure and gives undefined. */
  #decode(arrival: Arrival & { response: TransportResponse }, server: NameServer): DnsMessage | undefined {
    const question = this.#questions[arrival.launched.index]!;
    const { protocol, rtt } = arrival.response;
    let message: DnsMessage;
    try {
      message = arrival.response.decoded ?? decodeMessage(arrival.response.message);
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
      this.#failures.push(`${serverLabel(server)} ${protocol}: ${err.message}`);
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
    });
    return message;
  }

  #result(index: number, message: DnsMessage, server: NameServer, response: TransportResponse): QueryResult {
    return { question: this.#questions[index]!, rcode: message.rcode, message, server, protocol: response.protocol, rtt: response.rtt };
  }

  #note(text: string): void {
    this.#ctx.tracer?.({ kind: "note", text });
  }
}

/** glibc's "lame" test: NOERROR, no answer, neither AA nor RA, no additional records (OPT counts). */
function isLame(message: DnsMessage): boolean {
  return (
    message.rcode === "NOERROR" &&
    message.answers.length === 0 &&
    !message.aa &&
    !message.ra &&
    message.additionals.length === 0 &&
    message.edns === undefined
  );
}

/** The end of a try without truncation: answered if any question was. */
function settle(states: QuestionState[]): TryOutcome {
  if (!states.some((s) => s.kind === "answered")) return { kind: "failed" };
  return { kind: "answered", results: states.map((s) => (s.kind === "answered" ? s.result : undefined)) };
}
