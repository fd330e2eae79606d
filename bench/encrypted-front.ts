/**
 * DNS over TLS and DNS over HTTPS (HTTP/2 and HTTP/1.1) fronts for the
 * bench's Knot, which has neither, so that netdb's encrypted transports
 * and tangerine over HTTPS are measured against the same server as the
 * UDP clients. Runs in its own process:
 * `node --import tsx bench/encrypted-front.ts KNOT_PORT CERT_FILE KEY_FILE`
 * relays every query to 127.0.0.1:KNOT_PORT (relay.ts) and prints
 * `{"dot":PORT,"doh":PORT}` once both listen.
 */
import { readFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { udpRelay } from "./relay.js";

const [knotPort, certFile, keyFile] = process.argv.slice(2);
const credentials = { cert: readFileSync(certFile!), key: readFileSync(keyFile!) };
const relay = udpRelay(Number(knotPort));

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
