/**
 * Records in presentation format: the RDATA text of RFC 1035 section 5.1
 * master files as BIND 9.18's dig prints it on one line (`+nomultiline`),
 * RFC 3597's `\# LENGTH HEX` for types without a text form here. Read
 * straight from the wire, names inside RDATA through name.ts (compression
 * pointers followed in the whole message), so the text is what the server
 * sent, not what a decoder made of it.
 *
 * dig's rules kept here: names absolute (trailing dot); character strings
 * in double quotes with `"` and `\` escaped and bytes outside 0x20-0x7e as
 * `\DDD`; hex upper case and base64, both cut into chunks of 56 characters
 * separated by a space (lib/dns/rdata.c's `tctx->width - 2` with the
 * one-line style); DNSSEC times as YYYYMMDDHHMMSS; SVCB parameters by key
 * number with alpn and unknown keys quoted.
 */
import { formatAddress } from "../inet.js";
import { MalformedMessageError } from "./errors.js";
import type { TracedRecord } from "../trace.js";
import type { DnsMessage, ResourceRecord } from "./message.js";
import { readName } from "./name.js";
import { typeName } from "./rrtypes.js";

/** The RDATA of `record` (one of `message`'s) as dig prints it. */
export function rdataText(message: DnsMessage, record: ResourceRecord): string {
  const reader = RdataReader.of(message, record);
  const format = FORMATS[record.type];
  if (format !== undefined) {
    try {
      const text = format(reader);
      if (reader.done()) return text;
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
    }
  }
  return genericText(record.rdata);
}

/** Every record of `message` but the OPT, for a trace. */
export function tracedRecords(message: DnsMessage): TracedRecord[] {
  const sections = [["answer", message.answers], ["authority", message.authorities], ["additional", message.additionals]] as const;
  return sections.flatMap(([section, records]) =>
    records.map((rr) => ({ section, name: rr.name, ttl: rr.ttl, type: rr.type, data: rdataText(message, rr) })),
  );
}

/** A domain name as dig prints it: absolute, with its trailing dot. */
export function absoluteName(name: string): string {
  return name === "." ? "." : `${name}.`;
}

/** RFC 3597's form: `\# 4 DEADBEEF`, `\# 0`. */
function genericText(rdata: Uint8Array): string {
  return rdata.length === 0 ? "\\# 0" : `\\# ${rdata.length} ${chunked(hex(rdata))}`;
}

/** A cursor over one record's RDATA inside its message. */
class RdataReader {
  readonly #view: Buffer;
  #at: number;
  readonly #end: number;

  private constructor(view: Buffer, start: number, end: number) {
    this.#view = view;
    this.#at = start;
    this.#end = end;
  }

  static of(message: DnsMessage, record: ResourceRecord): RdataReader {
    const bytes = message.bytes;
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const start = record.rdata.byteOffset - bytes.byteOffset;
    return new RdataReader(view, start, start + record.rdata.length);
  }

  done(): boolean {
    return this.#at === this.#end;
  }

  #take(octets: number): number {
    const at = this.#at;
    if (at + octets > this.#end) throw new MalformedMessageError("RDATA shorter than its type needs", at);
    this.#at += octets;
    return at;
  }

  u8(): number {
    return this.#view[this.#take(1)]!;
  }

  u16(): number {
    return this.#view.readUInt16BE(this.#take(2));
  }

  u32(): number {
    return this.#view.readUInt32BE(this.#take(4));
  }

  bytes(octets: number): Uint8Array {
    const at = this.#take(octets);
    return this.#view.subarray(at, at + octets);
  }

