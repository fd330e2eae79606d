/**
 * DNS over HTTPS (RFC 8484): each query is one HTTP exchange of an
 * `application/dns-message` body, POSTed or sent as GET `?dns=` (base64url,
 * no padding), with the ID set to 0 (section 4.1: caches then see one
 * query for one question); the answer is read under the query's own ID.
 * Queries are padded (padding.ts).
 *
 * HTTP/2 (node:http2, the default) multiplexes every query to one origin
 * on one session; HTTP/1.1 (node:https) runs them on an agent's keep-alive
 * connections; `fetch` leaves the connections to the runtime's `fetch`
 * (certificates and host names are then the runtime's business). Where
 * node:http2 is there but cannot connect (workerd's throws "not
 * implemented") or cannot be loaded (builtins.ts), HTTP/2 servers are
 * asked with `fetch` instead. A session with no stream open does not keep the process
 * alive and is closed after {@link DOH_LIMITS} `idleMs`.
 *
 * Any HTTP status but 200, another content type, a body that is not the
 * answer to the question, or one past 65,535 octets is the server's
 * failure, read as a SERVFAIL from it (RFC 8484 4.2.1 leaves the mapping
 * to the client): res_send goes on to the next server, and a lookup that
 * gets nothing else ends in EAI_AGAIN, as when every server fails.
 *
 * A server named by host name is found through `lookup` (the resolver's
 * bootstrap: hosts and the plain nameservers), never through itself.
 */
