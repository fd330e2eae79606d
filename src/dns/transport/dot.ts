/**
 * DNS over TLS (RFC 7858): TCP framing (RFC 1035 4.2.2) inside TLS, port
 * 853, with RFC 7766's connection reuse and pipelining. One connection
 * per server carries every query to it at once, each under an ID of the
 * connection's own (two lookups may have picked the same ID; RFC 7766
 * 6.2.1.1 wants them distinct on a connection), and answers may come in
 * any order: each frame is matched by that ID, and read as the answer to
 * its query under the query's own ID. Queries are padded (padding.ts).
 *
 * The certificate is checked against the server's `name` (RFC 8310's
 * strict profile) with the system's trust store or the CA given; an
 * opportunistic server's is not checked. A connection with no query left
 * is not referenced (it does not keep the process alive) and is closed
 * after {@link DOT_LIMITS} `idleMs`; one the server closes or breaks is
 * dropped and the next query opens another. Queries past `inFlight` on a
 * connection wait for room, their timeout running.
 *
 * A server that sends frames nobody asked for costs a bounded amount:
 * past `strayFrames` of them since the last answer, the connection is
 * closed as broken (EPROTO).
 */
import { isIP } from "../../builtins.js";
import type * as Tls from "node:tls";
import type { NameServer } from "../server.js";
import type { TransportRequest, TransportResponse } from "./transport.js";
import { TransportError } from "../errors.js";
import { readResponse, withMessageId } from "../message.js";
import { serverHost, serverLabel } from "../server.js";
import { tlsModule } from "./builtins.js";
import { runExchangeTo, type InFlight, type Outcome, type OutcomeSink } from "./deadline.js";
import { withPadding } from "./padding.js";

/** What a connection holds and how long it lives. */
export const DOT_LIMITS: Readonly<DotLimits> = {
  inFlight: 128,
  idleMs: 10_000,
  strayFrames: 32,
};

/** See {@link DOT_LIMITS}. */
export interface DotLimits {
  /** Queries on one connection at once; more wait for room. */
  inFlight: number;
  /** A connection with no query is closed after this many milliseconds. */
  idleMs: number;
  /** Frames answering no query in flight, since the last answer, before the connection counts as broken. */
  strayFrames: number;
}

/** The certificate settings every encrypted transport shares. */
export interface TlsSettings {
  /** Trust anchors (PEM) instead of the system's store. */
  ca?: string | Buffer | Array<string | Buffer>;
}

/** One query on a connection, from its sending (or waiting) to its outcome. */
interface Pending {
  request: TransportRequest;
  finish: (outcome: Outcome<TransportResponse>) => void;
  started: number;
  /** The ID it carries on this connection; -1 while it waits for room. */
  wireId: number;
}

/** A TLS connection to one server and the queries on it. */
class DotConnection {
  readonly #socket: Tls.TLSSocket;
  readonly #server: NameServer;
  readonly #limits: DotLimits;
  readonly #onGone: () => void;
  readonly #pending = new Map<number, Pending>();
  readonly #waiting: Pending[] = [];
  #buffered: Buffer = Buffer.alloc(0);
  #strays = 0;
  #idle: NodeJS.Timeout | undefined;
  #gone = false;
  /** Whether the TLS handshake completed: an opportunistic server that never got this far is asked in clear. */
  secured = false;
  /** Settles once the socket is closed. */
  readonly closed: Promise<void>;

