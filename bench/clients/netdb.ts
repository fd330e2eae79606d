/**
 * netdb, as users call it: a Resolver pointed at the bench server, asked
 * gethostbyname (one A query, like every other client here; CPython's
 * gethostbyname_ex asks twice, first through getaddrinfo, and netdb does
 * the same). The hosts table holds only localhost, so every lookup goes
 * to DNS.
 */
import { importBuilt } from "../build.js";
import type { ClientFactory } from "./client.js";

export const create: ClientFactory = async (server, options) => {
  const { Resolver } = await importBuilt<typeof import("../../src/index.js")>("index.js");
  const resolver = new Resolver({
    files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
    hostname: "bench",
    nameservers: [`${server.address}:${server.port}`],
    timeout: options.timeoutMs,
    attempts: 1,
  });
  return {
    lookupA: async (name) => [await resolver.gethostbyname(name)],
    close: () => resolver.close(),
  };
};
