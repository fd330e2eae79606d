/**
 * tangerine over HTTPS, as its users run it: the bench's DoH front
 * (bench/encrypted-front.ts, HTTP/1.1 for undici's default agent) for
 * Knot; its certificate is trusted through NODE_EXTRA_CA_CERTS, which
 * the bench sets for the workers.
 */
import { createRequire } from "node:module";
import type { ClientFactory } from "./client.js";

// A CommonJS package whose types describe an ES default export.
const Tangerine = createRequire(import.meta.url)("tangerine") as typeof import("tangerine").default;

export const create: ClientFactory = async (server, options) => {
  if (options.dohTlsPort === undefined) throw new Error("tangerine-https needs the HTTPS front end (dohTlsPort)");
  const resolver = new Tangerine({
    servers: [`${server.address}:${options.dohTlsPort}`],
    protocol: "https",
    cache: false,
    timeout: options.timeoutMs,
    tries: 1,
  });
  return {
    lookupA: (name) => resolver.resolve4(name) as Promise<string[]>,
    close: async () => resolver.cancel(),
  };
};
