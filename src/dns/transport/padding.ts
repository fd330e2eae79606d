/**
 * EDNS padding of queries on encrypted transports (RFC 7830, with RFC
 * 8467's block-length policy): the query is padded to a multiple of 128
 * octets, so that an observer of the encrypted stream cannot tell the
 * name asked from the length of the record. A query without an OPT
 * record gets one for the padding (an encrypted server speaks EDNS; a
 * plain one never sees these bytes). Queries are the ones encodeQuery
 * makes: header, one question, and at most an OPT record last, which
 * alone is extended; any other query is sent as it is.
 */
import { HEADER_OCTETS } from "../message.js";

/** RFC 8467 section 4.1: the block length a client pads its queries to. */
export const QUERY_PADDING_BLOCK = 128;
/** The EDNS option code of Padding (RFC 7830 section 3). */
export const PADDING_OPTION = 12;

const TYPE_OPT = 41;
/** An OPT record without options: root name, type, class (payload size), TTL, RDLENGTH. */
const OPT_OCTETS = 11;
/** The payload size a new OPT record advertises (the one encodeQuery's does). */
const OPT_PAYLOAD = 1232;

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** `query` padded to a multiple of {@link QUERY_PADDING_BLOCK} octets; see the module comment. */
export function withPadding(query: Uint8Array): Uint8Array {
  const end = questionEnd(query);
  if (end === undefined || u16(query, 6) !== 0 || u16(query, 8) !== 0) return query;
  const additional = u16(query, 10);
  const hasOpt = additional === 1 && query.length >= end + OPT_OCTETS && query[end] === 0 && u16(query, end + 1) === TYPE_OPT && end + OPT_OCTETS + u16(query, end + 9) === query.length;
  if (!hasOpt && (additional !== 0 || query.length !== end)) return query;
  const unpadded = query.length + (hasOpt ? 0 : OPT_OCTETS) + 4;
  const pad = (QUERY_PADDING_BLOCK - (unpadded % QUERY_PADDING_BLOCK)) % QUERY_PADDING_BLOCK;
  const out = Buffer.alloc(unpadded + pad);
  out.set(query, 0);
  if (!hasOpt) {
    out[11] = 1;
    out[end + 2] = TYPE_OPT;
    out.writeUInt16BE(OPT_PAYLOAD, end + 3);
  }
  out.writeUInt16BE(u16(out, end + 9) + 4 + pad, end + 9);
  const option = hasOpt ? query.length : end + OPT_OCTETS;
  out.writeUInt16BE(PADDING_OPTION, option);
  out.writeUInt16BE(pad, option + 2);
  return out;
}

/** Offset just past the one question, or undefined when the query does not have exactly one that fits. */
function questionEnd(query: Uint8Array): number | undefined {
  if (query.length < HEADER_OCTETS || u16(query, 4) !== 1) return undefined;
  let at = HEADER_OCTETS;
  while (at < query.length) {
    const length = query[at]!;
    if (length > 63) return undefined;
    at += 1 + length;
    if (length === 0) return at + 4 <= query.length ? at + 4 : undefined;
  }
  return undefined;
}
