/**
 * /etc/networks (`name number aliases...`), parsed as glibc 2.36's
 * nss/nss_files/files-network.c parses it, and indexed for getnetbyname
 * and getnetbyaddr.
 */
import { isSpace } from "../inet.js";
import { foldCase, nssEntries, skipSpace, skipWord, splitWords } from "./lines.js";

/** One line of /etc/networks: glibc's `struct netent`. */
export interface NetworkEntry {
  name: string;
  aliases: string[];
  /** The network number in host byte order, 0 to 2^32 - 1: 127.0.0.0 is 0x7f000000. */
  net: number;
  /** Always AF_INET (2): nss_files reads IPv4 networks only. */
  addrtype: number;
}

/** The address family of every entry: nss_files reads IPv4 networks only. */
const AF_INET = 2;
const AF_UNSPEC = 0;
/** inet_network's failure, which nss_files keeps as the entry's number. */
const INADDR_NONE = 0xffffffff;

/** A parsed networks file: its entries in file order, and O(1) lookups. */
export interface NetworksTable {
  /** Every line glibc accepts (all but blank and comment lines), in file order. */
  readonly entries: readonly NetworkEntry[];
  /** The first entry whose name or an alias is `name`, compared case-insensitively in ASCII (strcasecmp, as glibc). */
  byName(name: string): NetworkEntry | undefined;
  /** The first entry with network number `net` whose family is `type` (AF_UNSPEC: any). */
  byNumber(net: number, type: number): NetworkEntry | undefined;
}

/**
 * Parses a networks file. Never throws. Every line with a name is an
 * entry, as in glibc: the number field has `.0` added until it has four
 * parts (`10` is 10.0.0.0, `192.168.1` is 192.168.1.0) and is read with
 * inet_network, whose failure (a fifth part, a part over 255, no number
 * at all) gives 255.255.255.255 rather than rejecting the line.
 */
export function parseNetworks(text: string): NetworksTable {
  return new IndexedNetworks(nssEntries(text, parseLine));
}

function parseLine(line: string): NetworkEntry {
  const nameEnd = skipWord(line, 0);
  const numberStart = skipSpace(line, nameEnd);
  const numberEnd = skipWord(line, numberStart);
  return {
    name: line.slice(0, nameEnd),
    aliases: splitWords(line.slice(numberEnd)),
    net: inetNetwork(padded(line.slice(numberStart, numberEnd))),
    addrtype: AF_INET,
  };
}

/** files-network.c's padding: `.0` appended until the text has four dot-separated parts. */
function padded(number: string): string {
  const parts = Math.min(4, number.split(".").length);
  return number + ".0".repeat(4 - parts);
}

/**
 * glibc's inet_network: up to four parts, each decimal, octal (`0` first)
 * or hex (`0x`), each at most 255, then optional whitespace; the parts
 * shifted together (so `1.2` is 0x0102). INADDR_NONE on failure.
 */
export function inetNetwork(text: string): number {
  const parts: number[] = [];
  let i = 0;
  for (;;) {
    let base = 10;
    let digit = false;
    let value = 0;
    if (text[i] === "0") {
      digit = true;
      base = 8;
      i++;
    }
    if (text[i] === "x" || text[i] === "X") {
      digit = false;
      base = 16;
      i++;
    }
    for (; i < text.length; i++) {
      const d = digitValue(text.charCodeAt(i), base);
      if (d === undefined) break;
      if (d < 0) return INADDR_NONE;
      value = (value * base + d) >>> 0;
      digit = true;
    }
    if (!digit || parts.length >= 4 || value > 0xff) return INADDR_NONE;
    parts.push(value);
    if (text[i] !== ".") break;
    i++;
  }
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i < text.length) return INADDR_NONE;
  return parts.reduce((net, part) => ((net << 8) | part) >>> 0, 0);
}

/** A digit's value in `base`; -1 for 8 or 9 in octal (inet_network fails then); undefined for no digit. */
function digitValue(c: number, base: number): number | undefined {
  if (c >= 0x30 && c <= 0x39) return base === 8 && c >= 0x38 ? -1 : c - 0x30;
  if (base !== 16) return undefined;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : undefined;
}

class IndexedNetworks implements NetworksTable {
  private readonly names = new Map<string, NetworkEntry>();
  private readonly numbers = new Map<number, NetworkEntry>();

  constructor(readonly entries: readonly NetworkEntry[]) {
    for (const entry of entries) {
      for (const name of [entry.name, ...entry.aliases]) {
        const key = foldCase(name);
        if (!this.names.has(key)) this.names.set(key, entry);
      }
      if (!this.numbers.has(entry.net)) this.numbers.set(entry.net, entry);
    }
  }

  byName(name: string): NetworkEntry | undefined {
    return this.names.get(foldCase(name));
  }

  byNumber(net: number, type: number): NetworkEntry | undefined {
    const entry = this.numbers.get(net >>> 0);
    return entry !== undefined && (type === AF_UNSPEC || type === entry.addrtype) ? entry : undefined;
  }
}
