/**
 * DNS answers in the shapes node:dns gives them (`resolveMx` →
 * `{ exchange, priority }`, `resolveTxt` → `string[][]`, ...), read the
 * way c-ares 1.34 (Node 20's resolver) reads them, which decides the odd
 * cases:
 *
 * - The RCODE decides first: NXDOMAIN is ENOTFOUND, SERVFAIL ESERVFAIL,
 *   FORMERR EFORMERR, NOTIMP ENOTIMP, REFUSED EREFUSED. A NOERROR answer
 *   with an empty answer section is ENODATA.
 * - Otherwise every record of the asked type in the answer section counts,
 *   whatever its owner name (c-ares does not follow the CNAME chain by
 *   name), in the order received. When there is none, A, AAAA, MX, TXT,
 *   SRV and CAA give an empty list (not an error), NS and PTR give
 *   ENODATA, SOA gives EBADRESP.
 * - The TTL reported for an address is the smallest of its own TTL and the
 *   TTLs of every CNAME in the answer.
 * - Names are in `ns_name_ntop` text form (special characters escaped),
 *   and the root is the empty string. TXT strings and CAA values are read
 *   byte for byte as Latin-1, as Node makes its strings from them.
 * - A CNAME query gives the target of the first CNAME in the answer; with
 *   no CNAME but addresses, the name asked (c-ares' hostent name).
 */
import type { AnyRecord, CaaRecord, MxRecord, NaptrRecord, RecordWithTtl, SoaRecord, SrvRecord } from "node:dns";
import type { DnsMessage, ResourceRecord } from "../dns/message.js";
import { readName } from "../dns/name.js";

/** The record types of node:dns's `resolve*` methods that netdb answers. */
export type NodeRecordType = "A" | "AAAA" | "CNAME" | "MX" | "NS" | "TXT" | "SRV" | "PTR" | "SOA" | "CAA" | "NAPTR" | "ANY";

/** The `syscall` node:dns names in errors, per record type. */
export const QUERY_SYSCALL: Readonly<Record<NodeRecordType, string>> = {
  A: "queryA",
  AAAA: "queryAaaa",
  CNAME: "queryCname",
  MX: "queryMx",
  NS: "queryNs",
  TXT: "queryTxt",
  SRV: "querySrv",
  PTR: "queryPtr",
  SOA: "querySoa",
  CAA: "queryCaa",
  NAPTR: "queryNaptr",
  ANY: "queryAny",
};

/** What each `resolve*` method resolves to. */
export interface NodeRecords {
  A: string[] | RecordWithTtl[];
  AAAA: string[] | RecordWithTtl[];
  CNAME: string[];
  MX: MxRecord[];
  NS: string[];
  TXT: string[][];
  SRV: SrvRecord[];
  PTR: string[];
  SOA: SoaRecord;
  CAA: CaaRecord[];
  NAPTR: NaptrRecord[];
  ANY: AnyRecord[];
}

/** A c-ares status for an answer that gives no result (`ENODATA`, `EBADRESP`, ...). */
export class AresStatus extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = "AresStatus";
  }
}

const RCODE_STATUS: Readonly<Record<string, string>> = {
  NXDOMAIN: "ENOTFOUND",
  SERVFAIL: "ESERVFAIL",
  FORMERR: "EFORMERR",
  NOTIMP: "ENOTIMP",
  REFUSED: "EREFUSED",
};

/** The c-ares status of a response's RCODE, or undefined when the answer section is read. */
export function rcodeStatus(rcode: string): string | undefined {
  return RCODE_STATUS[rcode];
}

/**
 * Reads `message`, the answer to a `type` query, into node:dns's shape.
 * `ttl` asks for `{ address, ttl }` objects (A and AAAA only, as node:dns).
 * Throws an {@link AresStatus} where node:dns rejects.
 */
export function readNodeRecords<T extends NodeRecordType>(type: T, message: DnsMessage, ttl = false): NodeRecords[T] {
  // c-ares parses the whole message: a record that does not read (TC aside) is a bad response.
  if (message.cutShort && !message.tc) throw new AresStatus("EBADRESP");
  const status = rcodeStatus(message.rcode);
  if (status !== undefined) throw new AresStatus(status);
  if (message.answers.length === 0) throw new AresStatus("ENODATA");
  return READERS[type](message, ttl) as NodeRecords[T];
}

type Reader = (message: DnsMessage, ttl: boolean) => NodeRecords[NodeRecordType];

const READERS: Readonly<Record<NodeRecordType, Reader>> = {
  A: (m, ttl) => addresses(m, "A", ttl),
  AAAA: (m, ttl) => addresses(m, "AAAA", ttl),
  CNAME: (m) => {
    const cname = m.answers.find((rr) => rr.type === "CNAME");
    if (cname !== undefined) return [nodeName(cname.data as string)];
    if (m.answers.some((rr) => rr.type === "A" || rr.type === "AAAA")) return [nodeName(m.questions[0]?.name ?? ".")];
    throw new AresStatus("ENODATA");
  },
  MX: (m) =>
    ofType(m, "MX").map((rr) => {
      const at = rdataOffset(m, rr);
      return { exchange: nameAt(m, at + 2), priority: u16(rr.rdata, 0) };
    }),
  NS: (m) => nonEmpty(ofType(m, "NS").map((rr) => nodeName(rr.data as string))),
  PTR: (m) => nonEmpty(ofType(m, "PTR").map((rr) => nodeName(rr.data as string))),
  TXT: (m) => ofType(m, "TXT").map((rr) => characterStrings(rr.rdata)),
  SRV: (m) =>
    ofType(m, "SRV").map((rr) => ({
      name: nameAt(m, rdataOffset(m, rr) + 6),
      port: u16(rr.rdata, 4),
      priority: u16(rr.rdata, 0),
      weight: u16(rr.rdata, 2),
    })),
  SOA: (m) => {
    const rr = ofType(m, "SOA")[0];
    if (rr === undefined) throw new AresStatus("EBADRESP");
    const at = rdataOffset(m, rr);
    const mname = readName(m.bytes, at);
    const rname = readName(m.bytes, mname.end);
    const numbers = Buffer.from(m.bytes.buffer, m.bytes.byteOffset + rname.end, 20);
    return {
      nsname: nodeName(mname.name),
      hostmaster: nodeName(rname.name),
      serial: numbers.readUInt32BE(0),
      refresh: numbers.readUInt32BE(4),
      retry: numbers.readUInt32BE(8),
      expire: numbers.readUInt32BE(12),
      minttl: numbers.readUInt32BE(16),
    };
  },
  CAA: (m) => ofType(m, "CAA").map((rr) => caa(rr.rdata)),
  NAPTR: (m) => ofType(m, "NAPTR").map((rr) => naptr(m, rr)),
  ANY: (m) => anyRecords(m),
};

