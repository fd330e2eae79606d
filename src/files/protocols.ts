/**
 * /etc/protocols (`name number aliases...`), parsed as glibc's nss_files
 * parses it, and indexed for getprotobyname/getprotobynumber.
 */
import { isSpace } from "../inet.js";
import { nssEntries, readUnsigned32, skipSpace, skipWord, splitWords } from "./lines.js";

/** One line of /etc/protocols. */
export interface ProtocolEntry {
  name: string;
  number: number;
  aliases: string[];
}

/** A parsed protocols file: its entries in file order, and O(1) lookups. */
export interface ProtocolsTable {
  /** Every line glibc accepts, in file order. */
  readonly entries: readonly ProtocolEntry[];
  /** The first entry whose name or an alias is `name`, compared exactly (strcmp, as glibc). */
  byName(name: string): ProtocolEntry | undefined;
  /** The first entry with this number. */
  byNumber(n: number): ProtocolEntry | undefined;
}

/**
 * Parses a protocols file. Never throws; lines glibc rejects are skipped.
 *
 * The number is read as C's strtoul in base 10 and stored in a C int, as
 * glibc does: `+6` is 6 and `4294967295` is -1, while numbers past 32 bits,
 * and negative ones like `-1` (2^64 - 1 to strtoul), reject the line. So
 * does a number followed by anything but whitespace or the end (`6x`).
 */
export function parseProtocols(text: string): ProtocolsTable {
  return new IndexedProtocols(nssEntries(text, parseLine));
}

function parseLine(line: string): ProtocolEntry | undefined {
  const nameEnd = skipWord(line, 0);
  const number = readUnsigned32(line, skipSpace(line, nameEnd), 10);
  if (number === undefined) return undefined;
  if (number.end < line.length && !isSpace(line.charCodeAt(number.end))) return undefined;
  return { name: line.slice(0, nameEnd), number: number.value | 0, aliases: splitWords(line.slice(number.end)) };
}

class IndexedProtocols implements ProtocolsTable {
  private readonly names = new Map<string, ProtocolEntry>();
  private readonly numbers = new Map<number, ProtocolEntry>();

  constructor(readonly entries: readonly ProtocolEntry[]) {
    for (const entry of entries) {
      for (const name of [entry.name, ...entry.aliases]) {
        if (!this.names.has(name)) this.names.set(name, entry);
      }
      if (!this.numbers.has(entry.number)) this.numbers.set(entry.number, entry);
    }
  }

  byName(name: string): ProtocolEntry | undefined {
    return this.names.get(name);
  }

  byNumber(n: number): ProtocolEntry | undefined {
    return this.numbers.get(n);
  }
}
