/** node:dns's `Resolver` (c-ares), pointed at the bench server before any query. */
import dns from "node:dns";
import type { ClientFactory } from "./client.js";

export const create: ClientFactory = async (server, options) => {
  const resolver = new dns.promises.Resolver({ timeout: options.timeoutMs, tries: 1 });
  resolver.setServers([`${server.address}:${server.port}`]);
  return {
    lookupA: (name) => resolver.resolve4(name),
    close: async () => resolver.cancel(),
  };
};
