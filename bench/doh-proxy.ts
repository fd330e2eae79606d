/**
 * A DNS-over-HTTP front end for the bench's Knot (which has none), so that
 * tangerine, a DoH-only client, can be measured against the same server.
 * Runs in its own process: `node --import tsx bench/doh-proxy.ts PORT` relays
 * `GET /dns-query?dns=...` and `POST /dns-query` to 127.0.0.1:PORT (relay.ts),
 * and prints its own HTTP port on stdout once listening.
 */
import http from "node:http";
import { udpRelay } from "./relay.js";

const relayToKnot = udpRelay(Number(process.argv[2]));

function relay(query: Buffer, res: http.ServerResponse): void {
  if (query.length < 12) {
    res.writeHead(400).end();
    return;
  }
  relayToKnot(query, (answer) => {
    if (answer === undefined) res.writeHead(504).end();
    else res.writeHead(200, { "content-type": "application/dns-message", "content-length": answer.length }).end(answer);
  });
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
