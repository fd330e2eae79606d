/**
 * DNS messages on the wire: building a query, and reading a response
 * without trusting it.
 *
 * Queries are written directly (a header, one question, and an OPT record
 * for EDNS0: no name compression, nothing to choose). Responses are walked by
 * {@link decodeMessage} first: header, every name (compression pointers
 * must point backwards, labels and names within their limits) and every
 * RDATA length, and only then are RDATA decoded (dns-packet's codecs for
 * the types it is trusted with). A response whose question does not read
 * becomes a {@link MalformedMessageError}; past the question, glibc reads
 * a message as far as it can (its ns_rr_cursor: records up to the header's
 * counts, whatever follows them ignored), and so does this: the records
 * before one that does not read are kept and the message is marked
 * `cutShort`, the header's counts kept in `counts`. Never a crash or a
 * half-read record.
 */
import { formatAddress } from "../inet.js";
import type { Question } from "./question.js";
import { MalformedMessageError } from "./errors.js";
import { checkWireName, isPlainName, lastNameEnd, nameWire, plainWireLength, readMessageName, readNameText, sameName, startMessageNames, writePlainName } from "./name.js";
import { dnsPacket } from "./packet.js";
import { className, classCode, rcodeName, typeCode, typeName } from "./rrtypes.js";

/** Header length (RFC 1035 section 4.1.1). */
export const HEADER_OCTETS = 12;

/**
 * EDNS0 UDP payload size advertised unless said otherwise: glibc 2.36's
 * 1200 (resolv/res_mkquery.c, RESOLV_EDNS_BUFFER_SIZE). It decides which
 * answers come back truncated, and so which go to TCP.
 */
export const EDNS_PAYLOAD_SIZE = 1200;

/** The EDNS0 pseudo-record of a message (RFC 6891). */
export interface Edns {
  udpPayloadSize: number;
  extendedRcode: number;
  version: number;
  /** The 16 flag bits (DO is 0x8000). */
  flags: number;
  /** The OPT record's RDATA: its options (RFC 6891 section 6.1.2), undecoded. */
  options: Uint8Array;
}

/**
 * Decoded RDATA. A and AAAA: the address as `inet_ntop` prints it. CNAME,
 * PTR, NS, DNAME: the target name in text form (see name.ts). MX, SOA, SRV,
 * TXT, CAA, HINFO: dns-packet's object. Undefined for other types, and for
 * an A or AAAA record whose RDATA has the wrong length (glibc skips those).
 */
export type RecordData = string | Record<string, unknown> | undefined;

/** One resource record. */
export interface ResourceRecord {
  /** Owner name, text form, no trailing dot. */
  name: string;
  /** Type name: `"A"`, or `"TYPE65280"` for one without a name. */
  type: string;
  /** Class name: `"IN"`, or `"CLASS7"`. */
  class: string;
  /** TTL in seconds, as the unsigned 32-bit number on the wire. */
  ttl: number;
  data: RecordData;
  /** The raw RDATA (compression pointers inside it not expanded). */
  rdata: Uint8Array;
}

/** A decoded DNS message. */
export interface DnsMessage {
  id: number;
  /** QR: this is a response. */
  qr: boolean;
  opcode: number;
  /** AA: authoritative answer. */
  aa: boolean;
  /** TC: truncated. */
  tc: boolean;
  /** RD: recursion desired. */
  rd: boolean;
  /** RA: recursion available. */
  ra: boolean;
  /** AD: authentic data. */
  ad: boolean;
  /** CD: checking disabled. */
  cd: boolean;
  /** RCODE of the header (4 bits) as a name: `"NOERROR"`, `"NXDOMAIN"`, ... */
  rcode: string;
  questions: Array<Required<Question>>;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** The additional section without the OPT record (that is in `edns`). */
  additionals: ResourceRecord[];
  edns?: Edns;
  /**
   * True when a record the header counts did not read (the message ends
   * in it, or it breaks a rule above); the records before it are kept,
   * those after it are not read. Readers that, like glibc's, walk all the
   * records the header counts treat reaching it as a malformed answer.
   */
  cutShort: boolean;
  /** The header's QDCOUNT, ANCOUNT, NSCOUNT and ARCOUNT, as sent (which glibc's res_query and res_send read). */
  counts: readonly [number, number, number, number];
  /** The bytes this was decoded from. */
  bytes: Uint8Array;
}

/** Options of {@link encodeQuery}. */
export interface QueryOptions {
  /** The 16-bit message ID. */
  id: number;
  /** Add an OPT record. */
  edns0: boolean;
  /** The payload size the OPT record advertises; {@link EDNS_PAYLOAD_SIZE} unless given. */
  ednsPayloadSize?: number;
  /** RD bit; true unless said otherwise, as glibc's RES_RECURSE. */
  recursionDesired?: boolean;
  /** AD bit, which glibc sets with `options trust-ad`. */
  authenticData?: boolean;
}

