/**
 * Encrypted fronts for a plain DNS server (Knot, which has neither DoT
 * nor DoH in the Debian 3.2 build), started by the tests on loopback:
 *
 * - {@link startDotFront}: DNS over TLS (node:tls) that relays every
 *   frame to the upstream (pipelined on one TCP connection), and answers
 *   each as its answer comes, not in the order asked; it can hold back
 *   answers of a type to force them out of order.
 * - {@link startDohFront}: DNS over HTTPS on HTTP/2 and HTTP/1.1 (one
 *   node:http2 secure server with allowHTTP1), POST and GET, relaying
 *   the same way; `/fail` answers 503, `/html` a 200 of text/html.
 *
 * Both log what they saw, so tests can check connection reuse, padding
 * and ID 0. The certificate is made at test time by openssl: a CA, and a
 * server certificate it signed for the names and addresses asked.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";

/** A server's certificate and key, and the CA that signed it, PEM. */
export interface TestCertificate {
  cert: string;
  key: string;
  /** The CA to trust (a server certificate that is its own CA is refused by some clients: rustls in Deno). */
  ca: string;
}

/** A CA and a server certificate it signed for `names` (DNS names) and `addresses` (IP SANs), valid for a day. */
export function makeCertificate(names: string[], addresses: string[] = ["127.0.0.1", "::1"]): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), "netdb-cert-"));
  const at = (file: string): string => join(dir, file);
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: "ignore" });
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    openssl("req", "-x509", ...ec, "-days", "1", "-subj", "/CN=netdb test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", at("ca.key"), "-out", at("ca.pem"));
    openssl("req", ...ec, "-subj", `/CN=${names[0] ?? "netdb test"}`, "-keyout", at("key.pem"), "-out", at("server.csr"));
    const san = [...names.map((n) => `DNS:${n}`), ...addresses.map((a) => `IP:${a}`)].join(",");
    writeFileSync(at("ext.cnf"), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
    openssl("x509", "-req", "-in", at("server.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-set_serial", "1", "-days", "1", "-extfile", at("ext.cnf"), "-out", at("cert.pem"));
    const read = (file: string): string => readFileSync(at(file), "utf8");
    return { cert: read("cert.pem"), key: read("key.pem"), ca: read("ca.pem") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One query relayed: its length as received, its ID and type, and when its answer went back. */
export interface RelayedQuery {
  length: number;
  id: number;
  type: number;
  answeredAt?: number;
}

/** A running front. */
export interface Front {
  port: number;
  /** Connections (DoT) or sessions and HTTP/1.1 connections (DoH) accepted so far. */
  connections: number;
  /** Connections closed so far, by either side. */
  closed: number;
  /** The client address of each connection. */
  peers: string[];
  queries: RelayedQuery[];
  /** DoH: the method and HTTP version of each request, `POST 2.0`. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * A front's way to Knot: one TCP connection (opened again when Knot closes
 * it), every query pipelined on it under an ID of its own, the answer
 * given back under the client's. One connection, not one per query: a
 * burst of hundreds of queries would otherwise wait on Knot's TCP accept.
 */
function tcpUpstream(port: number): { ask(message: Buffer): Promise<Buffer>; close(): void } {
  let socket: net.Socket | undefined;
  let data: Buffer = Buffer.alloc(0);
  const pending = new Map<number, { clientId: number; resolve: (answer: Buffer) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  const connect = (): net.Socket => {
    const s = net.connect({ host: "127.0.0.1", port });
    data = Buffer.alloc(0);
    s.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      while (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        const answer = Buffer.from(data.subarray(2, 2 + data.readUInt16BE(0)));
        data = data.subarray(2 + answer.length);
        const entry = pending.get(answer.readUInt16BE(0));
        if (entry === undefined) continue;
        pending.delete(answer.readUInt16BE(0));
        answer.writeUInt16BE(entry.clientId, 0);
        entry.resolve(answer);
      }
    });
    s.on("error", () => undefined);
    s.on("close", () => {
      if (socket === s) socket = undefined;
      for (const entry of pending.values()) entry.reject(new Error("upstream closed"));
      pending.clear();
    });
    return s;
  };
  return {
    ask: (message) =>
      new Promise((resolve, reject) => {
        socket ??= connect();
        let id = nextId;
        while (pending.has(id)) id = (id + 1) & 0xffff;
        nextId = (id + 1) & 0xffff;
        const copy = Buffer.from(message);
        pending.set(id, { clientId: copy.readUInt16BE(0), resolve, reject });
        copy.writeUInt16BE(id, 0);
        const length = Buffer.alloc(2);
        length.writeUInt16BE(copy.length);
        socket.write(Buffer.concat([length, copy]));
      }),
    close: () => socket?.destroy(),
  };
}

/** The QTYPE of a one-question query (0 when it has none). */
function queryType(message: Buffer): number {
  let at = 12;
  while (at < message.length && message[at] !== 0) at += 1 + message[at]!;
  return at + 3 <= message.length ? message.readUInt16BE(at + 1) : 0;
}

/** Options of {@link startDotFront}. */
export interface DotFrontOptions {
  /** Hold answers to queries of this type back for `holdMs` (so that later ones overtake them). */
  holdType?: number;
  holdMs?: number;
}

/** What a DoT server does with one query: `answer` writes a message (framed) on its connection. */
export type TlsQueryHandler = (query: Buffer, answer: (message: Buffer) => void, socket: tls.TLSSocket) => void;

/**
 * A DoT server on 127.0.0.1 (a free port) that reads RFC 1035 frames in any
 * pieces and hands each query to `onQuery`; `front` counts its connections.
 */
export async function startTlsDnsServer(certificate: TestCertificate, onQuery: TlsQueryHandler, front: Front = newFront(), closeUpstream: () => void = () => undefined): Promise<Front> {
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({ cert: certificate.cert, key: certificate.key }, (socket) => {
    track(front, sockets, socket);
    socket.on("error", () => undefined);
    const answer = (message: Buffer): void => {
      if (socket.destroyed) return;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(message.length);
      socket.write(Buffer.concat([length, message]));
    };
    let data = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      while (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        const query = Buffer.from(data.subarray(2, 2 + data.readUInt16BE(0)));
        data = data.subarray(2 + query.length);
        onQuery(query, answer, socket);
      }
    });
  });
  server.on("tlsClientError", () => undefined);
  return listen(server, sockets, front, closeUpstream);
}

/** Counts a connection of `front` and keeps its socket in `sockets` until it closes. */
function track(front: Front, sockets: Set<net.Socket>, socket: tls.TLSSocket): void {
  front.connections++;
  front.peers.push(socket.remoteAddress ?? "");
  sockets.add(socket);
  socket.on("close", () => {
    front.closed++;
    sockets.delete(socket);
  });
}

function newFront(): Front {
  return { port: 0, connections: 0, closed: 0, peers: [], queries: [], requests: [], stop: async () => undefined };
}

/** DoT on 127.0.0.1 (a free port) in front of a TCP DNS server on `upstream`. */
export async function startDotFront(upstream: number, certificate: TestCertificate, options: DotFrontOptions = {}): Promise<Front> {
  const knot = tcpUpstream(upstream);
  const front = newFront();
  // Answers held back, cleared when the front stops (so it leaves no timer behind).
  const held = new Set<NodeJS.Timeout>();
  const stop = (): void => {
    knot.close();
    for (const timer of held) clearTimeout(timer);
  };
  return startTlsDnsServer(certificate, (message, answer, socket) => {
    const entry: RelayedQuery = { length: message.length, id: message.readUInt16BE(0), type: queryType(message) };
    front.queries.push(entry);
    const send = (reply: Buffer): void => {
      entry.answeredAt = performance.now();
      answer(reply);
    };
    void knot.ask(message).then(
      (reply) => {
        if (entry.type !== options.holdType) return send(reply);
        const timer = setTimeout(() => {
          held.delete(timer);
          send(reply);
        }, options.holdMs ?? 0);
        held.add(timer);
      },
      () => socket.destroy(),
    );
  }, front, stop);
}

/** DoH on 127.0.0.1 (a free port), HTTP/2 and HTTP/1.1, in front of a TCP DNS server on `upstream`. */
export async function startDohFront(upstream: number, certificate: TestCertificate): Promise<Front> {
  const sockets = new Set<net.Socket>();
  const knot = tcpUpstream(upstream);
  const front = newFront();
  const server = http2.createSecureServer({ cert: certificate.cert, key: certificate.key, allowHTTP1: true });
  server.on("secureConnection", (socket: tls.TLSSocket) => track(front, sockets, socket));
  server.on("request", (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    front.requests.push(`${req.method} ${req.httpVersion}`);
    const url = new URL(req.url, "https://front.test");
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (url.pathname === "/fail") {
        res.writeHead(503).end();
        return;
      }
      if (url.pathname === "/html") {
        res.writeHead(200, { "content-type": "text/html" }).end("<p>no</p>");
        return;
      }
      const message = req.method === "GET" ? Buffer.from(url.searchParams.get("dns") ?? "", "base64url") : Buffer.concat(chunks);
      if (url.pathname !== "/dns-query" || message.length < 12 || (req.method === "POST" && req.headers["content-type"] !== "application/dns-message")) {
        res.writeHead(400).end();
        return;
      }
      front.queries.push({ length: message.length, id: message.readUInt16BE(0), type: queryType(message) });
      knot.ask(message).then(
        (answer) => res.writeHead(200, { "content-type": "application/dns-message", "content-length": answer.length }).end(answer),
        () => res.writeHead(502).end(),
      );
    });
  });
  server.on("sessionError", () => undefined);
  return listen(server, sockets, front, knot.close);
}

/** `server` listening on a free port of 127.0.0.1, as `front`, whose stop() destroys `sockets`, closes it and the way upstream. */
async function listen(server: net.Server, sockets: Set<net.Socket>, front: Front, closeUpstream: () => void): Promise<Front> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  front.port = (server.address() as net.AddressInfo).port;
  front.stop = async () => {
    closeUpstream();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return front;
}
