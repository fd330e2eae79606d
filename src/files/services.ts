/**
 * /etc/services (`name port/proto aliases...`), parsed as glibc's nss_files
 * parses it, and indexed for the lookups getservbyname/getservbyport make.
 */
import { nssEntries, readUnsigned32, skipSpace, skipWord, splitWords } from "./lines.js";

/** One line of /etc/services. */
export interface ServiceEntry {
  name: string;
  port: number;
  /** Lower-case protocol name as written, e.g. "tcp". */
  proto: string;
  aliases: string[];
}

/** A parsed services file: its entries in file order, and O(1) lookups. */
export interface ServicesTable {
  /** Every line glibc accepts, in file order. */
  readonly entries: readonly ServiceEntry[];
  /**
   * The first entry in file order whose name or an alias is `name` (compared
   * exactly: glibc uses strcmp here, so `HTTP` does not find `http`), and
   * whose protocol is `proto` when given (exactly too: `TCP` is not `tcp`).
   */
  byName(name: string, proto?: string): ServiceEntry | undefined;
  /** The first entry in file order with this port, and protocol `proto` when given. */
  byPort(port: number, proto?: string): ServiceEntry | undefined;
}

/**
 * Parses a services file. Never throws; lines glibc rejects are skipped.
 *
 * A line is a name, whitespace, a port, one or more `/`, a protocol, then
 * aliases. The port is read as C's strtoul with base 0 (`0x50` and `0120`
 * are 80) and kept to its low 16 bits (`65616/tcp` is port 80), as glibc
 * stores it with htons. A number past 32 bits rejects the line, and so
 * does a negative one unless it wraps into 32 bits (`-0` is 0). A port
 * followed by anything but `/` or the end of the line rejects the line
 * (`80x/tcp`, `80 /tcp`, `80 tcp`). With nothing after the port, the protocol is the
 * empty string (`foo 80` is a service no protocol name selects).
 */
export function parseServices(text: string): ServicesTable {
  return new IndexedServices(nssEntries(text, parseLine));
}

function parseLine(line: string): ServiceEntry | undefined {
  const nameEnd = skipWord(line, 0);
  const name = line.slice(0, nameEnd);
  const port = readUnsigned32(line, skipSpace(line, nameEnd), 0);
  if (port === undefined) return undefined;
  let i = port.end;
  if (line[i] === "/") {
    while (line[i] === "/") i++;
  } else if (i < line.length) {
    return undefined;
  }
  const protoEnd = skipWord(line, i);
  const proto = line.slice(i, protoEnd);
  return { name, port: port.value & 0xffff, proto, aliases: splitWords(line.slice(protoEnd)) };
}

/** Remembers the first value set for each key; later ones are ignored. */
function setFirst<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (!map.has(key)) map.set(key, value);
}

/** A key → first entry index per protocol, with the any-protocol index under `undefined`. */
class FirstByProto<K> {
  private readonly any = new Map<K, ServiceEntry>();
  private readonly byProto = new Map<string, Map<K, ServiceEntry>>();

  add(key: K, entry: ServiceEntry): void {
    setFirst(this.any, key, entry);
    let keys = this.byProto.get(entry.proto);
    if (keys === undefined) {
      keys = new Map();
      this.byProto.set(entry.proto, keys);
    }
    setFirst(keys, key, entry);
  }

  get(key: K, proto: string | undefined): ServiceEntry | undefined {
    return proto === undefined ? this.any.get(key) : this.byProto.get(proto)?.get(key);
  }
}

class IndexedServices implements ServicesTable {
  private readonly names = new FirstByProto<string>();
  private readonly ports = new FirstByProto<number>();

  constructor(readonly entries: readonly ServiceEntry[]) {
    for (const entry of entries) {
      this.names.add(entry.name, entry);
      for (const alias of entry.aliases) this.names.add(alias, entry);
      this.ports.add(entry.port, entry);
    }
  }

  byName(name: string, proto?: string): ServiceEntry | undefined {
    return this.names.get(name, proto);
  }

  byPort(port: number, proto?: string): ServiceEntry | undefined {
    return this.ports.get(port, proto);
  }
}