  constructor(server: NameServer, settings: TlsSettings, limits: DotLimits, onGone: () => void) {
    this.#server = server;
    this.#limits = limits;
    this.#onGone = onGone;
    const encrypted = server.encrypted!;
    const strict = encrypted.profile === "strict";
    const tls = tlsModule();
    // tls.connect takes net.connect's options too (its types leave localAddress out).
    const options: Tls.ConnectionOptions & { localAddress?: string } = {
      host: serverHost(server),
      port: server.port,
      rejectUnauthorized: strict,
      checkServerIdentity: (_host, cert) => tls.checkServerIdentity(encrypted.name, cert),
    };
    if (isIP(encrypted.name) === 0) options.servername = encrypted.name;
    if (server.source !== undefined) options.localAddress = server.source;
    if (settings.ca !== undefined) options.ca = settings.ca;
    this.#socket = tls.connect(options);
    this.closed = new Promise((resolve) => this.#socket.once("close", () => resolve()));
    this.#socket.setNoDelay(true);
    this.#socket.on("secureConnect", () => {
      this.secured = true;
    });
    this.#socket.on("data", (chunk: Buffer) => this.#read(chunk));
    this.#socket.on("error", (err: NodeJS.ErrnoException) => this.#break(err.code ?? "EIO", err.message, err));
    this.#socket.on("end", () => this.#break("EOF", "connection closed by the server"));
    this.#socket.on("close", () => this.#break("EOF", "connection closed"));
  }

  /** Whether queries can still be sent on it. */
  get usable(): boolean {
    return !this.#gone;
  }

  /** Sends `entry`'s query now, or once there is room. */
  add(entry: Pending): void {
    if (this.#idle !== undefined) {
      clearTimeout(this.#idle);
      this.#idle = undefined;
      this.#socket.ref();
    }
    if (this.#pending.size >= this.#limits.inFlight) this.#waiting.push(entry);
    else this.#send(entry);
  }

  /** Takes `entry` off the connection (its exchange ended). */
  forget(entry: Pending): void {
    if (entry.wireId === -1) {
      const at = this.#waiting.indexOf(entry);
      if (at !== -1) this.#waiting.splice(at, 1);
    } else if (this.#pending.get(entry.wireId) === entry) {
      this.#pending.delete(entry.wireId);
      const next = this.#waiting.shift();
      if (next !== undefined) this.#send(next);
    }
    this.#idleIfEmpty();
  }

  /** Closes the connection; resolves once the socket is closed. */
  close(): Promise<void> {
    this.#break("ECONNABORTED", "transport closed");
    return this.closed;
  }

  #send(entry: Pending): void {
    let id: number;
    do id = (Math.random() * 0x10000) | 0;
    while (this.#pending.has(id));
    entry.wireId = id;
    entry.started = performance.now();
    this.#pending.set(id, entry);
    const message = withPadding(withMessageId(entry.request.message, id));
    const frame = Buffer.allocUnsafe(2 + message.length);
    frame.writeUInt16BE(message.length, 0);
    frame.set(message, 2);
    this.#socket.write(frame);
  }

  /** Frames out of what arrived; each is matched to its query by the connection's ID. */
  #read(chunk: Buffer): void {
    let data = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    while (data.length >= 2 && !this.#gone) {
      const length = data.readUInt16BE(0);
      if (data.length < 2 + length) break;
      const frame = data.subarray(2, 2 + length);
      data = data.subarray(2 + length);
      this.#frame(frame);
    }
    this.#buffered = data.length === 0 ? Buffer.alloc(0) : Buffer.from(data);
  }

  #frame(frame: Buffer): void {
    const entry = frame.length >= 2 ? this.#pending.get(frame.readUInt16BE(0)) : undefined;
    const message = entry === undefined ? undefined : withMessageId(frame, entry.request.id);
    const response = entry === undefined ? "ignore" : readResponse(entry.request, message!);
    if (response === "ignore") {
      if (++this.#strays > this.#limits.strayFrames) this.#break("EPROTO", `${this.#strays} frames that answer no query`);
      return;
    }
    this.#strays = 0;
    const answer: TransportResponse = { message: message!, protocol: entry!.request.protocol, rtt: performance.now() - entry!.started };
    if (response !== "malformed") answer.decoded = response;
    entry!.finish({ value: answer });
  }

  /** Nothing in flight: the connection no longer holds the process, and closes after the idle time. */
  #idleIfEmpty(): void {
    if (this.#gone || this.#pending.size > 0 || this.#waiting.length > 0 || this.#idle !== undefined) return;
    this.#socket.unref();
    this.#idle = setTimeout(() => {
      this.#idle = undefined;
      this.#break("ECONNABORTED", "idle");
      this.#socket.destroy();
    }, this.#limits.idleMs);
    this.#idle.unref();
  }

  /** The connection is over: every query on it fails with `code`. */
  #break(code: string, why: string, cause?: unknown): void {
    if (this.#gone) return;
    this.#gone = true;
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#onGone();
    const entries = [...this.#pending.values(), ...this.#waiting.splice(0)];
    this.#pending.clear();
    for (const entry of entries) entry.finish({ error: new TransportError(code, `TLS ${serverLabel(this.#server)}: ${why}`, this.#server, entry.request.protocol, { cause }) });
    if (!this.#socket.destroyed) this.#socket.destroy();
  }
}

/** DoT exchanges, one pipelined connection per server; see the module comment. */
export class DotTransport {
  /** The open connection of each server. */
  readonly #connections = new Map<string, DotConnection>();
  /** Every connection whose socket is not closed yet, open or not. */
  readonly #sockets = new Set<DotConnection>();
  readonly #settings: TlsSettings;
  readonly #limits: DotLimits;

  constructor(settings: TlsSettings = {}, limits: Readonly<DotLimits> = DOT_LIMITS) {
    this.#settings = settings;
    this.#limits = { ...limits };
  }

  /**
   * Sends the query over TLS to `request.server` and waits for its
   * answer. Resolves `"clear"` instead when the server is opportunistic
   * and its connection failed before TLS was up: the caller asks in clear.
   */
  exchange(request: TransportRequest, inFlight?: InFlight): Promise<TransportResponse | "clear"> {
    return new Promise((resolve, reject) => this.send(request, { answered: resolve, failed: reject }, inFlight));
  }

  /** {@link exchange} reported to `sink`. */
  send(request: TransportRequest, sink: OutcomeSink<TransportResponse | "clear">, inFlight?: InFlight): void {
    const opportunistic = request.server.encrypted?.profile === "opportunistic";
    runExchangeTo<TransportResponse | "clear">(request, (finish) => {
      let connection: DotConnection;
      try {
        connection = this.#connection(request.server);
      } catch (err) {
        // No TLS here (builtins.ts): that server fails, as one that cannot be reached.
        finish({ error: new TransportError("ERR_NO_BUILTIN", `TLS ${serverLabel(request.server)}: ${(err as Error).message}`, request.server, request.protocol, { cause: err }) });
        return { close: (done) => done() };
      }
      const entry: Pending = {
        request,
        started: performance.now(),
        wireId: -1,
        finish: (outcome) => finish(opportunistic && "error" in outcome && outcome.error instanceof TransportError && !connection.secured ? { value: "clear" } : outcome),
      };
      connection.add(entry);
      return {
        close: (done) => {
          connection.forget(entry);
          done();
        },
      };
    }, sink, inFlight);
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    this.#connections.clear();
    await Promise.all([...this.#sockets].map((c) => c.close()));
  }

  #connection(server: NameServer): DotConnection {
    const key = serverLabel(server);
    const open = this.#connections.get(key);
    if (open?.usable === true) return open;
    const connection: DotConnection = new DotConnection(server, this.#settings, this.#limits, () => {
      if (this.#connections.get(key) === connection) this.#connections.delete(key);
    });
    this.#connections.set(key, connection);
    this.#sockets.add(connection);
    void connection.closed.then(() => this.#sockets.delete(connection));
    return connection;
  }
}
