/**
 * /etc/hosts (`address name aliases...`), parsed as glibc's nss_files
 * parses it, and indexed so a lookup by name or address is O(1) whatever
 * the file's size.
 */
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from "../inet.js";
import type { FileFailure } from "./failure.js";
import { foldCase, nssEntries, skipSpace, skipWord, splitWords } from "./lines.js";

/** One line of /etc/hosts. */
export interface HostEntry {
  /** Address in canonical text form (`inet_ntop` output). */
  address: string;
  /** 4 or 6. */
  family: 4 | 6;
  /** The first name on the line, as written. */
  canonical: string;
  /** The other names on the line, as written, in order. */
  aliases: string[];
}

/**
 * One line of a parsed hosts file: the entry, and its address as the
 * bytes the parser read, so a lookup hands them on without parsing the
 * text again. The bytes are shared: readers do not change them.
 */
export interface HostLine extends HostEntry {
  /** The address's 4 or 16 octets. */
  readonly bytes: Uint8Array;
  /** The octets of {@link inet4Address}, or undefined when the line has none. */
  readonly inet4Bytes: Uint8Array | undefined;
}

/** A parsed hosts file: its entries in file order, and O(1) lookups. */
export interface HostsTable {
  /** Every line glibc accepts, in file order. */
  readonly entries: readonly HostLine[];
  /**
   * Every entry whose canonical name or an alias is `name`, in file order,
   * both families. Names compare case-insensitively in ASCII (glibc's
   * strcasecmp); answers keep the case of the file.
   */
  byName(name: string): HostLine[];
  /**
   * The entries glibc's gethostbyaddr matches for `address`, in file order.
   * An IPv4 address matches IPv4 lines, and IPv6 lines whose
   * `inet4Address` it is (`::ffff:a.b.c.d` lines, and `::1` lines for
   * 127.0.0.1). An IPv6 address matches IPv6 lines only: glibc 2.36 does
   * not map IPv4 lines for it. Text that is no address matches nothing.
   */
  byAddress(address: string): HostLine[];
  /** Set when the file exists but could not be read: nss_files then fails every lookup (UNAVAIL). */
  readonly failure?: FileFailure;
}

/**
 * Parses a hosts file. Never throws; lines glibc rejects are skipped.
 *
 * The address is read with inet_pton rules, so `127.1`, `01.2.3.4` and
 * scoped `fe80::1%eth0` lines are ignored. A line with an address and no
 * name is kept with an empty canonical name, because glibc keeps it: it
 * answers a lookup of the empty name.
 */
export function parseHosts(text: string): HostsTable {
  const pool = new AddressPool();
  return new IndexedHosts(nssEntries(text, (line) => parseLine(line, pool)));
}

/** The table of a hosts file that exists but gave no text: no entries, and why. */
export function failedHosts(failure: FileFailure): HostsTable {
  return Object.assign(new IndexedHosts([]), { failure });
}

function parseLine(line: string, pool: AddressPool): HostLine | undefined {
  const addressEnd = skipWord(line, 0);
  const text = line.slice(0, addressEnd);
  const v4 = parseIPv4(text);
  const bytes = v4 ?? parseIPv6(text);
  if (bytes === null) return undefined;
  const nameStart = skipSpace(line, addressEnd);
  const nameEnd = skipWord(line, nameStart);
  return new ParsedLine(pool, bytes, v4 !== null ? 4 : 6, line.slice(nameStart, nameEnd), splitWords(line.slice(nameEnd)));
}

/**
 * The address octets of a file's lines, copied into shared chunks as they
 * are parsed: a typed array per line would cost a large file about 200
 * bytes a line, a chunk a few.
 */
class AddressPool {
  static readonly CHUNK = 4096;
  chunk = new Uint8Array(AddressPool.CHUNK);
  used = 0;

  /** Copies `bytes` in; their offset in {@link chunk} (the current one once this returns). */
  add(bytes: Uint8Array): number {
    if (this.used + bytes.length > this.chunk.length) {
      this.chunk = new Uint8Array(AddressPool.CHUNK);
      this.used = 0;
    }
    const offset = this.used;
    this.chunk.set(bytes, offset);
    this.used += bytes.length;
    return offset;
  }
}

/**
 * A {@link HostLine} whose bytes are private fields read through getters:
 * its own enumerable properties are exactly a {@link HostEntry}'s, so it
 * compares, copies and prints as the plain entry it is. The octets sit in
 * the file's {@link AddressPool}; the view on them is made when a lookup
 * first reads them and kept.
 */
