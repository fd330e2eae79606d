/**
 * The fault transport: a flaky network, reproduced exactly. It wraps any
 * transport (a zone, a replayed world, real sockets) and, for the queries
 * its rules match, does what a bad network or server does instead of
 * passing them on: drops them (the try times out), delays them, answers
 * SERVFAIL, REFUSED or FORMERR, truncates UDP answers so the client
 * retries over TCP, behaves as a server with nothing on UDP (ECONNREFUSED)
 * that answers over TCP, or lets the first query of each question time
 * out so the next server (or the next try) answers. A rule may apply to a
 * fraction of the queries it matches. Each query's draw is a function of
 * the seed and of the query itself (rule, name, type, server, protocol,
 * and how many times that same query came before), not of the order in
 * which concurrent lookups happen to send their queries, so the same test
 * meets the same faults on every run, however loaded the machine. The faults mirror the test server's
 * misbehaviours (test/support/dnsserver.ts) without a socket.
 */
import type { Protocol } from "../dns/question.js";
import { answerLater, exchangeBySend, failLater, startExchange, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "../dns/transport/transport.js";
import { Random } from "./random.js";
import { SERVER_UDP_PAYLOAD } from "../zone/respond.js";
import { encodeResponse } from "../zone/wire.js";
import { TransportError } from "../dns/errors.js";
import { decodeMessage } from "../dns/message.js";
import { serverLabel } from "../dns/server.js";
import { InFlight, runExchangeTo } from "../dns/transport/deadline.js";

/** What happens to a query a rule applies to. */
export type Fault =
  /** No answer: the try times out. */
  | { kind: "drop" }
  /** The answer comes after `ms` milliseconds (a timeout if that is longer than the try's). */
  | { kind: "delay"; ms: number }
  /** This RCODE and no records. */
  | { kind: "rcode"; rcode: "SERVFAIL" | "REFUSED" | "FORMERR" }
  /** Over UDP, TC set and every section empty (as Knot truncates); over TCP, the answer. */
  | { kind: "truncate" }
  /** A server that answers only over TCP: UDP is refused (ECONNREFUSED, nothing listens there). */
  | { kind: "tcp-only" }
  /** The first query of each question times out; the next one (the next server, or the next try) is answered. */
  | { kind: "failover" };

/** Which queries a fault applies to; every field given must match. */
export interface FaultRule {
  fault: Fault;
  /** Query names (case-insensitive, trailing dot optional); every name if absent. */
  name?: string | readonly string[];
  /** Record type (`"AAAA"`). */
  type?: string;
  protocol?: Protocol;
  /** The server asked, as `address:port` (`[::1]:53` for IPv6). */
  server?: string;
  /** The share of matching queries the fault applies to, drawn from the seed (default 1: all). */
  fraction?: number;
  /** Apply to at most this many queries. */
  times?: number;
}

/** How a {@link FaultTransport} decides. */
export interface FaultOptions {
  /** The seed of the draws for `fraction` (default 1); see the file comment. */
  seed?: number;
  /** The first rule that matches a query (in this order) decides. */
  rules: readonly FaultRule[];
}

/** One query a fault was applied to. */
export interface AppliedFault {
  name: string;
  type: string;
  server: string;
  protocol: Protocol;
  fault: Fault;
}

interface LiveRule {
  rule: FaultRule;
  names: Set<string> | undefined;
  used: number;
}

/** Applies faults to the queries of an inner transport; see the file comment. */
export class FaultTransport implements Transport {
  readonly #inner: Transport;
  readonly #rules: LiveRule[];
  readonly #seed: number;
  /** How many draws each query (rule, name, type, server, protocol) has had. */
  readonly #drawn = new Map<string, number>();
  readonly #inFlight = new InFlight();
  /** Questions that have had their first query, for `failover`. */
  readonly #asked = new Set<string>();
  readonly #applied: AppliedFault[] = [];

  constructor(inner: Transport, options: FaultOptions) {
    this.#inner = inner;
    this.#seed = (options.seed ?? 1) >>> 0;
    this.#rules = options.rules.map((rule) => ({ rule: checkedRule(rule), names: namesOf(rule.name), used: 0 }));
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    let fault: Fault | undefined;
    try {
      fault = this.#faultFor(request);
      if (fault === undefined) return startExchange(this.#inner, request, sink);
      this.#applied.push({ name: request.question.name, type: request.question.type, server: serverLabel(request.server), protocol: request.protocol, fault });
      this.#apply(fault, request, sink);
    } catch (err) {
      // A query that does not decode fails, as every transport's failures do.
      failLater(sink, err);
    }
  }

  #apply(fault: Fault, request: TransportRequest, sink: ExchangeSink): void {
    switch (fault.kind) {
      case "drop":
        return this.#silence(request, sink);
      case "delay":
        return this.#later(request, fault.ms, sink);
      case "rcode":
        return answerLater(sink, synthesized(request, fault.rcode, false));
      case "truncate":
        if (request.protocol === "udp") return answerLater(sink, synthesized(request, "NOERROR", true));
        return startExchange(this.#inner, request, sink);
      case "tcp-only":
        if (request.protocol === "tcp") return startExchange(this.#inner, request, sink);
        return failLater(sink, new TransportError("ECONNREFUSED", "connection refused (fault: no UDP listener)", request.server, request.protocol));
      case "failover":
        return this.#silence(request, sink);
    }
  }

  /** Every query a fault was applied to, in order. */
  applied(): AppliedFault[] {
    return [...this.#applied];
  }

  /** Ends the exchanges it holds (drops, delays), then closes the inner transport. */
  async close(): Promise<void> {
    await this.#inFlight.abortAll(new Error("FaultTransport closed"));
    await this.#inner.close();
  }

  #faultFor(request: TransportRequest): Fault | undefined {
    const { question } = request;
    const name = question.name.replace(/\.$/, "").toLowerCase();
    const key = `${name} ${question.type.toUpperCase()}`;
    const first = !this.#asked.has(key);
    this.#asked.add(key);
    for (const [index, live] of this.#rules.entries()) {
      const { rule } = live;
      if (rule.times !== undefined && live.used >= rule.times) continue;
      if (live.names !== undefined && !live.names.has(name)) continue;
      if (rule.type !== undefined && rule.type.toUpperCase() !== question.type.toUpperCase()) continue;
      if (rule.protocol !== undefined && rule.protocol !== request.protocol) continue;
      if (rule.server !== undefined && rule.server !== serverLabel(request.server)) continue;
      if (rule.fault.kind === "failover" && !first) continue;
      if (rule.fraction !== undefined && rule.fraction < 1 && this.#draw(`${index} ${key} ${serverLabel(request.server)} ${request.protocol}`) >= rule.fraction) continue;
      live.used++;
      return rule.fault;
    }
    return undefined;
  }

  /** The draw, in [0, 1), of the next query that is `query`. */
  #draw(query: string): number {
    const n = this.#drawn.get(query) ?? 0;
    this.#drawn.set(query, n + 1);
    return Random.forCase(this.#seed ^ fnv1a(query), n).next();
  }

  /** An exchange that never gets an answer: it ends at its timeout or abort. */
  #silence(request: TransportRequest, sink: ExchangeSink): void {
    runExchangeTo<TransportResponse>(request, () => ({ close: (done) => done() }), sink, this.#inFlight);
  }

  /** The inner transport's answer, `ms` later (unless the try's timeout or an abort comes first). */
  #later(request: TransportRequest, ms: number, sink: ExchangeSink): void {
    runExchangeTo<TransportResponse>(
      request,
      (finish) => {
        const timer = setTimeout(() => {
          startExchange(this.#inner, request, { answered: (value) => finish({ value }), failed: (error) => finish({ error }) });
        }, ms);
        return {
          close: (done) => {
            clearTimeout(timer);
            done();
          },
        };
      },
      sink,
      this.#inFlight,
    );
  }
}

const KINDS = new Set(["drop", "delay", "rcode", "truncate", "tcp-only", "failover"]);
const RCODES = new Set(["SERVFAIL", "REFUSED", "FORMERR"]);

/** `rule`, or a TypeError saying what in it cannot be applied. */
function checkedRule(rule: FaultRule): FaultRule {
  const fault = rule?.fault as Partial<Record<string, unknown>> | undefined;
  const fail = (what: string): never => {
    throw new TypeError(`fault rule ${JSON.stringify(rule)}: ${what}`);
  };
  if (typeof fault !== "object" || fault === null || !KINDS.has(fault.kind as string)) fail(`fault.kind must be one of ${[...KINDS].join(", ")}`);
  if (fault!.kind === "delay" && !(typeof fault!.ms === "number" && fault!.ms >= 0)) fail("a delay needs ms >= 0");
  if (fault!.kind === "rcode" && !RCODES.has(fault!.rcode as string)) fail(`rcode must be one of ${[...RCODES].join(", ")}`);
  if (rule.fraction !== undefined && !(rule.fraction >= 0 && rule.fraction <= 1)) fail("fraction must be between 0 and 1");
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0)) fail("times must be a whole number");
  return rule;
}

/** The 32-bit FNV-1a hash of a text's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function namesOf(name: FaultRule["name"]): Set<string> | undefined {
  if (name === undefined) return undefined;
  return new Set((typeof name === "string" ? [name] : name).map((n) => n.replace(/\.$/, "").toLowerCase()));
}

/** A response made up for the query: `rcode` and no records, or an empty truncated one. */
function synthesized(request: TransportRequest, rcode: string, tc: boolean): TransportResponse {
  const query = decodeMessage(request.message);
  const question = query.questions[0];
  const message = encodeResponse({
    id: query.id,
    rd: query.rd,
    ra: !tc,
    aa: tc,
    tc,
    rcode,
    ...(question && { question }),
    ...(query.edns && { edns: { udpPayloadSize: SERVER_UDP_PAYLOAD } }),
  });
  return { message, protocol: request.protocol, rtt: 0 };
}
