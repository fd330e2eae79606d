/**
 * The npm package tangerine. It speaks only DNS over HTTP(S), so it asks the
 * bench's DoH front end (bench/doh-proxy.ts), which relays to the same Knot:
 * its figures include one HTTP hop through another process.
 */
import { createRequire } from "node:module";
import type { ClientFactory } from "./client.js";

// A CommonJS package whose types describe an ES default export.
const Tangerine = createRequire(import.meta.url)("tangerine") as typeof import("tangerine").default;

export const create: ClientFactory = async (server, options) => {
  if (options.dohPort === undefined) throw new Error("tangerine needs the DoH front end (dohPort)");
  const resolver = new Tangerine({
    servers: [`${server.address}:${options.dohPort}`],
    protocol: "http",
    cache: false,
    timeout: options.timeoutMs,
    tries: 1,
  });
  return {
    lookupA: (name) => resolver.resolve4(name) as Promise<string[]>,
    close: async () => resolver.cancel(),
  };
};
