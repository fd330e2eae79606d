/**
 * netdb over DNS over TLS (RFC 7858): the bench's netdb client with a
 * `tls://` nameserver, the bench's DoT front (bench/encrypted-front.ts)
 * for Knot, whose certificate it trusts; one pipelined connection.
 */
import { readFileSync } from "node:fs";
import type { ClientFactory } from "./client.js";
import { netdbClient } from "./netdb.js";

export const create: ClientFactory = (server, options) => {
  if (options.dotPort === undefined || options.caFile === undefined) throw new Error("netdb-dot needs the DoT front end (dotPort, caFile)");
  return netdbClient(server, options, undefined, { nameserver: `tls://${server.address}:${options.dotPort}?name=dns.bench`, tlsCa: readFileSync(options.caFile, "utf8") });
};
