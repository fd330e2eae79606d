/**
 * The floor: raw node:dgram ping-pong with pre-encoded queries on one
 * connected socket, responses matched by ID and not parsed. No DNS client
 * can do less work per query, so every client is reported as a fraction of it.
 */
import dgram from "node:dgram";
import type { ClientFactory } from "./client.js";
import { preEncoded } from "./encoded.js";

export const create: ClientFactory = async (server, options) => {
  const socket = dgram.createSocket(server.address.includes(":") ? "udp6" : "udp4");
  await new Promise<void>((resolve) => socket.connect(server.port, server.address, resolve));
  const queryFor = preEncoded();
  const pending = new Map<number, { sent: number; resolve: (a: string[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;

  socket.on("message", (msg) => {
    const entry = pending.get(msg.readUInt16BE(0));
    if (entry === undefined) return;
    pending.delete(msg.readUInt16BE(0));
    entry.resolve([]);
  });
  // One sweep instead of a timer per query: the floor must stay the cheapest path.
  const sweep = setInterval(() => {
    const limit = performance.now() - options.timeoutMs;
    for (const [id, entry] of pending) {
      if (entry.sent < limit) {
        pending.delete(id);
        entry.reject(new Error("floor: timeout"));
      }
    }
  }, 100);

  return {
    unparsed: true,
    lookupA: (name) =>
      new Promise((resolve, reject) => {
        const template = queryFor(name);
        while (pending.has(nextId)) nextId = (nextId + 1) & 0xffff;
        const id = nextId;
        nextId = (nextId + 1) & 0xffff;
        // A copy per send: the socket owns the buffer until the send completes.
        const query = Buffer.from(template);
        query.writeUInt16BE(id, 0);
        pending.set(id, { sent: performance.now(), resolve, reject });
        socket.send(query);
      }),
    close: async () => {
      clearInterval(sweep);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
};
