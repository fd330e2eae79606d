/**
 * One query answered as an authoritative server answers it, as bytes: the
 * question echoed, the authority's sections (authority.ts) encoded with
 * Knot's name compression (wire.ts), an OPT record when the query had
 * one, and over UDP a response too large for the client's buffer (512
 * octets without EDNS, RFC 1035 §4.2.1; the advertised size with it, up to
 * Knot's 1232) sent as Knot truncates: TC set and every section empty, so
 * the client asks again over TCP.
 */
import type { DnsMessage } from "../dns/message.js";
import type { Protocol } from "../dns/question.js";
import type { Authority } from "./authority.js";
import { encodeResponse, type WireResponse } from "./wire.js";

/** Knot's default maximum UDP payload. */
export const SERVER_UDP_PAYLOAD = 1232;

/** The largest UDP response a query lets a server send. */
function udpLimit(query: DnsMessage): number {
  return query.edns === undefined ? 512 : Math.min(Math.max(512, query.edns.udpPayloadSize), SERVER_UDP_PAYLOAD);
}

/** The response `authority` gives to `query` over `protocol`; FORMERR for a query that is not one question of opcode QUERY. */
export function authoritativeResponse(authority: Authority, query: DnsMessage, protocol: Protocol): Buffer {
  const q = query.questions[0];
  const base: WireResponse = { id: query.id, rd: query.rd, rcode: "NOERROR" };
  if (query.edns !== undefined) base.edns = { udpPayloadSize: SERVER_UDP_PAYLOAD };
  if (q === undefined || query.questions.length !== 1 || query.opcode !== 0) return encodeResponse({ ...base, rcode: "FORMERR" });
  const { extendedError, ...answer } = authority.answer(q.name, q.type);
  if (base.edns !== undefined && extendedError !== undefined) base.edns.extendedError = extendedError;
  const full = encodeResponse({ ...base, question: q, ...answer });
  if (protocol === "udp" && full.length > udpLimit(query)) return encodeResponse({ ...base, question: q, aa: answer.aa, rcode: answer.rcode, tc: true });
  return full;
}
