/**
 * Response encoding for the test DNS server, with name compression done as
 * Knot 3.2 does it (libknot/packet/compr.c), because compression decides
 * the case a stub resolver sees: `WWW.HELLFLY.NET CNAME hellfly.net` comes
 * out as `... CNAME HELLFLY.NET`.
 *
 * - Answer records owned by the question name point at the question.
 * - Other names are compared with one remembered name, the "suffix" (at
 *   first the question, then the last name written with at least one
 *   label of its own): labels aligned from the right, matched ignoring
 *   case, and the longest matching tail becomes a pointer into it.
 * - Additional records owned by a name that appeared in RDATA point at it.
 * - SRV targets are never compressed (RFC 2782).
 */
import { parseIPv4, parseIPv6 } from "../inet.js";
import { classCode, rcodeCode, typeCode } from "../dns/rrtypes.js";
import { nameLabels } from "../dns/name.js";
import type { ZoneData } from "./zonefile.js";

/** A record to encode; names without trailing dot. */
export interface WireRecord {
  name: string;
  type: string;
  /** "IN" unless given. */
  class?: string;
  ttl: number;
  /** RDATA in the zone-file reader's shape, or raw bytes. */
  data: ZoneData | Uint8Array;
}

/** A response to encode. */
export interface WireResponse {
  id: number;
  aa?: boolean;
  tc?: boolean;
  rd?: boolean;
  ra?: boolean;
  /** RCODE name (`"NXDOMAIN"`). */
  rcode: string;
  question?: { name: string; type: string; class?: string };
  answers?: WireRecord[];
  authorities?: WireRecord[];
  additionals?: WireRecord[];
  /** Adds an OPT record with this UDP payload size and, if given, an Extended DNS Error code. */
  edns?: { udpPayloadSize: number; extendedError?: number };
}

/** Extended DNS Error (RFC 8914) option code. */
const EDE_OPTION = 15;

/** Encodes a response. */
export function encodeResponse(r: WireResponse): Buffer {
  const w = new Writer();
  const rcode = rcodeCode(r.rcode);
  if (rcode === undefined) throw new Error(`unknown rcode ${r.rcode}`);
  let flags = 0x8000 | (rcode & 0xf);
  if (r.aa) flags |= 0x0400;
  if (r.tc) flags |= 0x0200;
  if (r.rd) flags |= 0x0100;
  if (r.ra) flags |= 0x0080;
  const answers = r.answers ?? [];
  const authorities = r.authorities ?? [];
  const additionals = r.additionals ?? [];
  w.u16(r.id);
  w.u16(flags);
  w.u16(r.question === undefined ? 0 : 1);
  w.u16(answers.length);
  w.u16(authorities.length);
  w.u16(additionals.length + (r.edns === undefined ? 0 : 1));
  if (r.question !== undefined) {
    w.question(r.question.name);
    w.u16(code(typeCode(r.question.type), r.question.type));
    w.u16(code(classCode(r.question.class ?? "IN"), r.question.class ?? "IN"));
  }
  for (const rr of answers) w.record(rr, "answer");
  for (const rr of authorities) w.record(rr, "authority");
  for (const rr of additionals) w.record(rr, "additional");
  if (r.edns !== undefined) {
    w.u8(0); // root owner
    w.u16(41);
    w.u16(r.edns.udpPayloadSize);
    w.u32(0); // extended rcode, version, flags
    const ede = r.edns.extendedError;
    if (ede === undefined) w.u16(0);
    else {
      w.u16(6);
      w.u16(EDE_OPTION);
      w.u16(2);
      w.u16(ede);
    }
  }
  return w.bytes();
}

const HEADER_OCTETS = 12;

/**
 * The labels of a name, one latin1 character per octet. Names read from a
 * query come in decodeMessage's escaped text form (`a\\032b`, `a\\.b`) and
 * must go back on the wire as the octets they stand for; names without a
 * backslash are split as they are, so a test can still write any octet.
 */
function labelsOf(name: string): string[] {
  if (name.includes("\\")) return nameLabels(name).map((label) => Buffer.from(label).toString("latin1"));
  return name === "." || name === "" ? [] : name.replace(/\.$/, "").split(".");
}

function code(value: number | undefined, name: string): number {
  if (value === undefined) throw new Error(`unknown type or class ${name}`);
  return value;
}

class Writer {
  #buf = Buffer.alloc(512);
  #length = 0;
  /** Knot's compression hint: where the remembered name starts, and its label count. */
  #suffix = { position: 0, labels: 0 };
  #questionLabels: string[] = [];
  /** Where names written in RDATA start, by lowercased name (for additional owners). */
  readonly #rdataNames = new Map<string, number>();

  bytes(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#length));
  }

  #room(n: number): void {
    if (this.#length + n <= this.#buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.#buf.length * 2, this.#length + n));
    this.#buf.copy(bigger);
    this.#buf = bigger;
  }

  u8(v: number): void {
    this.#room(1);
    this.#buf.writeUInt8(v, this.#length);
    this.#length += 1;
  }

  u16(v: number): void {
    this.#room(2);
    this.#buf.writeUInt16BE(v, this.#length);
    this.#length += 2;
  }

  u32(v: number): void {
    this.#room(4);
    this.#buf.writeUInt32BE(v >>> 0, this.#length);
    this.#length += 4;
  }

  raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** Writes the question name, uncompressed; it is the first compression hint. */
  question(name: string): void {
    this.#questionLabels = labelsOf(name);
    this.#suffix = { position: this.#length, labels: this.#questionLabels.length };
    this.#literal(this.#questionLabels);
    this.u8(0);
  }