/**
 * Encodes a standard query for one question. Throws
 * {@link InvalidNameError} (from name.ts) for a name that cannot be put on
 * the wire, where glibc's `res_mkquery` fails, and a RangeError for an
 * unknown type or class name.
 */
export function encodeQuery(q: Question, opts: QueryOptions): Uint8Array {
  return writeQuery(q, opts.id, opts.edns0, opts.recursionDesired ?? true, opts.authenticData === true, opts.ednsPayloadSize ?? EDNS_PAYLOAD_SIZE);
}

/** {@link encodeQuery} with its options as arguments: res_send's form, one call per exchange with no options object. */
export function writeQuery(q: Question, id: number, edns0: boolean, recursionDesired: boolean, authenticData: boolean, ednsPayloadSize: number): Uint8Array {
  const plain = isPlainName(q.name);
  if (plain) checkWireName(q.name);
  const wire = plain ? undefined : nameWire(q.name);
  const type = typeCode(q.type);
  const klass = classCode(q.class ?? "IN");
  if (type === undefined) throw new RangeError(`unknown record type ${JSON.stringify(q.type)}`);
  if (klass === undefined) throw new RangeError(`unknown class ${JSON.stringify(q.class)}`);
  const klassName = className(klass);
  if (klassName.startsWith("CLASS") || klassName === "NONE") throw new RangeError(`cannot encode class ${klassName}`);
  let flags = 0;
  if (recursionDesired) flags |= FLAG_RD;
  if (authenticData) flags |= FLAG_AD;

  // Header, question, and the OPT record: 11 octets, all zero but its type and payload size.
  const questionEnd = HEADER_OCTETS + (wire === undefined ? plainWireLength(q.name) : wire.length) + 4;
  // From Buffer's shared pool: a query in flight holds no ArrayBuffer of its own (docs/benchmarks.md, "Garbage and memory per lookup").
  const bytes = Buffer.allocUnsafe(questionEnd + (edns0 ? 11 : 0)).fill(0);
  put16(bytes, 0, id);
  put16(bytes, 2, flags);
  put16(bytes, 4, 1);
  if (wire === undefined) writePlainName(q.name, bytes, HEADER_OCTETS);
  else bytes.set(wire, HEADER_OCTETS);
  put16(bytes, questionEnd - 4, type);
  put16(bytes, questionEnd - 2, klass);
  if (edns0) {
    put16(bytes, 10, 1);
    put16(bytes, questionEnd + 1, TYPE_OPT);
    put16(bytes, questionEnd + 3, ednsPayloadSize);
  }
  return bytes;
}

function put16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >> 8;
  bytes[at + 1] = value & 0xff;
}

/**
 * A query without its ID, as a string: two queries with the same key ask
 * exactly the same thing (name, type, class, flags, EDNS0), so one answer
 * serves both. Used to merge queries in flight and to key the cache.
 */
export function queryKey(query: Uint8Array): string {
  return latin1Slice.call(query, 2, query.byteLength);
}

/** Buffer's latin1 reader, which takes any Uint8Array: no Buffer view per key. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

/** A copy of `message` under another ID (an answer handed to a query merged with the one that was sent). */
export function withMessageId(message: Uint8Array, id: number): Uint8Array {
  const copy = Uint8Array.from(message);
  copy[0] = id >> 8;
  copy[1] = id & 0xff;
  return copy;
}

const FLAG_RD = 0x0100;
const FLAG_AD = 0x0020;
const TYPE_OPT = 41;

/** Types whose RDATA dns-packet decodes for us, after the framing was checked. */
const PACKET_DECODED = new Set(["MX", "SOA", "SRV", "TXT", "CAA", "HINFO"]);
/** Types whose RDATA is exactly one name. */
const NAME_RDATA = new Set(["CNAME", "PTR", "NS", "DNAME"]);
const ADDRESS_OCTETS: Readonly<Record<string, number>> = { A: 4, AAAA: 16 };

interface RdataCodec {
  decode(buf: Buffer, offset: number): unknown;
}
/** dns-packet's codec for `type`; its type definitions do not declare them. */
function recordCodec(type: string): RdataCodec & { decode: { bytes: number } } {
  return (dnsPacket() as unknown as { record(type: string): RdataCodec & { decode: { bytes: number } } }).record(type);
}

