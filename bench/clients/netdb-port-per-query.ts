/**
 * netdb with a fresh source port for every query (the UDP pool's
 * `queriesPerSocket: 1`, sockets still made ahead of need): what glibc's
 * socket per lookup would cost netdb, measured beside the default of a few
 * queries a port with random case (docs/benchmarks.md, issue 12's choice).
 */
import { importBuilt } from "../build.js";
import type { ClientFactory } from "./client.js";
import { netdbClient } from "./netdb.js";

export const create: ClientFactory = async (server, options) => {
  const { NetTransport } = await importBuilt<typeof import("../../src/dns/transport/net.js")>("dns/transport/net.js");
  return netdbClient(server, options, new NetTransport({ pool: { queriesPerSocket: 1, spareSockets: 64 } }));
};
