/**
 * A third floor: the same pre-encoded queries as `floor`, but no source
 * port carries more than 8 queries in its life, the rule netdb's UDP pool
 * keeps for spoof resistance (PoolLimits.queriesPerSocket, issue 12). Each
 * connected socket takes 8 queries, each under its own ID, and is closed
 * once its last response is in; responses are matched by ID and never
 * parsed. Beside `floor` (one socket for everything, as c-ares and
 * dns-socket use) it shows what the rule costs before any DNS code runs.
 */
import dgram from "node:dgram";
import type { ClientFactory } from "./client.js";
import { preEncoded } from "./encoded.js";

const QUERIES_PER_PORT = 8;

/** One socket of the floor and the queries it carries. */
interface PortSocket {
  socket: dgram.Socket;
  taken: number;
  connected: boolean;
  outbox: Buffer[];
  waiting: Map<number, () => void>;
}

export const create: ClientFactory = async (server, options) => {
  const queryFor = preEncoded();
  let current: PortSocket | undefined;
  const open = (): PortSocket => {
    const socket = dgram.createSocket(server.address.includes(":") ? "udp6" : "udp4");
    const port: PortSocket = { socket, taken: 0, connected: false, outbox: [], waiting: new Map() };
    socket.on("message", (message) => port.waiting.get(message.readUInt16BE(0))?.());
    socket.connect(server.port, server.address, () => {
      port.connected = true;
      for (const query of port.outbox) socket.send(query);
      port.outbox = [];
    });
    return port;
  };
  return {
    unparsed: true,
    lookupA: (name) =>
      new Promise((resolve, reject) => {
        const query = queryFor(name);
        if (current === undefined || current.taken === QUERIES_PER_PORT) current = open();
        const port = current;
        const id = port.taken++;
        const wire = Buffer.from(query);
        wire.writeUInt16BE(id, 0);
        const end = (err?: Error): void => {
          clearTimeout(timer);
          port.waiting.delete(id);
          if (port.waiting.size === 0 && port.taken === QUERIES_PER_PORT) port.socket.close();
          if (err) reject(err);
          else resolve([]);
        };
        const timer = setTimeout(() => end(new Error("floor-8-per-port: timeout")), options.timeoutMs);
        port.waiting.set(id, () => end());
        if (port.connected) port.socket.send(wire);
        else port.outbox.push(wire);
      }),
    close: async () => {
      if (current !== undefined && current.waiting.size === 0 && current.taken < QUERIES_PER_PORT) current.socket.close();
    },
  };
};
