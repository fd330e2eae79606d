/**
 * netdb with a fresh source port for every query (the UDP pool's
 * `queriesPerSocket: 1`, sockets still made ahead of need): what glibc's
 * socket per lookup would cost netdb, measured beside the default of a few
 * queries a port with random case (docs/benchmarks.md, issue 12's choice).
 */
import { importBuilt } from "../build.js";
import type { ClientFactory } from "./client.js";

export const create: ClientFactory = async (server, options) => {
  const { Resolver } = await importBuilt<typeof import("../../src/index.js")>("index.js");
  const { NetTransport } = await importBuilt<typeof import("../../src/dns/transport/net.js")>("dns/transport/net.js");
  const transport = new NetTransport({ pool: { queriesPerSocket: 1, spareSockets: 64 } });
  const resolver = new Resolver({
    files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
    hostname: "bench",
    nameservers: [`${server.address}:${server.port}`],
    timeout: options.timeoutMs,
    attempts: 1,
    transport,
  });
  return {
    lookupA: async (name) => [await resolver.gethostbyname(name)],
    close: async () => {
      await resolver.close();
      await transport.close();
    },
  };
};
