/**
 * The DNS stub resolver client: glibc's res_send, res_query and res_search
 * over a {@link Transport}, without blocking a thread. The rules are in
 * send.ts (servers, tries, timeouts, TCP, EDNS0), query.ts (when a query
 * succeeds) and search.ts (search list and ndots); this file puts them
 * together and holds the per-client state (the `rotate` counter).
 */
import { randomInt } from "../builtins.js";
import type { Question } from "./question.js";
import type { Transport } from "./transport/transport.js";
import type { ResolvConf } from "../files/resolvconf.js";
import { combineTracers, type Tracer } from "../trace.js";
import { DnsError, DnsLookupError, InvalidNameError } from "./errors.js";
import { checkWireName, withoutTrailingDot } from "./name.js";
import { queryStatus } from "./query.js";
import { resSearch, searchCandidates } from "./search.js";
import { sendQuestions, type QueryResult, type SendContext } from "./send.js";

export type { QueryResult } from "./send.js";

/** A successful `query` or `search`. */
export interface SearchResult {
  /** The name that answered (a search candidate), without trailing dot. */
  name: string;
  /**
   * One answer per asked type that got one, in the order of the types. A
   * type whose every server failed is absent (glibc: the other family's
   * answer stands alone); with `no-aaaa`, AAAA is never asked.
   */
  results: QueryResult[];
}

/**
 * Where a callback-form `query` or `search` reports ({@link
 * DnsClient.searchTo}): exactly one of the two methods, once; they do not
 * throw. An object, so that the caller's own state can be the sink.
 */
export interface SearchSink {
  found(result: SearchResult): void;
  /** A {@link DnsLookupError}, or the signal's reason on abort, or a bug's error. */
  failed(error: unknown): void;
}

/** Per-call options. */
export interface LookupOptions {
  signal?: AbortSignal;
  /** Receives this call's trace events, in addition to the client's tracer. */
  tracer?: Tracer;
}

/** How a {@link DnsClient} is built. */
export interface DnsClientOptions {
  /** The configuration, read at the start of every call (so reloads take effect). */
  conf: () => ResolvConf;
  transport: Transport;
  tracer?: Tracer;
}

/**
 * Asks name servers as glibc's stub resolver does.
 *
 * Time bound: one `send` takes at most `attempts × T` over UDP, plus `T`
 * when a truncated answer moves it to TCP, where `T` is the sum of the try
 * times of the (at most three) servers: `timeout` for the first and
 * `(timeout << i) / nservers` for server `i` (see send.ts); `T` alone with
 * `use-vc`. `query` sends its types together, so it takes as long as one
 * `send` (`single-request` shares each try's deadline too). `search`
 * queries at most `1 + search domains` names, so a whole lookup takes at
 * most `(1 + domains) × (attempts + 1) × T`. With glibc's defaults (one
 * server, 5 s, 2 attempts, no search list) a name that gets no answer fails
 * after 2 × 5 s over UDP. An AbortSignal ends any call at once; either way
 * no socket, timer or listener is left behind when the promise settles.
 */
