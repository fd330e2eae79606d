/** The npm package dns-socket: one shared UDP socket, queries matched by ID. */
import dnsSocket from "dns-socket";
import type { ClientFactory } from "./client.js";

export const create: ClientFactory = async (server, options) => {
  // maxQueries bounds the in-flight table; above 10,000 for the memory run.
  const socket = dnsSocket({ timeout: options.timeoutMs, retries: 0, maxQueries: 16384 });
  return {
    lookupA: (name) =>
      new Promise((resolve, reject) => {
        socket.query({ questions: [{ type: "A", name }] }, server.port, server.address, (err, response) => {
          if (err) reject(err);
          else resolve((response.answers ?? []).flatMap((a) => (a.type === "A" ? [a.data] : [])));
        });
      }),
    close: () => new Promise((resolve) => socket.destroy(() => resolve())),
  };
};
