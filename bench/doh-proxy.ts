/**
 * A DNS-over-HTTP front end for the bench's Knot (which has none), so that
 * tangerine, a DoH-only client, can be measured against the same server.
 * Runs in its own process: `node --import tsx bench/doh-proxy.ts PORT` relays
 * `GET /dns-query?dns=...` and `POST /dns-query` to 127.0.0.1:PORT over one
 * UDP socket, and prints its own HTTP port on stdout once listening.
 */
import dgram from "node:dgram";
import http from "node:http";

const upstreamPort = Number(process.argv[2]);
// A 4 MB receive buffer, so a burst of 1024 answers is not dropped here:
// losses in the relay would be charged to tangerine.
const upstream = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
upstream.connect(upstreamPort, "127.0.0.1");

/** In-flight relays by the ID sent upstream; the client's own ID is restored in the reply. */
const pending = new Map<number, { clientId: number; reply: (bytes: Buffer) => void }>();
let nextId = 0;

upstream.on("message", (msg) => {
  const entry = pending.get(msg.readUInt16BE(0));
  if (entry === undefined) return;
  pending.delete(msg.readUInt16BE(0));
  msg.writeUInt16BE(entry.clientId, 0);
  entry.reply(msg);
});

function relay(query: Buffer, res: http.ServerResponse): void {
  if (query.length < 12) {
    res.writeHead(400).end();
    return;
  }
  let id = nextId;
  while (pending.has(id)) id = (id + 1) & 0xffff;
  nextId = (id + 1) & 0xffff;
  const clientId = query.readUInt16BE(0);
  query.writeUInt16BE(id, 0);
  const timer = setTimeout(() => {
    pending.delete(id);
    res.writeHead(504).end();
  }, 5000);
  pending.set(id, {
    clientId,
    reply: (bytes) => {
      clearTimeout(timer);
      res.writeHead(200, { "content-type": "application/dns-message", "content-length": bytes.length }).end(bytes);
    },
  });
  upstream.send(query);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname !== "/dns-query") {
    res.writeHead(404).end();
    return;
  }
  if (req.method === "GET") {
    relay(Buffer.from(url.searchParams.get("dns") ?? "", "base64url"), res);
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => relay(Buffer.concat(chunks), res));
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