export class DnsClient {
  readonly #conf: () => ResolvConf;
  readonly #transport: Transport;
  readonly #tracer: Tracer | undefined;
  /**
   * glibc's global `rotate` offset: random start, then one step per
   * res_send. Drawn at the first res_send, so that a client that never
   * sends (a files-only lookup) never loads node:crypto.
   */
  #rotation: number | undefined;
  readonly #rotate = (): number => {
    this.#rotation ??= randomInt(0, 0x10000);
    return this.#rotation++;
  };
  /** The context of the last call without signal or tracer. */
  #plain: SendContext | undefined;

  constructor(options: DnsClientOptions) {
    this.#conf = options.conf;
    this.#transport = options.transport;
    this.#tracer = options.tracer;
  }

  /** The configuration a call starting now reads (resolv.conf as it is now). */
  conf(): ResolvConf {
    return this.#conf();
  }

  /**
   * glibc's res_send for one question: resolves with the first usable
   * answer (any RCODE that ends the exchange: NOERROR, NXDOMAIN, FORMERR,
   * ...), rejects with a {@link DnsError} when no server gave one, with an
   * InvalidNameError for a name that cannot be encoded, and with the
   * signal's reason on abort.
   */
  send(q: Question, opts: LookupOptions = {}): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      sendQuestions([q], this.#context(this.#conf(), opts), (outcome) => {
        const result = outcome.results[0];
        if (result === undefined) reject(new DnsError(q, outcome.servers, outcome.lastRcode, outcome.errno, outcome.failures));
        else resolve(result);
      }, reject);
    });
  }

  /**
   * glibc's res_query on one exact name (a trailing dot is ignored) for
   * several types at once, A and AAAA in parallel unless `single-request`.
   * Rejects with a {@link DnsLookupError} whose status follows query.ts;
   * a name that cannot be encoded is NO_RECOVERY, as in glibc.
   */
  query(name: string, types: string[], opts: LookupOptions = {}): Promise<SearchResult> {
    return new Promise((resolve, reject) => this.#query(this.#conf(), name, types, opts, resolve, reject));
  }

  /**
   * glibc's res_search: `name` through the search list and ndots rules of
   * search.ts, each candidate with {@link query}. Rejects with a
   * {@link DnsLookupError} for `name`.
   */
  search(name: string, types: string[], opts: LookupOptions = {}): Promise<SearchResult> {
    return new Promise((resolve, reject) => {
      const conf = this.#conf();
      this.#traceOf(opts)?.({ kind: "search", name, candidates: searchCandidates(name, conf) });
      resSearch(name, conf, (candidate, answered, failed) => this.#query(conf, candidate, types, opts, answered, failed), resolve, reject);
    });
  }

  /**
   * {@link search} reporting to `sink` instead of a promise: what nss_dns
   * calls, so that a lookup in flight holds no promise of the DNS client's.
   * Never throws.
   */
  searchTo(name: string, types: string[], opts: LookupOptions, sink: SearchSink): void {
    const found = (result: SearchResult): void => sink.found(result);
    const failed = (err: unknown): void => sink.failed(err);
    try {
      const conf = this.#conf();
      this.#traceOf(opts)?.({ kind: "search", name, candidates: searchCandidates(name, conf) });
      resSearch(name, conf, (candidate, answered, fail) => this.#query(conf, candidate, types, opts, answered, fail), found, failed);
    } catch (err) {
      sink.failed(err);
    }
  }

  /** {@link query} reporting to `sink` instead of a promise; never throws. */
  queryTo(name: string, types: string[], opts: LookupOptions, sink: SearchSink): void {
    try {
      this.#query(this.#conf(), name, types, opts, (result) => sink.found(result), (err) => sink.failed(err));
    } catch (err) {
      sink.failed(err);
    }
  }

  /**
   * res_query, reporting to callbacks (exactly one, once): the one promise
   * of a call is made by its public method (docs/internal-contracts.md,
   * "Hot paths"). A bad argument throws, which the promise executor turns
   * into a rejection.
   */
  #query(conf: ResolvConf, name: string, types: string[], opts: LookupOptions, resolve: (found: SearchResult) => void, reject: (err: unknown) => void): void {
    const qname = withoutTrailingDot(name);
    const asked = conf.noAaaa ? types.filter((t) => t.toUpperCase() !== "AAAA") : types;
    // glibc's no-aaaa (resolv/res-noaaaa.c) sends an AAAA-only query as A, without EDNS, and keeps only the RCODE of its answer.
    const noAaaa = asked.length === 0 && types.length > 0;
    if (asked.length < types.length) {
      this.#traceOf(opts)?.({ kind: "note", text: noAaaa ? `no-aaaa: ${qname} AAAA asked as A, only its RCODE kept` : `no-aaaa: ${qname} AAAA not asked` });
    }
    if (noAaaa) asked.push("A");
    try {
      checkWireName(qname);
    } catch (err) {
      if (err instanceof InvalidNameError) {
        reject(new DnsLookupError("NO_RECOVERY", qname, []));
        return;
      }
      throw err;
    }
    const questions = asked.map((type) => ({ name: qname, type, class: "IN" }));
    sendQuestions(questions, this.#context(noAaaa ? { ...conf, edns0: false } : conf, opts), (outcome) => {
      const answered = outcome.results.filter((r): r is QueryResult => r !== undefined);
      const results = noAaaa ? answered.map(withoutRecords) : answered;
      const status = queryStatus(results);
      if (status === undefined) resolve({ name: qname, results });
      else reject(new DnsLookupError(status, qname, outcome.servers, outcome.errno, results[0]?.rcode ?? outcome.lastRcode));
    }, reject);
  }

  /** What res_send needs for a call; calls without signal or tracer share one per configuration. */
  #context(conf: ResolvConf, opts: LookupOptions): SendContext {
    const tracer = this.#traceOf(opts);
    if (opts.signal === undefined && tracer === undefined) {
      if (this.#plain?.conf !== conf) this.#plain = { conf, transport: this.#transport, rotation: this.#rotate };
      return this.#plain;
    }
    const context: SendContext = { conf, transport: this.#transport, rotation: this.#rotate };
    if (opts.signal !== undefined) context.signal = opts.signal;
    if (tracer !== undefined) context.tracer = tracer;
    return context;
  }

  #traceOf(opts: LookupOptions): Tracer | undefined {
    return combineTracers(this.#tracer, opts.tracer);
  }

}

/**
 * no-aaaa's translation of the answer to the A query sent for an AAAA
 * one: the header and question stay (so the RCODE decides), every section
 * is emptied, and a NOERROR becomes "no data".
 */
function withoutRecords(r: QueryResult): QueryResult {
  const { message } = r;
  return { ...r, message: { ...message, answers: [], authorities: [], additionals: [], counts: [message.counts[0], 0, 0, 0] } };
}