/**
 * An ANY answer as cares_wrap.cc's AnyTraits reads it: each type's reader
 * in turn over the whole answer section (A, or the CNAME when there is
 * one; AAAA; MX; NS; TXT; SRV; PTR; NAPTR; SOA; CAA), each record tagged
 * with its `type`; a type the answer lacks adds nothing.
 */
function anyRecords(m: DnsMessage): AnyRecord[] {
  const out: AnyRecord[] = [];
  const cname = m.answers.find((rr) => rr.type === "CNAME");
  if (cname !== undefined) out.push({ value: nodeName(cname.data as string), type: "CNAME" });
  else for (const a of addresses(m, "A", true) as RecordWithTtl[]) out.push({ ...a, type: "A" });
  for (const a of addresses(m, "AAAA", true) as RecordWithTtl[]) out.push({ ...a, type: "AAAA" });
  for (const mx of READERS.MX(m, false) as MxRecord[]) out.push({ ...mx, type: "MX" });
  for (const rr of ofType(m, "NS")) out.push({ value: nodeName(rr.data as string), type: "NS" });
  for (const entries of READERS.TXT(m, false) as string[][]) out.push({ entries, type: "TXT" });
  for (const srv of READERS.SRV(m, false) as SrvRecord[]) out.push({ ...srv, type: "SRV" });
  for (const rr of ofType(m, "PTR")) out.push({ value: nodeName(rr.data as string), type: "PTR" });
  for (const n of READERS.NAPTR(m, false) as NaptrRecord[]) out.push({ ...n, type: "NAPTR" });
  if (ofType(m, "SOA").length > 0) out.push({ ...(READERS.SOA(m, false) as SoaRecord), type: "SOA" });
  for (const c of READERS.CAA(m, false) as CaaRecord[]) out.push({ ...c, type: "CAA" } as AnyRecord);
  return out;
}

function ofType(m: DnsMessage, type: string): ResourceRecord[] {
  return m.answers.filter((rr) => rr.type === type && rr.class === "IN");
}

function nonEmpty<T>(list: T[]): T[] {
  if (list.length === 0) throw new AresStatus("ENODATA");
  return list;
}

function addresses(m: DnsMessage, type: "A" | "AAAA", ttl: boolean): string[] | RecordWithTtl[] {
  // An A or AAAA record whose RDATA has the wrong length decodes to undefined; c-ares skips it too.
  const records = ofType(m, type).filter((rr) => typeof rr.data === "string");
  if (!ttl) return records.map((rr) => rr.data as string);
  const cnameTtl = Math.min(...m.answers.filter((rr) => rr.type === "CNAME").map((rr) => rr.ttl));
  return records.map((rr) => ({ address: rr.data as string, ttl: Math.min(rr.ttl, cnameTtl) }));
}

/** Node prints the root as the empty string. */
function nodeName(name: string): string {
  return name === "." ? "" : name;
}

/** Where a record's RDATA starts in the message, so names inside it can follow compression pointers. */
function rdataOffset(m: DnsMessage, rr: ResourceRecord): number {
  if (rr.rdata.buffer !== m.bytes.buffer) throw new Error("record does not belong to this message");
  return rr.rdata.byteOffset - m.bytes.byteOffset;
}

function nameAt(m: DnsMessage, offset: number): string {
  return nodeName(readName(m.bytes, offset).name);
}

function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** TXT RDATA: length-prefixed strings. */
function characterStrings(rdata: Uint8Array): string[] {
  const out: string[] = [];
  for (let at = 0; at < rdata.length; ) {
    const length = rdata[at]!;
    out.push(latin1(rdata.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return out;
}

/** NAPTR RDATA (RFC 3403): order, preference, three character-strings, an uncompressed replacement name. */
function naptr(m: DnsMessage, rr: ResourceRecord): NaptrRecord {
  const strings: string[] = [];
  let at = 4;
  for (let i = 0; i < 3; i++) {
    const length = rr.rdata[at]!;
    strings.push(latin1(rr.rdata.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return {
    flags: strings[0]!,
    service: strings[1]!,
    regexp: strings[2]!,
    replacement: nameAt(m, rdataOffset(m, rr) + at),
    order: u16(rr.rdata, 0),
    preference: u16(rr.rdata, 2),
  };
}

/** CAA RDATA (RFC 8659): flags, tag length, tag, value. Node keys the value by its tag as written. */
function caa(rdata: Uint8Array): CaaRecord {
  const tagLength = rdata[1]!;
  const tag = latin1(rdata.subarray(2, 2 + tagLength));
  return { critical: rdata[0]!, [tag]: latin1(rdata.subarray(2 + tagLength)) } as CaaRecord;
}
