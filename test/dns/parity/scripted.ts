/**
 * A scripted DNS server for the glibc-parity scenarios (scenarios.ts): each
 * query is handed to the scenario's script, which returns the exact bytes
 * to send back (or nothing: silence). The same script serves CPython in the
 * recorder's namespace (serve.ts, on 127.0.0.x:53) and netdb in the replay
 * (parity.test.ts, on loopback ports of its own), so both read the same
 * bytes. Every query is logged (protocol, server, name as sent, type, EDNS
 * payload size) so a golden can say what glibc asked, not only what it
 * returned.
 *
 * The builders below write responses by hand, octet by octet: no encoder
 * to normalise what a scenario means to send (odd counts, trailing bytes,
 * a record cut off).
 */
import dgram from "node:dgram";
import net from "node:net";
import { readName } from "../../../src/dns/name.js";

/** A query as the script sees it. */
export interface ScriptQuery {
  /** The query's bytes. */
  bytes: Buffer;
  id: number;
  /** The question name as sent, in ns_name_ntop's text form (readName's). */
  name: string;
  type: number;
  /** The OPT record's payload size; undefined without one. */
  edns: number | undefined;
  /** Index of the server (127.0.0.1 is 0). */
  server: number;
  protocol: "udp" | "tcp";
  /** Queries this server got for this name and type before, on any protocol. */
  seen: number;
}

/** A scenario's script: the response bytes, or undefined for silence. */
export type Script = (q: ScriptQuery) => Buffer | undefined;

/** The log line of a query: `udp 0 www.example A 1200`. */
export function queryLine(q: Pick<ScriptQuery, "protocol" | "server" | "name" | "type" | "edns">): string {
  return `${q.protocol} ${q.server} ${q.name} ${TYPE_NAMES[q.type] ?? q.type} ${q.edns ?? "-"}`;
}

const TYPE_NAMES: Record<number, string> = { 1: "A", 5: "CNAME", 12: "PTR", 28: "AAAA", 255: "ANY" };

/** Reads the question and the OPT record of a query; undefined for anything that is not one. */
export function parseQuery(bytes: Buffer): Omit<ScriptQuery, "server" | "protocol" | "seen"> | undefined {
  if (bytes.length < 17 || bytes.readUInt16BE(4) !== 1) return undefined;
  let question: { name: string; end: number };
  try {
    question = readName(bytes, 12);
  } catch {
    return undefined;
  }
  let at = question.end;
  if (at + 4 > bytes.length) return undefined;
  const type = bytes.readUInt16BE(at);
  at += 4;
  let edns: number | undefined;
  // An OPT record of a query is the root name (one zero octet), then TYPE 41 and the payload size.
  if (bytes.readUInt16BE(10) === 1 && bytes[at] === 0 && bytes.readUInt16BE(at + 1) === 41) edns = bytes.readUInt16BE(at + 3);
  return { bytes, id: bytes.readUInt16BE(0), name: question.name, type, edns };
}

// --- response builders ------------------------------------------------------

/** A name on the wire: `"@"` is a pointer to the question name, `"."` the root. */
export function wireName(name: string): Buffer {
  if (name === "@") return Buffer.from([0xc0, 0x0c]);
  if (name === "." || name === "") return Buffer.from([0]);
  const parts = name.split(".").map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, "latin1")]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** One resource record: owner, type, class, TTL, RDATA. */
export function rr(owner: string, type: number, rdata: Buffer, ttl = 300, klass = 1): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(klass, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([wireName(owner), head, rdata]);
}

/** RDATA of an A record. */
export function a(address: string): Buffer {
  return Buffer.from(address.split(".").map(Number));
}