/**
 * Decodes a message, checking everything (see the module comment). Throws
 * {@link MalformedMessageError} for a header or question that does not
 * read; past the question, a record that does not read ends the reading
 * and sets `cutShort`, and octets after the last counted record are
 * ignored.
 */
export function decodeMessage(bytes: Uint8Array): DnsMessage {
  if (bytes.length < HEADER_OCTETS) throw new MalformedMessageError(`${bytes.length} octets, shorter than a header`, 0);
  const view = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.readUInt16BE(2);
  const counts = [view.readUInt16BE(4), view.readUInt16BE(6), view.readUInt16BE(8), view.readUInt16BE(10)] as const;
  startMessageNames();
  let offset = HEADER_OCTETS;
  const questions = counts[0] === 0 ? [] : new Array<Required<Question>>(Math.min(counts[0], Math.floor((view.length - offset) / MIN_QUESTION_OCTETS)));
  for (let i = 0; i < counts[0]; i++) {
    questions[i] = readQuestion(view, offset, true);
    offset = questionEnd;
  }
  const answers = sectionArray(counts[1], view, offset);
  const authorities = sectionArray(counts[2], view, offset);
  const additionals = sectionArray(counts[3], view, offset);
  const message: DnsMessage = {
    id: view.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: rcodeName(flags & 0xf),
    questions,
    answers,
    authorities,
    additionals,
    cutShort: false,
    counts,
    bytes,
  };
  // The sections read so far: one that was never reached holds no record.
  let reached = 1;
  try {
    offset = readSection(view, offset, counts[1], answers, undefined);
    reached = 2;
    offset = readSection(view, offset, counts[2], authorities, undefined);
    reached = 3;
    readSection(view, offset, counts[3], additionals, message);
  } catch (err) {
    if (!(err instanceof MalformedMessageError)) throw err;
    message.cutShort = true;
    if (reached < 2) authorities.length = 0;
    if (reached < 3) additionals.length = 0;
  }
  return message;
}

/** The shortest question: a root name, type and class. */
const MIN_QUESTION_OCTETS = 5;
/** The shortest record: a root owner name and the fixed fields (RFC 1035 section 4.1.3). */
const MIN_RECORD_OCTETS = 11;

/** An array for the records of a section: sized for what the header counts, as far as the octets after the question could hold. */
function sectionArray(count: number, view: Buffer, offset: number): ResourceRecord[] {
  return count === 0 ? [] : new Array<ResourceRecord>(Math.min(count, Math.floor((view.length - offset) / MIN_RECORD_OCTETS)));
}

/**
 * Reads `count` records from `offset` into `into` (made by
 * {@link sectionArray}: cut to the records read, also when one does not
 * read); returns the offset after them. `edns` is the message when this is
 * the additional section, whose OPT record goes to its `edns`.
 */
function readSection(view: Buffer, offset: number, count: number, into: ResourceRecord[], edns: DnsMessage | undefined): number {
  let at = offset;
  let kept = 0;
  try {
    for (let i = 0; i < count; i++) {
      const record = readRecord(view, at);
      at = recordEnd;
      if (edns !== undefined && recordType === TYPE_OPT) {
        if (edns.edns !== undefined) throw new MalformedMessageError("more than one OPT record", at);
        if (record.name !== ".") throw new MalformedMessageError("OPT record not owned by the root", at);
        edns.edns = {
          udpPayloadSize: recordClass,
          extendedRcode: record.ttl >>> 24,
          version: (record.ttl >>> 16) & 0xff,
          flags: record.ttl & 0xffff,
          options: record.rdata,
        };
      } else into[kept++] = record;
    }
  } finally {
    into.length = kept;
  }
  return at;
}

/** Where the question {@link readQuestion} read last ended. */
let questionEnd = 0;

function readQuestion(view: Buffer, offset: number, inMessage: boolean): Required<Question> {
  const name = inMessage ? readMessageName(view, offset) : readNameText(view, offset);
  const end = lastNameEnd();
  if (end + 4 > view.length) throw new MalformedMessageError("question runs past the end of the message", end);
  questionEnd = end + 4;
  return { name, type: typeName(view.readUInt16BE(end)), class: className(view.readUInt16BE(end + 2)) };
}

/** The type code, class code and end of the record {@link readRecord} read last: no object per record beside the record. */
let recordType = 0;
let recordClass = 0;
let recordEnd = 0;

