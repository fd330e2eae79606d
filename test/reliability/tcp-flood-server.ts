/**
 * A hostile TCP server in a process of its own, so that it writes as fast
 * as the connection takes its bytes instead of sharing the client's event
 * loop:
 *
 *   fork("test/reliability/tcp-flood-server.ts", [MODE], { execArgv: ["--import", "tsx"] })
 *
 * Over UDP it answers every query with TC set (so a resolver that starts on
 * UDP, as c-ares does, comes to TCP); over TCP it answers a query with an
 * endless stream, until the client closes the connection:
 *
 * - `wrong-id`: copies of the right answer with another ID, framed;
 * - `wrong-id-large`: frames of almost 65,535 octets, the right question
 *   with 4,000 A records, under another ID;
 * - `random`: random octets.
 *
 * It sends `{ port }` over IPC once listening and stops and exits on "stop".
 */
import { randomBytes } from "node:crypto";
import type { DnsMessage } from "../../src/dns/message.js";
import { framed, TestDnsServer } from "../support/dnsserver.js";
import { encodeResponse } from "../support/dnsserver/wire.js";

const mode = process.argv[2];
if (mode !== "wrong-id" && mode !== "wrong-id-large" && mode !== "random") throw new Error(`tcp-flood-server.ts: unknown mode ${String(mode)}`);
const ZONE = { origin: "flood.test.", text: "$TTL 60\n@ SOA ns hostmaster 1 3600 900 604800 60\n@ NS ns\nns A 192.0.2.53\n* A 192.0.2.7\n" };

/** About 64 KiB of `frame` repeated, each copy with its length prefix. */
function repeatedFrames(frame: Uint8Array): Buffer {
  const one = framed(frame);
  return Buffer.concat(Array.from({ length: Math.ceil(65_536 / one.length) }, () => one));
}

/** An answer to `query` with 4,000 A records: about 64,000 octets. */
function large(query: DnsMessage): Buffer {
  const q = query.questions[0]!;
  const answers = Array.from({ length: 4000 }, (_, i) => ({ name: q.name, type: "A", ttl: 60, data: Uint8Array.of(192, 0, 2, i & 0xff) }));
  return encodeResponse({ id: query.id, rd: query.rd, rcode: "NOERROR", aa: true, question: q, answers });
}

const server = await TestDnsServer.start({ zones: [ZONE], ipv6: false });
server.misbehave({ protocol: "udp", behaviour: { kind: "truncate" } });
server.misbehave({
  protocol: "tcp",
  behaviour: {
    kind: "tcp-stream",
    endless: true,
    bytes:
      mode === "random"
        ? () => randomBytes(65_536)
        : (query, normal) => {
            const other = mode === "wrong-id" ? Buffer.from(normal) : large(query);
            other.writeUInt16BE(query.id ^ 0x5a5a, 0);
            return repeatedFrames(other);
          },
  },
});

process.on("message", (message) => {
  if (message === "stop") void server.stop().then(() => process.disconnect());
});
process.send!({ port: server.port });
