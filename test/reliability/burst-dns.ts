/**
 * The DNS server of the burst and spoofing measurements: one UDP socket on
 * 127.0.0.1 that answers `*.burst.test` A with 192.0.2.7 and counts the
 * queries it receives, per source port and by the case their name arrived
 * in. It can drop every n-th query, stay silent but for one forged answer
 * with the right ID (its question copied as received: a forger that has
 * the ID has seen the datagram), or flood every source port it has seen
 * with forged answers carrying random IDs.
 *
 * The wire handling is written by hand (read the question, copy it into
 * the answer) rather than through test/support/dnsserver.ts: in a burst of
 * 10,000 queries on a 2-core machine the server's CPU time is taken from
 * the client under test, so the server does as little as it can per query.
 * Copying the question's bytes also echoes the query name's case exactly,
 * as a server must for clients that randomize it (0x20).
 */
import dgram from "node:dgram";
import { readFileSync } from "node:fs";

/** The address every name under {@link BURST_ZONE} resolves to. */
export const BURST_ADDRESS = "192.0.2.7";
/** The address forged answers carry (TEST-NET-3). */
export const FORGED_ADDRESS = "203.0.113.66";
/** The zone the server answers for. */
export const BURST_ZONE = "burst.test";

/** The name, type and end offset of a query's question, or undefined when it is not a query this server reads. */
export function readQuestion(query: Buffer): { name: string; type: number; end: number } | undefined {
  if (query.length < 17 || (query[2]! & 0x80) !== 0 || query.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const length = query[at];
    if (length === undefined || length > 63) return undefined;
    at++;
    if (length === 0) break;
    if (at + length > query.length) return undefined;
    labels.push(query.toString("latin1", at, at + length));
    at += length;
  }
  if (at + 4 > query.length) return undefined;
  return { name: labels.join("."), type: query.readUInt16BE(at), end: at + 4 };
}

/**
 * The answer to `query` (its question copied byte for byte): `address` for
 * an A question of a name under the zone, NOERROR without records for
 * another type, REFUSED outside the zone. No OPT record, as an old server.
 */
export function encodeAnswer(query: Buffer, question: { name: string; type: number; end: number }, address: string): Buffer {
  const inZone = question.name.toLowerCase().endsWith(`.${BURST_ZONE}`);
  const withRecord = inZone && question.type === 1;
  const reply = Buffer.alloc(question.end + (withRecord ? 16 : 0));
  query.copy(reply, 0, 0, question.end);
  reply[2] = 0x84 | (query[2]! & 0x01); // QR, AA, the query's RD
  reply[3] = 0x80 | (inZone ? 0 : 5); // RA; NOERROR or REFUSED
  reply.writeUInt16BE(withRecord ? 1 : 0, 6);
  reply.writeUInt32BE(0, 8); // no authority, no additional section
  if (withRecord) {
    const at = question.end;
    reply.writeUInt16BE(0xc00c, at); // the question's name
    reply.writeUInt16BE(1, at + 2); // A
    reply.writeUInt16BE(1, at + 4); // IN
    reply.writeUInt32BE(0, at + 6); // TTL 0: no client may answer from a cache
    reply.writeUInt16BE(4, at + 10);
    address.split(".").forEach((octet, i) => (reply[at + 12 + i] = Number(octet)));
  }
  return reply;
}

/** What the server does with the queries it receives. */
export interface BurstMode {
  /** Drop every n-th query received (0: none); a name is dropped at most once, so its retry is answered. */
  dropEvery: number;
  /** Answer nothing; with `forgeFirst`, send one forged answer (right ID, {@link FORGED_ADDRESS}) to the first query. */
  silent: boolean;
  forgeFirst: boolean;
}

/** What the server saw since it started or was last reset. */
export interface BurstStats {
  queries: number;
  /** Queries not answered on purpose. */
  dropped: number;
  /** Distinct source ports, and the most queries any one of them carried. */
  ports: number;
  maxPerPort: number;
  /**
   * Queries whose name arrived with an upper-case letter. Every client
   * here asks in lower case, so these are the queries a client sent with
   * random case (0x20).
   */
  mixedCase: number;
  /** Forged datagrams sent (flood and forgeFirst). */
  forged: number;
  /** Datagrams the kernel dropped at this server's socket since the reset (/proc/net/udp). */
  serverDrops: number;
}

const DEFAULT_MODE: BurstMode = { dropEvery: 0, silent: false, forgeFirst: false };

/** The burst server. */
export class BurstServer {
  readonly #socket: dgram.Socket;
  #mode: BurstMode = DEFAULT_MODE;
  #queries = 0;
  #droppedCount = 0;
  #forged = 0;
  #mixedCase = 0;
  #dropsAtReset = 0;
  readonly #dropped = new Set<string>();
  readonly #perPort = new Map<number, number>();
  /** The last query seen from each source port, for the flood to forge answers to. */
  readonly #lastQuery = new Map<number, { query: Buffer; question: { name: string; type: number; end: number }; forged?: Buffer }>();
  #flooding = false;
  #floodTimer: NodeJS.Immediate | undefined;