/** RDATA of an AAAA record (`2001:db8::N` forms only need `::`). */
export function aaaa(address: string): Buffer {
  const [head = "", tail = ""] = address.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** How a response is put together. */
export interface Reply {
  /** RCODE number; NOERROR unless given. */
  rcode?: number;
  /** Header flags besides QR and the RCODE; RD (copied from the query) and RA unless given. */
  flags?: number;
  /** The answer records, already encoded ({@link rr}). */
  answers?: Buffer[];
  authority?: Buffer[];
  additional?: Buffer[];
  /** Counts written into the header instead of the real ones: [an, ns, ar]. */
  counts?: [number, number, number];
  /** Bytes after the last record. */
  trailing?: Buffer;
  /** Cut the message to this many octets. */
  cut?: number;
  /** Add an OPT record with this payload size (after `additional`). */
  edns?: number;
}

const RD = 0x0100;
const RA = 0x0080;

/** A response to `q`: its ID and question, then the records of `r`. */
export function reply(q: ScriptQuery, r: Reply = {}): Buffer {
  const question = questionOf(q.bytes);
  const answers = r.answers ?? [];
  const authority = r.authority ?? [];
  const additional = [...(r.additional ?? []), ...(r.edns === undefined ? [] : [opt(r.edns)])];
  const counts = r.counts ?? [answers.length, authority.length, additional.length];
  const head = Buffer.alloc(12);
  head.writeUInt16BE(q.id, 0);
  head.writeUInt16BE(0x8000 | (r.flags ?? ((q.bytes.readUInt16BE(2) & RD) | RA)) | (r.rcode ?? 0), 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(counts[0], 6);
  head.writeUInt16BE(counts[1], 8);
  head.writeUInt16BE(counts[2], 10);
  const whole = Buffer.concat([head, question, ...answers, ...authority, ...additional, r.trailing ?? Buffer.alloc(0)]);
  return r.cut === undefined ? whole : whole.subarray(0, r.cut);
}

/** The question section of a query (the query's bytes from 12 to the end of its QTYPE and QCLASS). */
function questionOf(bytes: Buffer): Buffer {
  let at = 12;
  while (bytes[at] !== 0) at += bytes[at]! + 1;
  return bytes.subarray(12, at + 5);
}

/** An OPT record advertising `size`. */
export function opt(size: number): Buffer {
  return rr(".", 41, Buffer.alloc(0), 0, size);
}

// --- the server -------------------------------------------------------------

/** Where a server listens: an address and a port (0: any free one). */
export interface Listen {
  address: string;
  port: number;
}

/**
 * UDP and TCP on each address of `listen`, every query answered by the
 * script of the moment ({@link ScriptedServer.use}); TCP messages are
 * framed as RFC 1035 says, one response per query, and the connection is
 * left for the client to close.
 */
export class ScriptedServer {
  #script: Script = () => undefined;
  #log: string[] = [];
  #seen = new Map<string, number>();
  readonly #udp: dgram.Socket[] = [];
  readonly #tcp: net.Server[] = [];
  readonly #conns = new Set<net.Socket>();
  /** The ports the servers got, in the order of `listen`. */
  readonly ports: number[] = [];

  static async start(listen: Listen[]): Promise<ScriptedServer> {
    const server = new ScriptedServer();
    try {
      for (const [i, l] of listen.entries()) await server.#listen(i, l);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** Serves `script` from now on, with an empty log. */
  use(script: Script): void {
    this.#script = script;
    this.#log = [];
    this.#seen.clear();
  }

  /** The queries since the last call (or {@link use}), in order of arrival. */
  takeLog(): string[] {
    const log = this.#log;
    this.#log = [];
    return log;
  }

  async stop(): Promise<void> {
    for (const c of this.#conns) c.destroy();
    await Promise.all([
      ...this.#udp.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
      ...this.#tcp.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    ]);
  }

  /**
   * UDP and TCP on one port of `address`. A free UDP port (port 0) may be
   * taken for TCP by someone else: then both close and another is tried.
   */
  async #listen(index: number, { address, port }: Listen): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const udp = dgram.createSocket("udp4");
      await new Promise<void>((resolve, reject) => {
        udp.once("error", reject);
        udp.bind(port, address, () => resolve());
      });
      const bound = udp.address().port;
      const tcp = net.createServer((conn) => this.#serveTcp(conn, index));
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once("error", reject);
          tcp.listen(bound, address, () => resolve());
        });
      } catch (err) {
        await new Promise<void>((resolve) => udp.close(() => resolve()));
        if (port !== 0 || attempt >= 10 || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
        continue;
      }
      this.#udp.push(udp);
      this.#tcp.push(tcp);
      this.ports.push(bound);
      udp.on("message", (bytes, from) => {
        const out = this.#answer(bytes, index, "udp");
        if (out !== undefined) udp.send(out, from.port, from.address);
      });
      return;
    }
  }

  #serveTcp(conn: net.Socket, index: number): void {
    this.#conns.add(conn);
    conn.on("close", () => this.#conns.delete(conn));
    conn.on("error", () => conn.destroy());
    let buffered = Buffer.alloc(0);
    conn.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        const out = this.#answer(Buffer.from(message), index, "tcp");
        if (out !== undefined) {
          const length = Buffer.alloc(2);
          length.writeUInt16BE(out.length);
          conn.write(Buffer.concat([length, out]));
        }
      }
    });
  }

  #answer(bytes: Buffer, server: number, protocol: "udp" | "tcp"): Buffer | undefined {
    const parsed = parseQuery(bytes);
    if (parsed === undefined) {
      this.#log.push(`${protocol} ${server} unparsable query of ${bytes.length} octets`);
      return undefined;
    }
    const key = `${server} ${parsed.name.toLowerCase()} ${parsed.type}`;
    const seen = this.#seen.get(key) ?? 0;
    this.#seen.set(key, seen + 1);
    const q: ScriptQuery = { ...parsed, server, protocol, seen };
    this.#log.push(queryLine(q));
    return this.#script(q);
  }
}
