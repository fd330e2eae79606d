/**
 * The npm package tangerine. It speaks only DNS over HTTP(S), so it asks the
 * bench's DoH front end (bench/doh-proxy.ts), which relays to the same Knot:
 * its figures include one HTTP hop through another process.
 */
import { createRequire } from "node:module";
import type { BenchClient, ClientFactory, ClientOptions, ServerAddress } from "./client.js";

// A CommonJS package whose types describe an ES default export.
const Tangerine = createRequire(import.meta.url)("tangerine") as typeof import("tangerine").default;

/** tangerine asking `server.address:port` over `protocol`, one try per lookup, no cache. */
export function tangerineClient(server: ServerAddress, port: number, protocol: "http" | "https", options: ClientOptions): BenchClient {
  const resolver = new Tangerine({
    servers: [`${server.address}:${port}`],
    protocol,
    cache: false,
    timeout: options.timeoutMs,
    tries: 1,
  });
  return {
    lookupA: (name) => resolver.resolve4(name) as Promise<string[]>,
    close: async () => resolver.cancel(),
  };
}

export const create: ClientFactory = async (server, options) => {
  if (options.dohPort === undefined) throw new Error("tangerine needs the DoH front end (dohPort)");
  return tangerineClient(server, options.dohPort, "http", options);
};