import type * as Http2 from "node:http2";
import type * as Https from "node:https";
import type { LookupFunction } from "node:net";
import type { ExchangeSink, TransportRequest, TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import { readResponse, withMessageId } from "../message.js";
import { serverLabel } from "../server.js";
import { http2Module, httpsModule } from "./builtins.js";
import { runExchangeTo, type InFlight, type Outcome } from "./deadline.js";
import type { TlsSettings } from "./dot.js";
import { withPadding } from "./padding.js";

/** How long idle sessions live, and how much of a body is read. */
export const DOH_LIMITS: Readonly<DohLimits> = {
  idleMs: 10_000,
  bodyOctets: 0xffff,
};

/** See {@link DOH_LIMITS}. */
export interface DohLimits {
  /** A session (HTTP/2) or connection (HTTP/1.1) with nothing to do is closed after this many milliseconds. */
  idleMs: number;
  /** A body longer than this is not a DNS message. */
  bodyOctets: number;
}

/** What a {@link DohTransport} is built with. */
export interface DohSettings extends TlsSettings {
  /** Resolves a DoH server's host name (the resolver's bootstrap servers and hosts). */
  lookup?: LookupFunction;
}

const MEDIA_TYPE = "application/dns-message";

/** An HTTP answer as the three paths hand it over. */
interface HttpAnswer {
  status: number;
  type: string | undefined;
  body: Buffer | undefined;
}

/** DoH exchanges on HTTP/2 sessions, HTTP/1.1 keep-alive connections, or `fetch`; see the module comment. */
export class DohTransport {
  readonly #settings: DohSettings;
  readonly #limits: DohLimits;
  readonly #sessions = new Map<string, Http2.ClientHttp2Session>();
  /** Every session not closed yet, with the promise of its close. */
  readonly #open = new Map<Http2.ClientHttp2Session, Promise<void>>();
  /** Streams open per session. */
  readonly #streams = new Map<Http2.ClientHttp2Session, number>();
  #agent: Https.Agent | undefined;
  /** Set once http2.connect has thrown: this runtime has no HTTP/2 client, `fetch` stands in. */
  #noHttp2 = false;

  constructor(settings: DohSettings = {}, limits: Readonly<DohLimits> = DOH_LIMITS) {
    this.#settings = settings;
    this.#limits = { ...limits };
  }

  /** Sends the query to `request.server`'s URL and waits for its answer. */
  exchange(request: TransportRequest, inFlight?: InFlight): Promise<TransportResponse> {
    return new Promise((resolve, reject) => this.send(request, { answered: resolve, failed: reject }, inFlight));
  }

  /** {@link exchange} reported to `sink`. */
  send(request: TransportRequest, sink: ExchangeSink, inFlight?: InFlight): void {
    const encrypted = request.server.encrypted!;
    const started = performance.now();
    let wire: Uint8Array;
    try {
      wire = withPadding(withMessageId(request.message, 0));
    } catch (err) {
      // A query too short to carry an ID (only a caller's own bytes can be one).
      queueMicrotask(() => sink.failed(err));
      return;
    }
    runExchangeTo<TransportResponse>(request, (finish) => {
      const done = (outcome: Outcome<HttpAnswer>): void => {
        if ("error" in outcome) finish({ error: new TransportError(errorCode(outcome.error), `HTTPS ${serverLabel(request.server)}: ${errorText(outcome.error)}`, request.server, request.protocol, { cause: outcome.error }) });
        else finish({ value: this.#answer(request, outcome.value, performance.now() - started) });
      };
      const url = new URL(encrypted.url!);
      if (encrypted.method === "GET") url.searchParams.set("dns", Buffer.from(wire).toString("base64url"));
      const body = encrypted.method === "GET" ? undefined : wire;
      try {
        if (encrypted.http === "1.1") return this.#http1(url, body, request.server.source, done);
        if (encrypted.http === "2" && !this.#noHttp2) {
          try {
            return this.#http2(url, body, request.server.source, done);
          } catch (err) {
            const code = (err as { code?: unknown }).code;
            if (code !== "ERR_METHOD_NOT_IMPLEMENTED" && code !== "ERR_NO_BUILTIN") throw err;
            this.#noHttp2 = true;
          }
        }
        return this.#fetch(url, body, done);
      } catch (error) {
        // No client to ask with (node:https missing): that server fails, as one that cannot be reached.
        done({ error });
        return { close: (closed) => closed() };
      }
    }, sink, inFlight);
  }

  /** Closes every session and keep-alive connection. */
  async close(): Promise<void> {
    this.#agent?.destroy();
    for (const session of this.#open.keys()) session.destroy();
    await Promise.all(this.#open.values());
  }

  /** The DNS answer in an HTTP answer, or a SERVFAIL of the server's (see the module comment). */
  #answer(request: TransportRequest, answer: HttpAnswer, rtt: number): TransportResponse {
    const { body } = answer;
    const ok = answer.status === 200 && answer.type?.split(";")[0]!.trim().toLowerCase() === MEDIA_TYPE && body !== undefined && body.length >= 2;
    const message = ok ? withMessageId(body, request.id) : serverFailure(request);
    const read = readResponse(request, message);
    if (read === "ignore") return this.#answer(request, { status: 0, type: undefined, body: undefined }, rtt);
    const response: TransportResponse = { message, protocol: request.protocol, rtt };
    if (read !== "malformed") response.decoded = read;
    return response;
  }

  #http2(url: URL, body: Uint8Array | undefined, source: string | undefined, done: (outcome: Outcome<HttpAnswer>) => void): { close(done: () => void): void } {
    const session = this.#session(url.origin, source);
    this.#streams.set(session, (this.#streams.get(session) ?? 0) + 1);
    session.ref();
    const headers: Http2.OutgoingHttpHeaders = { ":method": body === undefined ? "GET" : "POST", ":path": url.pathname + url.search, accept: MEDIA_TYPE };
    if (body !== undefined) {
      headers["content-type"] = MEDIA_TYPE;
      headers["content-length"] = body.length;
    }
    const stream = session.request(headers, { endStream: body === undefined });
    let status = 0;
    let type: string | undefined;
    stream.on("response", (h) => {
      status = Number(h[":status"]);
      type = typeof h["content-type"] === "string" ? h["content-type"] : undefined;
    });
    this.#readBody(stream, (outcome) => done("error" in outcome ? outcome : { value: { status, type, body: outcome.value } }));
    if (body !== undefined) stream.end(body);
    return {
      close: (closed) => {
        if (stream.closed) this.#streamDone(session, closed);
        else {
          stream.once("close", () => this.#streamDone(session, closed));
          // A stream whose answer has all come closes by itself; only one cut short is reset.
          // (A reset for every answered stream reads to the server as a rapid-reset attack:
          // node's server closes such a session with INTERNAL_ERROR.)
          if (!stream.readableEnded) stream.close(http2Module().constants.NGHTTP2_CANCEL);
        }
      },
    };
  }

  /** A stream of `session` is closed: the session stops holding the process once no stream is left. */
  #streamDone(session: Http2.ClientHttp2Session, closed: () => void): void {
    const left = (this.#streams.get(session) ?? 1) - 1;
    this.#streams.set(session, left);
    if (left === 0 && !session.destroyed) session.unref();
    closed();
  }

  /** The session to `origin` from `source` (a local address, or the system's choice). */
  #session(origin: string, source: string | undefined): Http2.ClientHttp2Session {
    const key = source === undefined ? origin : `${origin} ${source}`;
    const open = this.#sessions.get(key);
    if (open !== undefined && !open.closed && !open.destroyed) return open;
    // http2.connect hands net.connect's options on (its types leave localAddress out).
    const options: Http2.SecureClientSessionOptions & { localAddress?: string } = {};
    if (this.#settings.ca !== undefined) options.ca = this.#settings.ca;
    if (this.#settings.lookup !== undefined) options.lookup = this.#settings.lookup;
    if (source !== undefined) options.localAddress = source;
    const session = http2Module().connect(origin, options);
    this.#sessions.set(key, session);
    const gone = (): void => {
      if (this.#sessions.get(key) === session) this.#sessions.delete(key);
    };
    this.#open.set(session, new Promise((resolve) => session.once("close", () => {
      gone();
      this.#open.delete(session);
      this.#streams.delete(session);
      resolve();
    })));
    session.on("error", gone);
    session.on("goaway", gone);
    session.setTimeout(this.#limits.idleMs, () => {
      if ((this.#streams.get(session) ?? 0) === 0) session.close();
    });
    return session;
  }

  #http1(url: URL, body: Uint8Array | undefined, source: string | undefined, done: (outcome: Outcome<HttpAnswer>) => void): { close(done: () => void): void } {
    this.#agent ??= new (httpsModule().Agent)({ keepAlive: true, timeout: this.#limits.idleMs, ...(this.#settings.ca === undefined ? {} : { ca: this.#settings.ca }) });
    const options: Https.RequestOptions = { method: body === undefined ? "GET" : "POST", agent: this.#agent, headers: { accept: MEDIA_TYPE } };
    if (this.#settings.lookup !== undefined) options.lookup = this.#settings.lookup;
    if (source !== undefined) options.localAddress = source;
    if (body !== undefined) options.headers = { ...options.headers, "content-type": MEDIA_TYPE, "content-length": body.length };
    const req = httpsModule().request(url, options, (res) => {
      const type = res.headers["content-type"];
      this.#readBody(res, (outcome) => done("error" in outcome ? outcome : { value: { status: res.statusCode ?? 0, type, body: outcome.value } }));
    });
    req.on("error", (error) => done({ error }));
    req.end(body);
    let finished = false;
    req.once("close", () => {
      finished = true;
    });
    return {
      close: (closed) => {
        if (finished) closed();
        else {
          req.once("close", () => closed());
          req.destroy();
        }
      },
    };
  }

  #fetch(url: URL, body: Uint8Array | undefined, done: (outcome: Outcome<HttpAnswer>) => void): { close(done: () => void): void } {
    const controller = new AbortController();
    const init: RequestInit = { method: body === undefined ? "GET" : "POST", headers: { accept: MEDIA_TYPE }, signal: controller.signal };
    if (body !== undefined) {
      init.headers = { accept: MEDIA_TYPE, "content-type": MEDIA_TYPE };
      init.body = body;
    }
    fetch(url, init)
      .then(async (res) => done({ value: { status: res.status, type: res.headers.get("content-type") ?? undefined, body: await this.#readFetchBody(res) } }))
      .catch((error: unknown) => done({ error }));
    return {
      close: (closed) => {
        controller.abort();
        closed();
      },
    };
  }

  /** {@link #readBody} for a fetch Response: read as it comes, cancelled past `bodyOctets`. */
  async #readFetchBody(res: Response): Promise<Buffer | undefined> {
    if (res.body === null) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let octets = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks);
      octets += value.length;
      if (octets > this.#limits.bodyOctets) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
  }

  /** Reads a body of at most `bodyOctets`; a longer one is read as none (the server's failure) as soon as it is past the limit. */
  #readBody(from: NodeJS.ReadableStream & { on(event: "error", listener: (err: Error) => void): unknown }, done: (outcome: Outcome<Buffer | undefined>) => void): void {
    const chunks: Buffer[] = [];
    let octets = 0;
    from.on("data", (chunk: Buffer) => {
      if (octets > this.#limits.bodyOctets) return;
      octets += chunk.length;
      // Past the limit the answer is known (none): the exchange ends, and its close cancels the rest.
      if (octets > this.#limits.bodyOctets) done({ value: undefined });
      else chunks.push(chunk);
    });
    from.on("end", () => {
      if (octets <= this.#limits.bodyOctets) done({ value: Buffer.concat(chunks) });
    });
    from.on("error", (error) => done({ error }));
  }
}

/** A bare SERVFAIL header from the server for `request` (QR, RD as asked, RCODE 2). */
function serverFailure(request: TransportRequest): Uint8Array {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(request.id, 0);
  header[2] = 0x80 | (request.message[2]! & 0x01);
  header[3] = 2;
  return header;
}

/** The errno-like code of an HTTP or socket error: its cause's when it has one (a stream cancelled by its session's TLS error, fetch's "fetch failed"). */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === "string" ? cause : typeof code === "string" ? code : "EIO";
}

function errorText(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return error instanceof Error ? `${error.message}${cause instanceof Error ? `: ${cause.message}` : ""}` : String(error);
}