  /** Writes a name with Knot's compression against the remembered suffix. */
  #compressed(name: string): void {
    const labels = labelsOf(name);
    if (labels.length === 0 || this.#questionLabels.length === 0) {
      this.#literal(labels);
      this.u8(0);
      return;
    }
    const start = this.#length;
    let suffix = this.#labelsAt(this.#suffix.position);
    if (suffix.length > labels.length) suffix = suffix.slice(suffix.length - labels.length);
    const lead = labels.length - suffix.length;
    this.#literal(labels.slice(0, lead));
    let matchBegin = lead;
    for (let i = lead; i < labels.length; i++) {
      if (labels[i]!.toLowerCase() !== suffix[i - lead]!.text.toLowerCase()) {
        this.#literal(labels.slice(matchBegin, i + 1));
        matchBegin = i + 1;
      }
    }
    if (matchBegin === labels.length) this.u8(0);
    else this.u16(0xc000 | suffix[matchBegin - lead]!.position);
    if (this.#length - start > 2 && this.#length < 0x4000) this.#suffix = { position: start, labels: labels.length };
  }

  #literal(labels: string[]): void {
    for (const label of labels) {
      const bytes = Buffer.from(label, "latin1");
      this.u8(bytes.length);
      this.raw(bytes);
    }
  }

  /** The labels of the name at `position` (following pointers), with where each starts. */
  #labelsAt(position: number): Array<{ text: string; position: number }> {
    const labels: Array<{ text: string; position: number }> = [];
    for (let p = position; ; ) {
      const length = this.#buf[p]!;
      if (length === 0) return labels;
      if ((length & 0xc0) === 0xc0) {
        p = ((length & 0x3f) << 8) | this.#buf[p + 1]!;
        continue;
      }
      labels.push({ text: this.#buf.toString("latin1", p + 1, p + 1 + length), position: p });
      p += 1 + length;
    }
  }

  /** Writes a name in RDATA, remembering where it is (where its pointer points, if it is only one). */
  #rdataName(name: string, compress: boolean): void {
    const start = this.#length;
    if (compress) this.#compressed(name);
    else {
      this.#literal(labelsOf(name));
      this.u8(0);
    }
    const onlyPointer = this.#length - start === 2 && (this.#buf[start]! & 0xc0) === 0xc0;
    const key = name.toLowerCase();
    if (!this.#rdataNames.has(key)) this.#rdataNames.set(key, onlyPointer ? this.#buf.readUInt16BE(start) & 0x3fff : start);
  }

  /** A <character-string>: a length octet, then the UTF-8 octets. */
  #characterString(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    this.u8(bytes.length);
    this.raw(bytes);
  }

  #owner(name: string, section: "answer" | "authority" | "additional"): void {
    const hint =
      section === "answer" && this.#questionLabels.length > 0 && name.toLowerCase() === this.#questionLabels.join(".").toLowerCase()
        ? HEADER_OCTETS
        : section === "additional"
          ? this.#rdataNames.get(name.toLowerCase())
          : undefined;
    if (hint !== undefined) this.u16(0xc000 | hint);
    else this.#compressed(name);
  }

  record(rr: WireRecord, section: "answer" | "authority" | "additional"): void {
    this.#owner(rr.name, section);
    this.u16(code(typeCode(rr.type), rr.type));
    this.u16(code(classCode(rr.class ?? "IN"), rr.class ?? "IN"));
    this.u32(rr.ttl);
    const lengthAt = this.#length;
    this.u16(0);
    this.#rdata(rr);
    this.#buf.writeUInt16BE(this.#length - lengthAt - 2, lengthAt);
  }

  #rdata(rr: WireRecord): void {
    const { data } = rr;
    if (data instanceof Uint8Array) {
      this.raw(data);
      return;
    }
    const obj = data as Record<string, string | number>;
    switch (rr.type) {
      case "A":
        this.raw(parseIPv4(data as string)!);
        return;
      case "AAAA":
        this.raw(parseIPv6(data as string)!);
        return;
      case "CNAME":
      case "PTR":
      case "NS":
        this.#rdataName(data as string, true);
        return;
      case "MX":
        this.u16(obj.preference as number);
        this.#rdataName(obj.exchange as string, true);
        return;
      case "SOA":
        this.#rdataName(obj.mname as string, true);
        this.#rdataName(obj.rname as string, true);
        for (const field of ["serial", "refresh", "retry", "expire", "minimum"]) this.u32(obj[field] as number);
        return;
      case "SRV":
        this.u16(obj.priority as number);
        this.u16(obj.weight as number);
        this.u16(obj.port as number);
        this.#rdataName(obj.target as string, false);
        return;
      case "TXT":
        for (const s of data as string[]) this.#characterString(s);
        return;
      case "NAPTR":
        this.u16(obj.order as number);
        this.u16(obj.preference as number);
        for (const field of ["flags", "services", "regexp"]) this.#characterString(obj[field] as string);
        // RFC 3403 §4.1: the replacement is never compressed.
        this.#rdataName(obj.replacement as string, false);
        return;
      case "CAA": {
        const tag = Buffer.from(obj.tag as string, "latin1");
        this.u8(obj.flags as number);
        this.u8(tag.length);
        this.raw(tag);
        this.raw(Buffer.from(obj.value as string, "utf8"));
        return;
      }
      default:
        throw new Error(`cannot encode ${rr.type} data`);
    }
  }
}
