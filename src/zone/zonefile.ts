/**
 * A small RFC 1035 zone-file reader, for the test DNS server and for the
 * inline worlds of netdb/testing: `$ORIGIN`,
 * `$TTL`, `@`, relative and absolute names, blank owners (the previous
 * owner), `;` comments, parentheses across lines, TTL and class in either
 * order, and the record types A, AAAA, CNAME, PTR, NS, TXT, MX, SOA, SRV
 * CAA and NAPTR (RFC 3403), owners possibly `*` wildcards. No `$INCLUDE`, `$GENERATE` or
 * backslash escapes. Invalid data (an address like 192.0.2.300) is an
 * error naming the line, as a real server refuses to load such a zone.
 */
import { parseIPv4, parseIPv6 } from "../inet.js";

/** One record, names absolute without trailing dot, spelled as in the file. */
export interface ZoneRecord {
  name: string;
  ttl: number;
  class: "IN";
  type: string;
  /** RDATA in dns-packet's shape for the type (see {@link parseZoneFile}). */
  data: ZoneData;
}

/**
 * A: address text; AAAA: address text; CNAME, PTR, NS: a name; TXT: the
 * strings; MX: {preference, exchange}; SOA: {mname, rname, serial, refresh,
 * retry, expire, minimum}; SRV: {priority, weight, port, target}; CAA:
 * {flags, tag, value}; NAPTR: {order, preference, flags, services, regexp,
 * replacement}.
 */
export type ZoneData = string | string[] | Record<string, string | number>;

/** A zone: its origin and records in file order. */
export interface Zone {
  origin: string;
  records: ZoneRecord[];
}

/** A zone file that cannot be loaded. */
export class ZoneFileError extends Error {
  constructor(source: string, line: number, message: string) {
    super(`${source}:${line}: ${message}`);
    this.name = "ZoneFileError";
  }
}

/**
 * Parses a zone file. `origin` is the zone's name (the initial `$ORIGIN`);
 * `source` names the file in errors. Throws {@link ZoneFileError}.
 */
export function parseZoneFile(text: string, origin: string, source = "zone"): Zone {
  let currentOrigin = absolute(origin, ".");
  let defaultTtl: number | undefined;
  let lastTtl: number | undefined;
  let lastOwner: string | undefined;
  const records: ZoneRecord[] = [];

  for (const { tokens, line, ownerBlank } of logicalLines(text, source)) {
    const fail = (message: string): never => {
      throw new ZoneFileError(source, line, message);
    };
    if (tokens[0]!.startsWith("$")) {
      const directive = tokens[0]!.toUpperCase();
      if (directive === "$ORIGIN" && tokens.length === 2) currentOrigin = absolute(tokens[1]!, currentOrigin);
      else if (directive === "$TTL" && tokens.length === 2) defaultTtl = ttlValue(tokens[1]!) ?? fail(`bad TTL ${tokens[1]}`);
      else fail(`unsupported directive ${tokens.join(" ")}`);
      continue;
    }
    let i = 0;
    let owner: string;
    if (ownerBlank) {
      owner = lastOwner ?? fail("record without owner");
    } else {
      owner = tokens[0] === "@" ? currentOrigin : absolute(tokens[0]!, currentOrigin);
      i = 1;
    }
    let ttl: number | undefined;
    for (let k = 0; k < 2 && i < tokens.length; k++) {
      const t = ttlValue(tokens[i]!);
      if (t !== undefined && ttl === undefined) {
        ttl = t;
        i++;
      } else if (tokens[i]!.toUpperCase() === "IN") {
        i++;
      }
    }
    const type = tokens[i]?.toUpperCase() ?? fail("record without type");
    const rdata = tokens.slice(i + 1);
    ttl ??= defaultTtl ?? lastTtl ?? fail("no TTL and no $TTL");
    lastTtl = ttl;
    lastOwner = owner;
    records.push({ name: owner, ttl, class: "IN", type, data: recordData(type, rdata, currentOrigin, fail) });
  }
  return { origin: absolute(origin, "."), records };
}

/**
 * Parses zone text that names its own origin, as a test writes it inline:
 * the origin is the text's first `$ORIGIN`, else the owner of its SOA,
 * else the closest domain above every owner (never the root, which would
 * make every name of the DNS this zone's). Throws {@link ZoneFileError}.
 */
export function parseZoneText(text: string, source = "zone"): Zone {
  const declared = /^\$ORIGIN[ \t]+(\S+)/im.exec(text)?.[1];
  if (declared !== undefined) return parseZoneFile(text, absolute(declared, "."), source);
  const records = parseZoneFile(text, ".", source).records;
  const origin = records.find((rr) => rr.type === "SOA")?.name ?? commonAncestor(records.map((rr) => rr.name));
  if (origin === undefined || origin === ".") throw new ZoneFileError(source, 1, "zone text needs $ORIGIN, a SOA, or owners under one domain");
  return parseZoneFile(text, origin, source);
}