class ParsedLine implements HostLine {
  address: string;
  family: 4 | 6;
  canonical: string;
  aliases: string[];
  readonly #chunk: Uint8Array;
  readonly #offset: number;
  #view: Uint8Array | undefined;
  /** The IPv4 view of an IPv6 line that has one (rare lines: `::1`, `::ffff:a.b.c.d`). */
  readonly #inet4: Uint8Array | undefined;

  constructor(pool: AddressPool, bytes: Uint8Array, family: 4 | 6, canonical: string, aliases: string[]) {
    this.address = family === 4 ? formatIPv4(bytes) : formatIPv6(bytes);
    this.family = family;
    this.canonical = canonical;
    this.aliases = aliases;
    this.#offset = pool.add(bytes);
    this.#chunk = pool.chunk;
    if (family === 6) this.#inet4 = inet4View(bytes);
  }

  get bytes(): Uint8Array {
    return (this.#view ??= this.#chunk.subarray(this.#offset, this.#offset + (this.family === 4 ? 4 : 16)));
  }

  get inet4Bytes(): Uint8Array | undefined {
    return this.family === 4 ? this.bytes : this.#inet4;
  }
}

/** inet_pton text → family and canonical (inet_ntop) text, or undefined. */
function canonicalAddress(text: string): { address: string; family: 4 | 6 } | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { address: formatIPv4(v4), family: 4 };
  const v6 = parseIPv6(text);
  if (v6 !== null) return { address: formatIPv6(v6), family: 6 };
  return undefined;
}

/** The IPv4 octets an IPv6 line stands for in IPv4 lookups ({@link inet4Address}), or undefined. */
function inet4View(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.subarray(0, 10).some((b) => b !== 0)) return undefined;
  if (bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  const loopback = bytes[10] === 0 && bytes[11] === 0 && bytes[12] === 0 && bytes[13] === 0 && bytes[14] === 0 && bytes[15] === 1;
  return loopback ? Uint8Array.of(127, 0, 0, 1) : undefined;
}

/**
 * The IPv4 address glibc reports for this line when it looks up IPv4
 * addresses (gethostbyname, gethostbyname_ex, getaddrinfo with AF_INET,
 * gethostbyaddr of an IPv4 address): an IPv4 line's own address, the
 * embedded address of an IPv4-mapped `::ffff:a.b.c.d` line, and 127.0.0.1
 * for a `::1` line. Other IPv6 lines have none: glibc skips them there.
 */
export function inet4Address(entry: HostEntry): string | undefined {
  if (entry.family === 4) return entry.address;
  const bytes = parseIPv6(entry.address);
  const v4 = bytes === null ? undefined : inet4View(bytes);
  return v4 === undefined ? undefined : formatIPv4(v4);
}


/**
 * Entries by key, in file order, each at most once per key. Most keys have
 * one entry, stored bare to spare an array per key in large files.
 */
class EntryIndex {
  private readonly map = new Map<string, HostLine | HostLine[]>();

  add(key: string, entry: HostLine): void {
    const found = this.map.get(key);
    if (found === undefined) this.map.set(key, entry);
    else if (!Array.isArray(found)) {
      if (found !== entry) this.map.set(key, [found, entry]);
    } else if (found[found.length - 1] !== entry) found.push(entry);
  }

  /** A fresh array, so callers may keep or change it. */
  get(key: string): HostLine[] {
    const found = this.map.get(key);
    if (found === undefined) return [];
    return Array.isArray(found) ? [...found] : [found];
  }
}

class IndexedHosts implements HostsTable {
  private readonly names = new EntryIndex();
  /** By canonical address text; IPv6 lines with an IPv4 view are in both. */
  private readonly v4 = new EntryIndex();
  private readonly v6 = new EntryIndex();

  constructor(readonly entries: readonly HostLine[]) {
    for (const entry of entries) {
      this.names.add(foldCase(entry.canonical), entry);
      for (const alias of entry.aliases) this.names.add(foldCase(alias), entry);
      if (entry.family === 4) {
        this.v4.add(entry.address, entry);
      } else {
        this.v6.add(entry.address, entry);
        const v4 = entry.inet4Bytes;
        if (v4 !== undefined) this.v4.add(formatIPv4(v4), entry);
      }
    }
  }

  byName(name: string): HostLine[] {
    return this.names.get(foldCase(name));
  }

  byAddress(address: string): HostLine[] {
    const canonical = canonicalAddress(address);
    if (canonical === undefined) return [];
    return (canonical.family === 4 ? this.v4 : this.v6).get(canonical.address);
  }
}
