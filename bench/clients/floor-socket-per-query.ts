/**
 * A second floor: the same pre-encoded queries, but each on a new connected
 * UDP socket that is closed after its response, as glibc and netdb's
 * NetTransport do (a fresh source port per query). Next to `floor` it shows
 * what that design costs by itself, before any DNS code runs.
 */
import dgram from "node:dgram";
import type { ClientFactory } from "./client.js";
import { preEncoded } from "./encoded.js";

export const create: ClientFactory = async (server, options) => {
  const queryFor = preEncoded();
  return {
    unparsed: true,
    lookupA: (name) =>
      new Promise((resolve, reject) => {
        const query = queryFor(name);
        const socket = dgram.createSocket(server.address.includes(":") ? "udp6" : "udp4");
        const done = (err?: Error): void => {
          clearTimeout(timer);
          socket.close();
          if (err) reject(err);
          else resolve([]);
        };
        const timer = setTimeout(() => done(new Error("floor-socket-per-query: timeout")), options.timeoutMs);
        socket.on("error", done);
        socket.on("message", () => done());
        // Every query has ID 0: the socket is its own, so nothing else can arrive on it.
        socket.connect(server.port, server.address, () => socket.send(query));
      }),
    close: async () => undefined,
  };
};
