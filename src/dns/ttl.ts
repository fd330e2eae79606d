/**
 * TTLs of responses for a cache: how long a response may be kept
 * (RFC 2181 section 5.2, RFC 2308) and the response as it reads some
 * seconds later (every TTL lowered, as a caching server hands it out).
 */
import type { DnsMessage, ResourceRecord } from "./message.js";
import { HEADER_OCTETS } from "./message.js";
import { readName } from "./name.js";

/**
 * How many seconds `message` may be cached, or undefined when it must not
 * be: only complete (not truncated) NOERROR and NXDOMAIN answers are kept.
 *
 * - Data for the question: the smallest TTL in the answer section (the
 *   CNAMEs of the chain included).
 * - NXDOMAIN, and NOERROR without data of the asked type (NODATA, or a
 *   CNAME chain that ends without it): RFC 2308 section 5, the smaller of
 *   the authority SOA's TTL and its MINIMUM field, further capped by the
 *   answer TTLs; without an SOA, not cached at all (section 5: "SHOULD
 *   NOT be cached"), which also keeps referrals and lame answers out.
 *
 * A TTL with the top bit set counts as 0 (RFC 2181 section 8). The result
 * may be 0, which means "use once, do not keep".
 */
export function cacheableTtl(message: DnsMessage): number | undefined {
  if (message.tc || message.cutShort || !message.qr) return undefined;
  if (message.rcode !== "NOERROR" && message.rcode !== "NXDOMAIN") return undefined;
  const question = message.questions[0];
  if (question === undefined) return undefined;
  const answerTtl = Math.min(...message.answers.map(ttlOf));
  const hasData = message.rcode === "NOERROR" && message.answers.some((rr) => rr.type === question.type);
  if (hasData) return answerTtl;
  const soa = message.authorities.find((rr) => rr.type === "SOA");
  if (soa === undefined) return undefined;
  return Math.min(ttlOf(soa), soaMinimum(soa), answerTtl);
}

/** RFC 2181 section 8: a TTL with the top bit set is read as zero. */
function ttlOf(rr: ResourceRecord): number {
  return rr.ttl > 0x7fffffff ? 0 : rr.ttl;
}

/** The MINIMUM field: the last 32 bits of SOA RDATA. */
function soaMinimum(soa: ResourceRecord): number {
  const { rdata } = soa;
  if (rdata.length < 20) return 0;
  const minimum = Buffer.from(rdata.buffer, rdata.byteOffset, rdata.byteLength).readUInt32BE(rdata.length - 4);
  return minimum > 0x7fffffff ? 0 : minimum;
}

const TYPE_OPT = 41;

/**
 * A copy of the response `bytes` (which must decode: they were checked
 * before being cached) with message ID `id` and every record's TTL lowered
 * by `elapsed` seconds, down to 0. The OPT record's TTL field holds flags,
 * not a TTL, and is left alone.
 */
export function agedResponse(bytes: Uint8Array, id: number, elapsed: number): Uint8Array {
  const out = Buffer.from(bytes);
  out.writeUInt16BE(id, 0);
  const questions = out.readUInt16BE(4);
  const records = out.readUInt16BE(6) + out.readUInt16BE(8) + out.readUInt16BE(10);
  let at = HEADER_OCTETS;
  for (let i = 0; i < questions; i++) at = readName(out, at).end + 4;
  for (let i = 0; i < records; i++) {
    const nameEnd = readName(out, at).end;
    const type = out.readUInt16BE(nameEnd);
    if (type !== TYPE_OPT && elapsed > 0) {
      const ttl = out.readUInt32BE(nameEnd + 4);
      out.writeUInt32BE(Math.max(0, ttl - elapsed), nameEnd + 4);
    }
    at = nameEnd + 10 + out.readUInt16BE(nameEnd + 8);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
