/**
 * netdb with one source port per server for its whole life (the UDP
 * pool's `queriesPerSocket` lifted to 100,000), as c-ares and dns-socket
 * send: not a configuration to ship, since it gives up the spoof resistance
 * of a few queries a port (issue 12), but beside `netdb` and
 * `floor-8-per-port` it separates what the port rule costs from what
 * netdb's own code costs per lookup (docs/benchmarks.md, "Seventh pass").
 */
import { importBuilt } from "../build.js";
import type { ClientFactory } from "./client.js";
import { netdbClient } from "./netdb.js";

export const create: ClientFactory = async (server, options) => {
  const { NetTransport } = await importBuilt<typeof import("../../src/dns/transport/net.js")>("dns/transport/net.js");
  return netdbClient(server, options, new NetTransport({ pool: { queriesPerSocket: 100_000 } }));
};