function readRecord(view: Buffer, offset: number): ResourceRecord {
  const name = readMessageName(view, offset);
  const nameEnd = lastNameEnd();
  if (nameEnd + 10 > view.length) throw new MalformedMessageError("record header runs past the end of the message", nameEnd);
  const type = view.readUInt16BE(nameEnd);
  const klass = view.readUInt16BE(nameEnd + 2);
  const ttl = view.readUInt32BE(nameEnd + 4);
  const rdlength = view.readUInt16BE(nameEnd + 8);
  const rdataStart = nameEnd + 10;
  const rdataEnd = rdataStart + rdlength;
  if (rdataEnd > view.length) throw new MalformedMessageError(`RDATA of ${rdlength} octets runs past the end of the message`, rdataStart);
  const record: ResourceRecord = {
    name,
    type: typeName(type),
    class: className(klass),
    ttl,
    data: undefined,
    rdata: new Uint8Array(view.buffer, view.byteOffset + rdataStart, rdlength),
  };
  record.data = readRdata(view, record.type, record.rdata, rdataStart, rdataEnd);
  recordType = type;
  recordClass = klass;
  recordEnd = rdataEnd;
  return record;
}

function readRdata(view: Buffer, type: string, rdata: Uint8Array, start: number, end: number): RecordData {
  const addressOctets = ADDRESS_OCTETS[type];
  if (addressOctets !== undefined) {
    return end - start === addressOctets ? formatAddress(rdata) : undefined;
  }
  if (NAME_RDATA.has(type)) {
    const target = readMessageName(view, start);
    if (lastNameEnd() !== end) throw new MalformedMessageError(`${type} RDATA is not exactly one name`, start);
    return target;
  }
  if (PACKET_DECODED.has(type)) {
    // dns-packet's codecs start at the RDLENGTH field and report how much they read.
    const codec = recordCodec(type);
    let data: unknown;
    try {
      data = codec.decode(view, start - 2);
    } catch (err) {
      throw new MalformedMessageError(`${type} RDATA: ${(err as Error).message}`, start);
    }
    if (codec.decode.bytes !== end - start + 2) throw new MalformedMessageError(`${type} RDATA does not fill its length`, start);
    return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : { value: data };
  }
  return undefined;
}

/** RCODEs of error responses that servers may send as a bare header. */
const BARE_ERRORS = new Set(["SERVFAIL", "NOTIMP", "REFUSED"]);

/** What a response is matched against: the ID and the question of the query sent (a TransportRequest has both). */
export interface Asked {
  readonly id: number;
  readonly question: Question;
}

/**
 * True when `response` answers `request`: QR set, same ID, standard query,
 * and exactly the question asked (the same name by {@link sameName}, so
 * the escaped text read back equals the name as sent; type; class) — or,
 * as glibc 2.36 accepts since bug 31890, a bare 12-octet SERVFAIL, NOTIMP
 * or REFUSED with no question section.
 */
export function isResponseTo(request: Asked, response: DnsMessage): boolean {
  if (!response.qr || response.id !== request.id || response.opcode !== 0) return false;
  if (response.bytes.length === HEADER_OCTETS && response.questions.length === 0) return BARE_ERRORS.has(response.rcode);
  if (response.questions.length !== 1) return false;
  return isQuestion(response.questions[0]!, request.question);
}

/** True when a question read from a response is the question asked. */
function isQuestion(got: Required<Question>, asked: Question): boolean {
  return sameName(got.name, asked.name) && got.type === asked.type.toUpperCase() && got.class === (asked.class ?? "IN").toUpperCase();
}

/**
 * What a transport does with bytes that arrived while waiting for the
 * response to `request`: the decoded message of a response to it,
 * `"malformed"` for a response to it that does not decode (that server's
 * failure, which the client reports), or `"ignore"` for anything else
 * (another ID, another question, a query, noise: keep waiting).
 * Transports pass the message on (`TransportResponse.decoded`) so that
 * the client does not decode it again.
 */
export function readResponse(request: Asked, bytes: Uint8Array): DnsMessage | "malformed" | "ignore" {
  if (bytes.length < HEADER_OCTETS) return "ignore";
  let message: DnsMessage;
  try {
    message = decodeMessage(bytes);
  } catch {
    return headerAndQuestionMatch(request, bytes) ? "malformed" : "ignore";
  }
  return isResponseTo(request, message) ? message : "ignore";
}

/**
 * True when the ID, QR bit and question of `bytes` (at least a header's
 * worth) are those of a response to `request`, read without decoding the
 * rest: for a message that does not decode as a whole, and for TCP to
 * refuse a frame before decoding it (a message longer than a header that
 * fails this is one {@link readResponse} ignores).
 */
export function headerAndQuestionMatch(request: Asked, bytes: Uint8Array): boolean {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.readUInt16BE(0) !== request.id || (view[2]! & 0x80) === 0 || view.readUInt16BE(4) !== 1) return false;
  try {
    return isQuestion(readQuestion(view, HEADER_OCTETS, false), request.question);
  } catch {
    return false;
  }
}
