/**
 * The bench's relay to Knot over one UDP socket, for its DoH and DoT
 * fronts (doh-proxy.ts, encrypted-front.ts): each query goes upstream
 * under an ID of the relay's own and its answer comes back under the
 * client's; no answer within 5 s is reported as none.
 */
import dgram from "node:dgram";

/** Sends a query to Knot; `reply` gets its answer, or undefined after 5 s. */
export type Relay = (query: Buffer, reply: (answer: Buffer | undefined) => void) => void;

/** A relay to 127.0.0.1:`port`. */
export function udpRelay(port: number): Relay {
  // A 4 MB receive buffer, so a burst of 1024 answers is not dropped here:
  // losses in the relay would be charged to the client measured.
  const upstream = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  upstream.connect(port, "127.0.0.1");
  const pending = new Map<number, { clientId: number; reply: (answer: Buffer | undefined) => void }>();
  let nextId = 0;
  upstream.on("message", (answer) => {
    const entry = pending.get(answer.readUInt16BE(0));
    if (entry === undefined) return;
    pending.delete(answer.readUInt16BE(0));
    answer.writeUInt16BE(entry.clientId, 0);
    entry.reply(answer);
  });
  return (query, reply) => {
    let id = nextId;
    while (pending.has(id)) id = (id + 1) & 0xffff;
    nextId = (id + 1) & 0xffff;
    const copy = Buffer.from(query);
    const clientId = copy.readUInt16BE(0);
    copy.writeUInt16BE(id, 0);
    const timer = setTimeout(() => {
      pending.delete(id);
      reply(undefined);
    }, 5000);
    pending.set(id, {
      clientId,
      reply: (answer) => {
        clearTimeout(timer);
        reply(answer);
      },
    });
    upstream.send(copy);
  };
}