  private constructor(socket: dgram.Socket) {
    this.#socket = socket;
    // A send to a client socket that is already gone is the client's business.
    socket.on("error", () => undefined);
    socket.on("message", (bytes, from) => this.#onQuery(bytes, from.port, from.address));
  }

  /**
   * Binds 127.0.0.1:`port` (0: a free one) with a 4 MB receive buffer
   * (capped by net.core.rmem_max): with the default, about 200 small
   * datagrams, the server itself would drop most of a burst.
   */
  static async start(port = 0): Promise<BurstServer> {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve();
      });
    });
    socket.setRecvBufferSize(4 * 1024 * 1024);
    const server = new BurstServer(socket);
    server.reset();
    return server;
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** Forgets what was seen and sets how the next queries are handled. */
  reset(mode: Partial<BurstMode> = {}): void {
    this.stopFlood();
    this.#mode = { ...DEFAULT_MODE, ...mode };
    this.#queries = 0;
    this.#droppedCount = 0;
    this.#forged = 0;
    this.#dropped.clear();
    this.#perPort.clear();
    this.#lastQuery.clear();
    this.#mixedCase = 0;
    this.#dropsAtReset = this.#kernelDrops();
  }

  stats(): BurstStats {
    let maxPerPort = 0;
    for (const n of this.#perPort.values()) maxPerPort = Math.max(maxPerPort, n);
    return {
      queries: this.#queries,
      dropped: this.#droppedCount,
      ports: this.#perPort.size,
      maxPerPort,
      mixedCase: this.#mixedCase,
      forged: this.#forged,
      serverDrops: this.#kernelDrops() - this.#dropsAtReset,
    };
  }

  /**
   * Sends forged answers (the question last received on that port, a
   * random ID, {@link FORGED_ADDRESS}) from this socket to every source
   * port seen so far, in batches, yielding between them so that the real
   * queries are still read and answered. The forged question's name is in
   * lower case, as the clients here ask: an off-path forger knows the name
   * looked up, not the random case a client may have put on the wire.
   */
  startFlood(batch = 256): void {
    if (this.#flooding) return;
    this.#flooding = true;
    const ports: number[] = [];
    let next = 0;
    let random = (Math.random() * 0xffffffff) >>> 0 || 1;
    const round = (): void => {
      if (!this.#flooding) return;
      if (ports.length < this.#lastQuery.size) {
        ports.length = 0;
        ports.push(...this.#lastQuery.keys());
      }
      for (let i = 0; i < batch && ports.length > 0; i++) {
        const port = ports[next++ % ports.length]!;
        const last = this.#lastQuery.get(port)!;
        last.forged ??= lowerCaseQuestion(encodeAnswer(last.query, last.question, FORGED_ADDRESS), last.question.end);
        const forged = Buffer.allocUnsafe(last.forged.length);
        last.forged.copy(forged);
        // xorshift32: cheaper than Math.random at this rate, and any ID will do.
        random ^= random << 13;
        random ^= random >>> 17;
        random ^= random << 5;
        forged.writeUInt16BE(random & 0xffff, 0);
        this.#socket.send(forged, port, "127.0.0.1");
        this.#forged++;
      }
      this.#floodTimer = setImmediate(round);
    };
    round();
  }

  stopFlood(): void {
    this.#flooding = false;
    if (this.#floodTimer !== undefined) clearImmediate(this.#floodTimer);
    this.#floodTimer = undefined;
  }

  async stop(): Promise<void> {
    this.stopFlood();
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  #onQuery(bytes: Buffer, port: number, address: string): void {
    const question = readQuestion(bytes);
    if (question === undefined) return;
    this.#queries++;
    this.#perPort.set(port, (this.#perPort.get(port) ?? 0) + 1);
    this.#lastQuery.set(port, { query: bytes, question });
    if (question.name !== question.name.toLowerCase()) this.#mixedCase++;
    const mode = this.#mode;
    if (mode.silent) {
      this.#droppedCount++;
      if (mode.forgeFirst && this.#queries === 1) {
        this.#socket.send(encodeAnswer(bytes, question, FORGED_ADDRESS), port, address);
        this.#forged++;
      }
      return;
    }
    if (mode.dropEvery > 0 && this.#queries % mode.dropEvery === 0) {
      const key = question.name.toLowerCase();
      if (!this.#dropped.has(key)) {
        this.#dropped.add(key);
        this.#droppedCount++;
        return;
      }
    }
    this.#socket.send(encodeAnswer(bytes, question, BURST_ADDRESS), port, address);
  }

  /** The drops counter of this socket in /proc/net/udp (0 where there is none). */
  #kernelDrops(): number {
    const local = `0100007F:${this.port.toString(16).toUpperCase().padStart(4, "0")}`;
    try {
      for (const line of readFileSync("/proc/net/udp", "utf8").split("\n")) {
        const fields = line.trim().split(/\s+/);
        if (fields[1] === local) return Number(fields[12] ?? 0);
      }
    } catch {
      // not Linux
    }
    return 0;
  }
}

/** `message` with the ASCII letters of its question name (octets 12 to the type) in lower case; length octets are below 64, never letters. */
function lowerCaseQuestion(message: Buffer, questionEnd: number): Buffer {
  for (let i = 12; i < questionEnd - 4; i++) if (message[i]! >= 0x41 && message[i]! <= 0x5a) message[i]! += 0x20;
  return message;
}

/** The machine's (or namespace's) UDP receive-buffer drops so far: RcvbufErrors of /proc/net/snmp. */
export function udpRcvbufErrors(): number {
  try {
    const lines = readFileSync("/proc/net/snmp", "utf8").split("\n").filter((l) => l.startsWith("Udp: "));
    const header = lines[0]!.split(/\s+/);
    const values = lines[1]!.split(/\s+/);
    return Number(values[header.indexOf("RcvbufErrors")]);
  } catch {
    return NaN;
  }
}
