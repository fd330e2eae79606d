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
import type { Reader } from "../sink.js";
import { combineTracers, type Tracer } from "../trace.js";
import { DnsError, InvalidNameError } from "./errors.js";
import { checkWireName, withoutTrailingDot } from "./name.js";
import { queryStatus } from "./query.js";
import { SearchWalk, searchCandidates, type SearchSettings } from "./search.js";
import { sendContext, SendRun, serverLabels, type QueryResult, type SendContext, type SendOutcome } from "./send.js";

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
 * DnsClient.searchTo}): src/sink.ts's {@link Reader}, told the answer or
 * the failure (a {@link DnsLookupError}, the signal's reason on abort, or
 * a bug's error) with the `to` the call was given. One reader serves every
 * call of a kind (nss_dns has one per family and buffer), so that the
 * lookup in flight holds the caller's own state as `to` and no adapter
 * object between the two.
 */
export type SearchReader<S> = Reader<SearchResult, S>;

/** The promise forms' `to`: the promise's two functions. */
interface Settle {
  resolve(result: SearchResult): void;
  reject(error: unknown): void;
}

const SETTLE: SearchReader<Settle> = {
  done: (result, to) => to.resolve(result),
  failed: (error, to) => to.reject(error),
};

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
  /** The contexts of the last configuration read: as it is, and without EDNS0 (no-aaaa's A query). */
  #contexts: { plain: SendContext; noEdns: SendContext | undefined } | undefined;

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
      new OneQuestion(this.#context(this.#conf(), false), q, opts.signal, this.#traceOf(opts), resolve, reject).start();
    });
  }

  /**
   * glibc's res_query on one exact name (a trailing dot is ignored) for
   * several types at once, A and AAAA in parallel unless `single-request`.
   * Rejects with a {@link DnsLookupError} whose status follows query.ts;
   * a name that cannot be encoded is NO_RECOVERY, as in glibc.
   */
  query(name: string, types: string[], opts: LookupOptions = {}): Promise<SearchResult> {
    return new Promise((resolve, reject) => this.queryTo(name, types, opts, SETTLE, { resolve, reject }));
  }

  /**
   * glibc's res_search: `name` through the search list and ndots rules of
   * search.ts, each candidate with {@link query}. Rejects with a
   * {@link DnsLookupError} for `name`.
   */
  search(name: string, types: string[], opts: LookupOptions = {}): Promise<SearchResult> {
    return new Promise((resolve, reject) => this.searchTo(name, types, opts, SETTLE, { resolve, reject }));
  }

  /**
   * {@link search} reporting to `reader` about `to` instead of a promise:
   * what nss_dns calls, so that a lookup in flight holds no promise of the
   * DNS client's (one object of its own per lookup, and one per exchange
   * in flight). Never throws.
   */
  searchTo<S>(name: string, types: string[], opts: LookupOptions, reader: SearchReader<S>, to: S): void {
    let lookup: Lookup;
    try {
      const conf = this.#conf();
      const tracer = this.#traceOf(opts);
      tracer?.({ kind: "search", name, candidates: searchCandidates(name, conf) });
      lookup = this.#lookup(conf, name, conf, types, opts, reader, to);
    } catch (err) {
      reader.failed(err, to);
      return;
    }
    lookup.start();
  }

  /** {@link query} reporting to `reader` about `to` instead of a promise; never throws. */
  queryTo<S>(name: string, types: string[], opts: LookupOptions, reader: SearchReader<S>, to: S): void {
    let lookup: Lookup;
    try {
      lookup = this.#lookup(this.#conf(), withoutTrailingDot(name), undefined, types, opts, reader, to);
    } catch (err) {
      reader.failed(err, to);
      return;
    }
    lookup.start();
  }

  /** The state of one res_search (`settings`) or res_query (none) of `name`. */
  #lookup<S>(conf: ResolvConf, name: string, settings: SearchSettings | undefined, types: string[], opts: LookupOptions, reader: SearchReader<S>, to: S): Lookup {
    const asked = conf.noAaaa ? types.filter((t) => t.toUpperCase() !== "AAAA") : types;
    // glibc's no-aaaa (resolv/res-noaaaa.c) sends an AAAA-only query as A, without EDNS, and keeps only the RCODE of its answer.
    const noAaaa = asked.length === 0 && types.length > 0;
    if (noAaaa) asked.push("A");
    const flags = (asked.length < types.length || noAaaa ? FILTERED : 0) | (noAaaa ? NO_AAAA : 0);
    return new Lookup(name, settings, this.#context(conf, noAaaa), asked, flags, opts, reader as SearchReader<unknown>, to);
  }

  /** What res_send needs under `conf` (without EDNS0 for no-aaaa's A query): made once per configuration. */
  #context(conf: ResolvConf, noEdns: boolean): SendContext {
    let contexts = this.#contexts;
    if (contexts?.plain.conf !== conf) {
      contexts = { plain: sendContext(conf, this.#transport, this.#rotate, this.#tracer), noEdns: undefined };
      this.#contexts = contexts;
    }
    if (!noEdns) return contexts.plain;
    return (contexts.noEdns ??= sendContext({ ...conf, edns0: false }, this.#transport, this.#rotate, this.#tracer));
  }

  #traceOf(opts: LookupOptions): Tracer | undefined {
    return combineTracers(this.#tracer, opts.tracer);
  }
}

/** One `send`: one question, its answer or a {@link DnsError}. */
class OneQuestion extends SendRun {
  constructor(
    ctx: SendContext,
    readonly q: Question,
    readonly signal: AbortSignal | undefined,
    readonly tracer: Tracer | undefined,
    readonly resolve: (result: QueryResult) => void,
    readonly reject: (error: unknown) => void,
  ) {
    super(ctx);
  }

  start(): void {
    this.send(1);
  }

  question(): Question {
    return this.q;
  }

  sent(outcome: SendOutcome): void {
    const result = outcome.results[0];
    if (result === undefined) this.reject(new DnsError(this.q, outcome.servers, outcome.lastRcode, outcome.errno, outcome.failures));
    else this.resolve(result);
  }

  failed(error: unknown): void {
    this.reject(error);
  }
}

/** {@link Lookup}'s bits: no-aaaa left AAAA out of the types asked... */
const FILTERED = 1;
/** ...and asks A instead, keeping only the RCODE of its answer. */
const NO_AAAA = 2;
/** A query was sent (so the final error names the servers). */
const SENT = 4;

/**
 * One res_search or res_query in flight, its whole state: the search
 * walk (search.ts), res_query for each candidate (the types asked of it
 * and the reading of res_send's outcome, query.ts), and each
 * candidate's res_send (send.ts, which the search walk extends): one
 * object. It reports to its caller's {@link SearchReader}.
 */
class Lookup extends SearchWalk {
  readonly #types: readonly string[];
  readonly #reader: SearchReader<unknown>;
  readonly #to: unknown;
  /** The call's options: its signal, and its tracer added to the client's. */
  readonly #opts: LookupOptions;

  constructor(name: string, settings: SearchSettings | undefined, ctx: SendContext, types: readonly string[], flags: number, opts: LookupOptions, reader: SearchReader<unknown>, to: unknown) {
    super(ctx, name, settings, flags);
    this.#types = types;
    this.#opts = opts;
    this.#reader = reader;
    this.#to = to;
  }

  get signal(): AbortSignal | undefined {
    return this.#opts.signal;
  }

  /** Made when asked (a lookup in flight holds the options, not a tracer too); a new function only when both tracers are set. */
  get tracer(): Tracer | undefined {
    return combineTracers(this.sendContext.tracer, this.#opts.tracer);
  }

  /** res_query of `qname`: a name that cannot be encoded is NO_RECOVERY, nothing sent. A bad argument throws. */
  protected query(qname: string): void {
    if ((this.flags & FILTERED) !== 0) {
      this.tracer?.({ kind: "note", text: (this.flags & NO_AAAA) !== 0 ? `no-aaaa: ${qname} AAAA asked as A, only its RCODE kept` : `no-aaaa: ${qname} AAAA not asked` });
    }
    try {
      checkWireName(qname);
    } catch (err) {
      if (err instanceof InvalidNameError) {
        this.candidateFailed("NO_RECOVERY", undefined, undefined);
        return;
      }
      throw err;
    }
    this.flags |= SENT;
    this.send(this.#types.length);
  }

  question(index: number): Question {
    return { name: this.candidate, type: this.#types[index]!, class: "IN" };
  }

  /** res_query's verdict on what res_send got (query.ts). */
  sent(outcome: SendOutcome): void {
    const answered = answeredOnly(outcome.results);
    const results = (this.flags & NO_AAAA) !== 0 ? answered.map(withoutRecords) : answered;
    const status = queryStatus(results);
    if (status === undefined) this.#reader.done({ name: this.candidate, results }, this.#to);
    else this.candidateFailed(status, outcome.errno, results[0]?.rcode ?? outcome.lastRcode);
  }

  failed(error: unknown): void {
    this.#reader.failed(error, this.#to);
  }

  protected failedServers(): string[] {
    return (this.flags & SENT) !== 0 ? serverLabels(this.sendContext.conf) : [];
  }
}

/** The answers of res_send's outcome, without the questions that got none. */
function answeredOnly(results: ReadonlyArray<QueryResult | undefined>): QueryResult[] {
  return results.includes(undefined) ? results.filter((r): r is QueryResult => r !== undefined) : (results as QueryResult[]);
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
