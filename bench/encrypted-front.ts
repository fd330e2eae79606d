/**
 * DNS over TLS and DNS over HTTPS (HTTP/2 and HTTP/1.1) fronts for the
 * bench's Knot, which has neither, so that netdb's encrypted transports
 * and tangerine over HTTPS are measured against the same server as the
 * UDP clients. Runs in its own process:
 * `node --import tsx bench/encrypted-front.ts KNOT_PORT CERT_FILE KEY_FILE`
 * relays every query over one UDP socket to 127.0.0.1:KNOT_PORT (its own
 * IDs upstream, the client's restored in the answer) and prints
 * `{"dot":PORT,"doh":PORT}` once both listen.
 */
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import tls from "node:tls";

const [knotPort, certFile, keyFile] = process.argv.slice(2);
const credentials = { cert: readFileSync(certFile!), key: readFileSync(keyFile!) };
// A 4 MB receive buffer, so a burst of 1024 answers is not dropped here: losses in the relay would be charged to the client.
const upstream = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
upstream.connect(Number(knotPort), "127.0.0.1");

/** Relays in flight by upstream ID. */
const pending = new Map<number, { clientId: number; reply: (answer: Buffer | undefined) => void }>();
let nextId = 0;

upstream.on("message", (answer) => {
  const entry = pending.get(answer.readUInt16BE(0));
  if (entry === undefined) return;
  pending.delete(answer.readUInt16BE(0));
  answer.writeUInt16BE(entry.clientId, 0);
  entry.reply(answer);
});

/** Sends `query` to Knot; `reply` gets the answer, or undefined after 5 s. */
function relay(query: Buffer, reply: (answer: Buffer | undefined) => void): void {
  let id = nextId;
  while (pending.has(id)) id = (id + 1) & 0xffff;
  nextId = (id + 1) & 0xffff;
  const copy = Buffer.from(query);
  const clientId = copy.readUInt16BE(0);
  copy.writeUInt16BE(id, 0);
  const timer = setTimeout(() => {
    pending.delete(id);
    reply(undefined);
  }, 5000);
  pending.set(id, {
    clientId,
    reply: (answer) => {
      clearTimeout(timer);
      reply(answer);
    },
  });
  upstream.send(copy);
}

const dot = tls.createServer(credentials, (socket) => {
  socket.on("error", () => undefined);
  let data: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    data = data.length === 0 ? chunk : Buffer.concat([data, chunk]);
    while (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
      const query = data.subarray(2, 2 + data.readUInt16BE(0));
      data = data.subarray(2 + query.length);
      if (query.length < 12) continue;
      relay(query, (answer) => {
        if (answer === undefined || socket.destroyed) return;
        const frame = Buffer.allocUnsafe(2 + answer.length);
        frame.writeUInt16BE(answer.length, 0);
        answer.copy(frame, 2);
        socket.write(frame);
      });
    }
  });
});

const doh = http2.createSecureServer({ ...credentials, allowHTTP1: true, settings: { maxConcurrentStreams: 2048 } }, (req, res) => {
  const url = new URL(req.url, "https://bench");
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const query = req.method === "GET" ? Buffer.from(url.searchParams.get("dns") ?? "", "base64url") : Buffer.concat(chunks);
    if (url.pathname !== "/dns-query" || query.length < 12) {
      res.writeHead(400).end();
      return;
    }
    relay(query, (answer) => {
      if (answer === undefined) res.writeHead(504).end();
      else res.writeHead(200, { "content-type": "application/dns-message", "content-length": answer.length }).end(answer);
    });
  });
});
doh.on("sessionError", () => undefined);

let listening = 0;
const ready = (): void => {
  if (++listening < 2) return;
  process.stdout.write(`${JSON.stringify({ dot: (dot.address() as AddressInfo).port, doh: (doh.address() as AddressInfo).port })}\n`);
};
dot.listen(0, "127.0.0.1", ready);
doh.listen(0, "127.0.0.1", ready);
process.on("SIGTERM", () => process.exit(0));