/** The longest run of trailing labels every name has (case-insensitively), or undefined. */
function commonAncestor(names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  const split = names.map((n) => n.toLowerCase().split(".").reverse());
  const common: string[] = [];
  for (let i = 0; split.every((labels) => i < labels.length && labels[i] === split[0]![i]); i++) common.push(split[0]![i]!);
  // A single owner is a domain of its own; its zone starts there, not at its parent.
  return common.length === 0 ? undefined : common.reverse().join(".");
}

function recordData(type: string, rdata: string[], origin: string, fail: (message: string) => never): ZoneData {
  const want = (n: number): void => {
    if (rdata.length !== n) fail(`${type} needs ${n} fields, has ${rdata.length}`);
  };
  const int = (s: string, max: number): number => {
    if (!/^\d+$/.test(s) || Number(s) > max) fail(`bad number ${s}`);
    return Number(s);
  };
  const name = (s: string): string => (s === "@" ? origin : absolute(s, origin));
  switch (type) {
    case "A":
      want(1);
      if (parseIPv4(rdata[0]!) === null) fail(`bad IPv4 address ${rdata[0]}`);
      return rdata[0]!;
    case "AAAA":
      want(1);
      if (parseIPv6(rdata[0]!) === null) fail(`bad IPv6 address ${rdata[0]}`);
      return rdata[0]!;
    case "CNAME":
    case "PTR":
    case "NS":
      want(1);
      return name(rdata[0]!);
    case "TXT":
      if (rdata.length === 0) fail("TXT without strings");
      return rdata.map(unquote);
    case "MX":
      want(2);
      return { preference: int(rdata[0]!, 0xffff), exchange: name(rdata[1]!) };
    case "SRV":
      want(4);
      return { priority: int(rdata[0]!, 0xffff), weight: int(rdata[1]!, 0xffff), port: int(rdata[2]!, 0xffff), target: name(rdata[3]!) };
    case "SOA":
      want(7);
      return {
        mname: name(rdata[0]!),
        rname: name(rdata[1]!),
        serial: int(rdata[2]!, 0xffffffff),
        refresh: int(rdata[3]!, 0xffffffff),
        retry: int(rdata[4]!, 0xffffffff),
        expire: int(rdata[5]!, 0xffffffff),
        minimum: int(rdata[6]!, 0xffffffff),
      };
    case "NAPTR":
      want(6);
      return {
        order: int(rdata[0]!, 0xffff),
        preference: int(rdata[1]!, 0xffff),
        flags: unquote(rdata[2]!),
        services: unquote(rdata[3]!),
        regexp: unquote(rdata[4]!),
        replacement: name(rdata[5]!),
      };
    case "CAA":
      want(3);
      return { flags: int(rdata[0]!, 0xff), tag: rdata[1]!, value: unquote(rdata[2]!) };
    default:
      return fail(`unsupported record type ${type}`);
  }
}

/** A TTL: seconds, or with units (1h30m, 2d, 1w). */
function ttlValue(token: string): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const m = /^(?:\d+[smhdw])+$/i.test(token) ? token.match(/\d+[smhdw]/gi) : null;
  if (m === null) return undefined;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return m.reduce((sum, part) => sum + Number(part.slice(0, -1)) * unit[part.slice(-1).toLowerCase()]!, 0);
}

/** `name` made absolute against `origin` (both without trailing dot in the result). */
function absolute(name: string, origin: string): string {
  if (name === ".") return ".";
  if (name.endsWith(".")) return name.slice(0, -1);
  return origin === "." ? name : `${name}.${origin}`;
}

function unquote(token: string): string {
  return token.startsWith('"') && token.endsWith('"') && token.length >= 2 ? token.slice(1, -1) : token;
}

/**
 * Splits the text into logical lines of tokens: comments removed, quoted
 * strings kept whole, parenthesised parts joined. `ownerBlank` tells
 * whether the line started with whitespace (owner omitted).
 */
function* logicalLines(text: string, source: string): Generator<{ tokens: string[]; line: number; ownerBlank: boolean }> {
  const lines = text.split(/\r?\n/);
  let tokens: string[] = [];
  let depth = 0;
  let start = 0;
  let ownerBlank = false;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    if (depth === 0) {
      start = n + 1;
      ownerBlank = /^[ \t]/.test(raw);
    }
    const re = /"[^"]*"|[()]|;.*$|[^\s()";]+/g;
    for (const [token] of raw.matchAll(re)) {
      if (token.startsWith(";")) break;
      if (token === "(") depth++;
      else if (token === ")") {
        if (depth === 0) throw new ZoneFileError(source, n + 1, "unbalanced )");
        depth--;
      } else tokens.push(token);
    }
    if (depth === 0 && tokens.length > 0) {
      yield { tokens, line: start, ownerBlank };
      tokens = [];
    }
  }
  if (depth !== 0) throw new ZoneFileError(source, start, "unbalanced (");
}
