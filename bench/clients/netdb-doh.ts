/**
 * netdb over DNS over HTTPS (RFC 8484) on HTTP/2, POST: the bench's netdb
 * client with an `https://` nameserver, the bench's DoH front
 * (bench/encrypted-front.ts) for Knot, whose certificate it trusts; one
 * multiplexed session.
 */
import { readFileSync } from "node:fs";
import type { ClientFactory } from "./client.js";
import { netdbClient } from "./netdb.js";

export const create: ClientFactory = (server, options) => {
  if (options.dohTlsPort === undefined || options.caFile === undefined) throw new Error("netdb-doh needs the HTTPS front end (dohTlsPort, caFile)");
  return netdbClient(server, options, undefined, { nameserver: `https://${server.address}:${options.dohTlsPort}/dns-query`, tlsCa: readFileSync(options.caFile, "utf8") });
};
