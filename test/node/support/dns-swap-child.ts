/**
 * Run by test/node/dns-swap.test.ts with node:dns swapped for netdb/dns
 * (dns-swap-register.mjs): an HTTP GET through cacheable-lookup, an npm
 * client written against node:dns (it imports `lookup`, `promises`
 * and the hint constants from 'node:dns', makes its own
 * `dns.promises.Resolver` and is given no lookup function). Prints what
 * happened as JSON: the body, the address connected to, which module
 * `node:dns` was, and how many DNS exchanges netdb's transport made.
 *
 *   dns-swap-child.ts DNS_PORT HTTP_PORT
 */
import CacheableLookup from "cacheable-lookup";
import http from "node:http";
import dns from "node:dns";
import { promises as dnsPromises } from "node:dns";
import * as dnsPromisesModule from "node:dns/promises";
import { installNetGuard } from "../../support/netguard.js";
import { getDefaultResolver } from "../../../src/index.js";
import netdbDns from "../../../src/node/dns.js";
import type { ExchangeSink, TransportRequest, TransportResponse } from "../../../src/dns/transport/transport.js";

installNetGuard();
const [dnsPort, httpPort] = process.argv.slice(2).map(Number) as [number, number];

// Count what netdb's default Resolver sends, beneath everything the client does.
// The DNS client calls `send` where a transport has it (every built-in one does), else `exchange`: count both.
const transport = getDefaultResolver().transport;
const exchanges: string[] = [];
const count = (request: TransportRequest): void => {
  exchanges.push(`${request.question.name.toLowerCase()} ${request.question.type}`);
};
const exchange = transport.exchange.bind(transport);
transport.exchange = (request: TransportRequest): Promise<TransportResponse> => {
  count(request);
  return exchange(request);
};
const send = transport.send?.bind(transport);
if (send !== undefined) {
  transport.send = (request: TransportRequest, sink: ExchangeSink): void => {
    count(request);
    send(request, sink);
  };
}

const lookup = new CacheableLookup();
lookup.servers = [`127.0.0.1:${dnsPort}`];
const agent = new http.Agent();
lookup.install(agent);

const response = await new Promise<{ body: string; remote: string | undefined }>((resolve, reject) => {
  http
    .get(`http://web.swap.test:${httpPort}/`, { agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ body, remote: res.socket.remoteAddress }));
    })
    .on("error", reject);
});
agent.destroy();

console.log(JSON.stringify({
  ...response,
  swapped: dns === netdbDns && dnsPromises === netdbDns.promises && (dnsPromisesModule as unknown as { default: unknown }).default === netdbDns.promises,
  servers: lookup.servers,
  swaps: (globalThis as { netdbDnsSwaps?: unknown[] }).netdbDnsSwaps,
  exchanges,
}));
