/**
 * A hostile TCP server in a process of its own, so that it writes as fast
 * as the connection takes its bytes instead of sharing the client's event
 * loop:
 *
 *   fork("test/reliability/tcp-flood-server.ts", { execArgv: ["--import", "tsx"] })
 *
 * Over UDP it answers every query with TC set (so a resolver that starts on
 * UDP, as c-ares does, comes to TCP); over TCP it answers a query, by name,
 * with an endless stream until the client closes the connection:
 *
 * - `wrong-id.flood.test`: copies of the right answer with another ID;
 * - `wrong-id-large.flood.test`: frames of about 64,000 octets, the right
 *   question with 4,000 A records, under another ID;
 * - `wrong-question-large.flood.test`: the same with the query's ID, but
 *   for another name (refused once its question is read);
 * - `wrong-opcode-large.flood.test`: the same with the query's ID and
 *   question, but opcode 2 (STATUS), so that each frame is decoded before
 *   it is refused;
 * - `random.flood.test`: random octets (the same 64 KiB of them, again and
 *   again);
 *
 * and answers `late.flood.test` correctly, after 150 ms. Other names under
 * flood.test are answered at once. It sends `{ port }` over IPC once
 * listening, and stops and exits on "stop".
 */
import { randomBytes } from "node:crypto";
import type { DnsMessage } from "../../src/dns/message.js";
import type { Question } from "../../src/dns/question.js";
import { framed, TestDnsServer } from "../support/dnsserver.js";
import { encodeResponse } from "../../src/zone/wire.js";

const ZONE = { origin: "flood.test.", text: "$TTL 60\n@ SOA ns hostmaster 1 3600 900 604800 60\n@ NS ns\nns A 192.0.2.53\n* A 192.0.2.7\n" };

/** About 64 KiB of `frame` repeated, each copy with its length prefix. */
function repeatedFrames(frame: Uint8Array): Buffer {
  const one = framed(frame);
  return Buffer.concat(Array.from({ length: Math.ceil(65_536 / one.length) }, () => one));
}

/** Responses of about 64,000 octets by question name, made once each (encoding 4,000 records takes a while). */
const LARGE = new Map<string, Buffer>();

/** A response of about 64,000 octets to `question`: 4,000 A records, under `id`. */
function large(id: number, question: Required<Question>): Buffer {
  let made = LARGE.get(question.name);
  if (made === undefined) {
    const answers = Array.from({ length: 4000 }, (_, i) => ({ name: question.name, type: "A", ttl: 60, data: Uint8Array.of(192, 0, 2, i & 0xff) }));
    made = encodeResponse({ id: 0, rcode: "NOERROR", aa: true, question, answers });
    LARGE.set(question.name, made);
  }
  const copy = Buffer.from(made);
  copy.writeUInt16BE(id, 0);
  return copy;
}

/** The frame each flood repeats, for `query` (whose normal answer is `normal`). */
const FLOODS: Record<string, (query: DnsMessage, normal: Buffer) => Buffer> = {
  "wrong-id": (query, normal) => {
    const other = Buffer.from(normal);
    other.writeUInt16BE(query.id ^ 0x5a5a, 0);
    return repeatedFrames(other);
  },
  "wrong-id-large": (query) => repeatedFrames(large(query.id ^ 0x5a5a, query.questions[0]!)),
  "wrong-question-large": (query) => {
    const q = query.questions[0]!;
    return repeatedFrames(large(query.id, { ...q, name: `other.${q.name}` }));
  },
  "wrong-opcode-large": (query) => {
    const other = large(query.id, query.questions[0]!);
    other[2]! |= 2 << 3;
    return repeatedFrames(other);
  },
  random: () => randomBytes(65_536),
};

const server = await TestDnsServer.start({ zones: [ZONE], ipv6: false });
server.misbehave({ protocol: "udp", behaviour: { kind: "truncate" } });
for (const [flood, bytes] of Object.entries(FLOODS)) {
  server.misbehave({ name: `${flood}.flood.test`, protocol: "tcp", behaviour: { kind: "tcp-stream", endless: true, bytes } });
}
server.misbehave({ name: "late.flood.test", protocol: "tcp", behaviour: { kind: "delay", ms: 150 } });

process.on("message", (message) => {
  if (message === "stop") void server.stop().then(() => process.disconnect());
});
process.send!({ port: server.port });