  /** Everything left. */
  rest(): Uint8Array {
    return this.bytes(this.#end - this.#at);
  }

  /** A name (uncompressed or compressed), absolute. */
  name(): string {
    const { name, end } = readName(this.#view, this.#at);
    if (end > this.#end) throw new MalformedMessageError("name runs past its RDATA", this.#at);
    this.#at = end;
    return absoluteName(name);
  }

  /** A <character-string>, quoted. */
  string(): string {
    return quoted(this.bytes(this.u8()));
  }
}

type Format = (r: RdataReader) => string;

const nameOnly: Format = (r) => r.name();
const strings: Format = (r) => {
  const parts: string[] = [];
  while (!r.done()) parts.push(r.string());
  return parts.join(" ");
};
/** DS and its kin: key tag, algorithm, digest type, digest. */
const digest: Format = (r) => `${r.u16()} ${r.u8()} ${r.u8()} ${chunked(hex(r.rest()))}`;

const FORMATS: Readonly<Record<string, Format>> = {
  A: (r) => formatAddress(r.bytes(4)),
  AAAA: (r) => formatAddress(r.bytes(16)),
  NS: nameOnly,
  CNAME: nameOnly,
  PTR: nameOnly,
  DNAME: nameOnly,
  SOA: (r) => `${r.name()} ${r.name()} ${r.u32()} ${r.u32()} ${r.u32()} ${r.u32()} ${r.u32()}`,
  MX: (r) => `${r.u16()} ${r.name()}`,
  TXT: strings,
  SPF: strings,
  HINFO: (r) => `${r.string()} ${r.string()}`,
  RP: (r) => `${r.name()} ${r.name()}`,
  SRV: (r) => `${r.u16()} ${r.u16()} ${r.u16()} ${r.name()}`,
  NAPTR: (r) => `${r.u16()} ${r.u16()} ${r.string()} ${r.string()} ${r.string()} ${r.name()}`,
  CAA: (r) => {
    const flags = r.u8();
    const tag = r.bytes(r.u8());
    return `${flags} ${latin1(tag)} ${quoted(r.rest())}`;
  },
  DS: digest,
  SSHFP: (r) => `${r.u8()} ${r.u8()} ${chunked(hex(r.rest()))}`,
  TLSA: (r) => `${r.u8()} ${r.u8()} ${r.u8()} ${chunked(hex(r.rest()))}`,
  DNSKEY: (r) => `${r.u16()} ${r.u8()} ${r.u8()} ${chunked(base64(r.rest()))}`,
  RRSIG: (r) => {
    const covered = typeName(r.u16());
    const head = `${covered} ${r.u8()} ${r.u8()} ${r.u32()} ${dnssecTime(r.u32())} ${dnssecTime(r.u32())} ${r.u16()}`;
    return `${head} ${r.name()} ${chunked(base64(r.rest()))}`;
  },
  NSEC: (r) => [r.name(), ...typeBitmap(r.rest())].join(" "),
  SVCB: svcbText,
  HTTPS: svcbText,
};

/** `"text"`: `"` and `\` escaped, bytes outside printable ASCII as `\DDD`. */
function quoted(bytes: Uint8Array): string {
  let text = '"';
  for (const byte of bytes) text += escapedByte(byte, byte === 0x22 || byte === 0x5c);
  return `${text}"`;
}

function escapedByte(byte: number, special: boolean): string {
  if (byte < 0x20 || byte > 0x7e) return `\\${String(byte).padStart(3, "0")}`;
  return special ? `\\${String.fromCharCode(byte)}` : String.fromCharCode(byte);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex").toUpperCase();
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** Text cut into 56-character chunks joined by spaces, as dig's one-line style prints hex and base64. */
function chunked(text: string): string {
  return text.match(/.{1,56}/g)?.join(" ") ?? "";
}

/** Seconds since the epoch as RFC 4034's YYYYMMDDHHmmSS (UTC). */
function dnssecTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-T:]/g, "").slice(0, 14);
}

/** RFC 4034 section 4.1.2's type bitmap: the type names it lists, in order. */
function typeBitmap(bytes: Uint8Array): string[] {
  const types: string[] = [];
  for (let at = 0; at + 2 <= bytes.length; ) {
    const window = bytes[at]!;
    const length = bytes[at + 1]!;
    if (length < 1 || length > 32 || at + 2 + length > bytes.length) throw new MalformedMessageError("bad NSEC type bitmap", at);
    for (let i = 0; i < length; i++) {
      const octet = bytes[at + 2 + i]!;
      for (let bit = 0; bit < 8; bit++) if ((octet & (0x80 >> bit)) !== 0) types.push(typeName(window * 256 + i * 8 + bit));
    }
    at += 2 + length;
  }
  return types;
}

/** SVCB parameter names by key (RFC 9460 section 14.3.2); others read `keyNNNNN`. */
const SVC_KEYS = ["mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech", "ipv6hint"];

/** SVCB and HTTPS (RFC 9460): priority, target, then each parameter. */
function svcbText(r: RdataReader): string {
  const parts = [String(r.u16()), r.name()];
  while (!r.done()) {
    const key = r.u16();
    const value = r.bytes(r.u16());
    parts.push(svcParam(key, value));
  }
  return parts.join(" ");
}

function svcParam(key: number, value: Uint8Array): string {
  const name = SVC_KEYS[key] ?? `key${key}`;
  const view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const every = (size: number, read: (at: number) => string): string[] => {
    if (value.length % size !== 0) throw new MalformedMessageError(`SVCB ${name} of ${value.length} octets`, 0);
    return Array.from({ length: value.length / size }, (_, i) => read(i * size));
  };
  switch (key) {
    case 0:
      return `${name}=${every(2, (at) => SVC_KEYS[view.readUInt16BE(at)] ?? `key${view.readUInt16BE(at)}`).join(",")}`;
    case 1: {
      const ids: string[] = [];
      for (let at = 0; at < value.length; at += 1 + value[at]!) ids.push(alpnId(value.subarray(at + 1, at + 1 + value[at]!)));
      return `${name}="${ids.join(",")}"`;
    }
    case 2:
      return name;
    case 3:
      return `${name}=${every(2, (at) => String(view.readUInt16BE(at)))[0] ?? ""}`;
    case 4:
      return `${name}=${every(4, (at) => formatAddress(value.subarray(at, at + 4))).join(",")}`;
    case 5:
      return `${name}=${base64(value)}`;
    case 6:
      return `${name}=${every(16, (at) => formatAddress(value.subarray(at, at + 16))).join(",")}`;
    default:
      return `${name}=${quoted(value)}`;
  }
}

/** One ALPN id of an alpn list: a comma inside it is escaped twice (RFC 9460 appendix A.1). */
function alpnId(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte === 0x2c ? "\\\\," : escapedByte(byte, byte === 0x22 || byte === 0x5c);
  return text;
}
