/**
 * An in-process DNS server for tests: UDP and TCP on 127.0.0.1 and ::1 (when
 * this machine has IPv6 loopback), one random free port for all four. It
 * answers from zones like Knot does (src/zone/), counts every
 * query it receives, and misbehaves on command, per name or for everything:
 *
 * ```ts
 * const server = await TestDnsServer.start({ zones: [{ origin: "test.", text }] });
 * server.misbehave({ name: "slow.test", behaviour: { kind: "delay", ms: 300 } });
 * // ... point a client at server.nameServer(4) ...
 * expect(server.count("udp")).to.equal(2);
 * await server.stop();
 * ```
 */
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import net from "node:net";
import { dirname, join } from "node:path";
import { decodeMessage, type DnsMessage } from "../../src/dns/message.js";
import type { Protocol } from "../../src/dns/question.js";
import type { NameServer } from "../../src/dns/server.js";
import { Authority } from "../../src/zone/authority.js";
import { authoritativeResponse, SERVER_UDP_PAYLOAD } from "../../src/zone/respond.js";
import { encodeResponse, type WireResponse } from "../../src/zone/wire.js";
import { parseZoneFile, ZoneFileError } from "../../src/zone/zonefile.js";

/** A query as the server saw it. */
export interface ReceivedQuery {
  protocol: Protocol;
  family: 4 | 6;
  id: number;
  name: string;
  type: string;
  /** The query carried an OPT record. */
  edns: boolean;
  /** The header's RD, AD and CD bits. */
  rd: boolean;
  ad: boolean;
  cd: boolean;
}

/** How to (mis)handle a query. */
export type Behaviour =
  /** Never answer. */
  | { kind: "drop" }
  /** Answer normally, after `ms` milliseconds. */
  | { kind: "delay"; ms: number }
  /**
   * Answer normally, but only when the next query for the same name and
   * type arrives over the same protocol: a client sends that only once it
   * has given up on this one, so the answer is late however slowly the
   * machine runs (a delay in milliseconds is late only if the client's
   * event loop kept up). Answers still held then go with {@link TestDnsServer.sendHeld}.
   */
  | { kind: "late" }
  /** Over UDP: TC set and every section empty, as Knot truncates. Over TCP: answer normally. */
  | { kind: "truncate" }
  /** Answer with this RCODE (no records); `bare` sends only the 12-octet header, no question. */
  | { kind: "rcode"; rcode: string; bare?: boolean }
  /** FORMERR to a query with an OPT record, a normal answer otherwise (an old server). */
  | { kind: "formerr-to-edns" }
  /** NOERROR with nothing in it, AA and RA clear, no OPT: glibc's "lame" answer. */
  | { kind: "lame" }
  /**
   * First send something that is not the answer — the right answer with
   * another ID, for another question, with QR clear, from another port, or
   * random bytes — then, if `thenAnswer`, the real answer.
   */
  | { kind: "spoof"; how: "wrong-id" | "wrong-question" | "not-response" | "other-port" | "garbage"; thenAnswer: boolean }
  /** Send these bytes instead of the answer (`normal` is what would have been sent). */
  | { kind: "raw"; bytes: (query: DnsMessage, normal: Buffer) => Uint8Array }
  /** TCP: send the length prefix and half the answer, then close. */
  | { kind: "tcp-close-mid" }
  /** TCP: announce 65535 octets, send the answer, then keep the connection open without more. */
  | { kind: "tcp-huge-length" }
  /** TCP: send the framed answer one octet every `intervalMs` milliseconds. */
  | { kind: "tcp-slowloris"; intervalMs: number }
  /** TCP: send the answer in frames of one and two octets, as a slow network might (still correct). */
  | { kind: "tcp-split" }
  /** TCP: reset the connection (RST) instead of answering. */
  | { kind: "tcp-reset" }
  /**
   * TCP: write these octets as they are, no length prefix added, instead of
   * the answer (several frames in one segment, a length and then silence,
   * noise): at once, or `pieces` octets at a time 1 ms apart. With
   * `endless`, write them again and again as fast as the connection takes
   * them, until it closes.
   */
  | { kind: "tcp-stream"; bytes: (query: DnsMessage, normal: Buffer) => Uint8Array; pieces?: number; endless?: boolean };

/** A misbehaviour rule: what to do for the queries it matches. */
export interface Rule {
  /** Match this query name only (case-insensitive, no trailing dot); all names if absent. */
  name?: string;
  /** Match this type only. */
  type?: string;
  /** Match this protocol only. */
  protocol?: Protocol;
  /** Apply to this many matching queries, then stop matching. */
  times?: number;
  behaviour: Behaviour;
}

/** Zones to serve: zone-file text or a file, with the zone's origin. */
export interface ZoneSource {
  origin: string;
  text?: string;
  file?: string;
}

/** Options of {@link TestDnsServer.start}. */
export interface TestDnsServerOptions {
  zones?: ZoneSource[];
  /** Also serve the zones listed in a world's `zones` file (fixtures/worlds/README.md). */
  worldZones?: string;
  /** Bind ::1 too (default: when the machine has IPv6 loopback). */
  ipv6?: boolean;
  /** Listen on this port instead of a random free one (53 inside a network namespace). */
  port?: number;
  /**
   * SO_RCVBUF of the UDP sockets, in bytes (capped by net.core.rmem_max).
   * The default (net.core.rmem_default, about 200 small datagrams) drops
   * queries when thousands arrive at once; a load test wants more.
   */
  recvBufferSize?: number;
}

interface Listener {
  family: 4 | 6;
  udp: dgram.Socket;
  tcp: net.Server;
  /** Sends "answers from another port". */
  stray: dgram.Socket;
}

/** The in-process test DNS server. */
export class TestDnsServer {
  readonly authority = new Authority();
  /** Every query received, in order. */
  readonly queries: ReceivedQuery[] = [];
  readonly #rules: Array<Rule & { used: number }> = [];
  readonly #listeners: Listener[];
  readonly #connections = new Set<net.Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** The answer the "late" behaviour holds, by protocol, type and name. */
  readonly #held = new Map<string, () => void>();
  readonly #port: number;

  private constructor(listeners: Listener[], port: number) {
    this.#listeners = listeners;
    this.#port = port;
    for (const listener of listeners) {
      // A send error (the client's socket is already gone) is the client's business.
      listener.udp.on("error", () => undefined);
      listener.stray.on("error", () => undefined);
      listener.udp.on("message", (bytes, from) => this.#onUdp(listener, bytes, from));
      listener.tcp.on("connection", (socket) => this.#onTcp(listener, socket));
    }
  }

  /** Starts a server on a free port of 127.0.0.1 (and ::1). */
  static async start(options: TestDnsServerOptions = {}): Promise<TestDnsServer> {
    const families: Array<4 | 6> = (options.ipv6 ?? (await hasIPv6Loopback())) ? [4, 6] : [4];
    const { listeners, port } = await bindAll(families, options.port ?? 0);
    if (options.recvBufferSize !== undefined) for (const l of listeners) l.udp.setRecvBufferSize(options.recvBufferSize);
    const server = new TestDnsServer(listeners, port);
    for (const zone of options.zones ?? []) server.addZone(zone);
    if (options.worldZones !== undefined) server.addWorldZones(options.worldZones);
    return server;
  }

  /** The port all four sockets listen on. */
  get port(): number {
    return this.#port;
  }

  /** True when the server listens on ::1 too. */
  get hasIPv6(): boolean {
    return this.#listeners.some((l) => l.family === 6);
  }

  /** The server as a resolver configuration entry. */
  nameServer(family: 4 | 6 = 4): NameServer {
    if (family === 6 && !this.hasIPv6) throw new Error("the test server has no IPv6 listener");
    return { address: family === 4 ? "127.0.0.1" : "::1", port: this.#port, family };
  }

  /** Loads a zone; a zone file that does not load makes its names SERVFAIL, as in Knot. */
  addZone(source: ZoneSource): void {
    const text = source.text ?? readFileSync(source.file!, "utf8");
    try {
      this.authority.addZone(parseZoneFile(text, source.origin, source.file ?? source.origin));
    } catch (err) {
      if (!(err instanceof ZoneFileError)) throw err;
      this.authority.addBrokenZone(source.origin, err.message);
    }
  }

  /** Loads every zone of a world's `zones` list ("ORIGIN FILE" per line, FILE under fixtures/zones/). */
  addWorldZones(listFile: string): void {
    const zonesDir = join(dirname(listFile), "..", "..", "zones");
    for (const line of readFileSync(listFile, "utf8").split("\n")) {
      const fields = line.replace(/#.*/, "").trim().split(/\s+/);
      if (fields.length === 2) this.addZone({ origin: fields[0]!, file: join(zonesDir, fields[1]!) });
    }
  }

  /** Adds a rule; the first matching rule (in the order added) decides. */
  misbehave(rule: Rule): void {
    this.#rules.push({ ...rule, used: 0 });
  }

  /** Sends every answer the "late" behaviour still holds. */
  sendHeld(): void {
    const held = [...this.#held.values()];
    this.#held.clear();
    for (const send of held) send();
  }

  /** Forgets rules and received queries, and cancels replies still waiting to be sent. */
  reset(): void {
    this.#rules.length = 0;
    this.queries.length = 0;
    this.#held.clear();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** How many queries arrived (over one protocol, or in all). */
  count(protocol?: Protocol): number {
    return this.queries.filter((q) => protocol === undefined || q.protocol === protocol).length;
  }

  /** Closes every socket and connection and cancels pending replies. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#held.clear();
    for (const socket of this.#connections) socket.destroy();
    await Promise.all(
      this.#listeners.flatMap((l) => [
        new Promise<void>((resolve) => l.udp.close(() => resolve())),
        new Promise<void>((resolve) => l.stray.close(() => resolve())),
        new Promise<void>((resolve) => l.tcp.close(() => resolve())),
      ]),
    );
  }

  /** The answer a well-behaved server would send, and the parsed query. */
  respond(query: DnsMessage, protocol: Protocol): Buffer {
    return authoritativeResponse(this.authority, query, protocol);
  }

  #onUdp(listener: Listener, bytes: Buffer, from: dgram.RemoteInfo): void {
    const query = this.#receive(bytes, "udp", listener.family);
    if (query === undefined) return;
    const send = (reply: Uint8Array, socket = listener.udp): void => {
      socket.send(reply, from.port, from.address);
    };
    this.#handle(query, "udp", send, listener);
  }

  #onTcp(listener: Listener, socket: net.Socket): void {
    this.#connections.add(socket);
    socket.on("close", () => this.#connections.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffered: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const frame = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + frame.length);
        const query = this.#receive(frame, "tcp", listener.family);
        if (query === undefined) continue;
        this.#handle(query, "tcp", (reply) => socket.write(framed(reply)), listener, socket);
      }
    });
  }

  #receive(bytes: Uint8Array, protocol: Protocol, family: 4 | 6): DnsMessage | undefined {
    let query: DnsMessage;
    try {
      query = decodeMessage(bytes);
    } catch {
      return undefined;
    }
    if (query.qr) return undefined;
    const q = query.questions[0];
    this.queries.push({ protocol, family, id: query.id, name: q?.name ?? "", type: q?.type ?? "", edns: query.edns !== undefined, rd: query.rd, ad: query.ad, cd: query.cd });
    return query;
  }

  #handle(query: DnsMessage, protocol: Protocol, send: (reply: Uint8Array, socket?: dgram.Socket) => void, listener: Listener, tcp?: net.Socket): void {
    const normal = this.respond(query, protocol);
    const behaviour = this.#ruleFor(query, protocol)?.behaviour;
    if (behaviour === undefined) return send(normal);
    const q = query.questions[0];
    switch (behaviour.kind) {
      case "drop":
        return;
      case "delay":
        return this.#later(behaviour.ms, () => send(normal));
      case "late": {
        const key = `${protocol} ${q?.type ?? ""} ${q?.name.toLowerCase() ?? ""}`;
        const earlier = this.#held.get(key);
        this.#held.set(key, () => send(normal));
        return earlier?.();
      }
      case "truncate":
        if (protocol === "tcp") return send(normal);
        return send(encodeResponse({ id: query.id, rd: query.rd, rcode: "NOERROR", aa: true, tc: true, ...(q && { question: q }), ...edns(query) }));
      case "rcode":
        if (behaviour.bare === true) return send(encodeResponse({ id: query.id, rd: query.rd, rcode: behaviour.rcode }));
        return send(encodeResponse({ id: query.id, rd: query.rd, rcode: behaviour.rcode, ...(q && { question: q }), ...edns(query) }));
      case "formerr-to-edns":
        if (query.edns === undefined) return send(normal);
        return send(encodeResponse({ id: query.id, rd: query.rd, rcode: "FORMERR", ...(q && { question: q }) }));
      case "lame":
        return send(encodeResponse({ id: query.id, rd: query.rd, rcode: "NOERROR", ...(q && { question: q }) }));
      case "spoof":
        this.#spoof(behaviour.how, query, normal, send, listener);
        if (behaviour.thenAnswer) this.#later(20, () => send(normal));
        return;
      case "raw":
        return send(behaviour.bytes(query, normal));
      case "tcp-close-mid":
        tcp?.end(framed(normal).subarray(0, 2 + Math.floor(normal.length / 2)));
        return;
      case "tcp-huge-length": {
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(0xffff);
        tcp?.write(Buffer.concat([prefix, normal]));
        return;
      }
      case "tcp-slowloris":
        return this.#dribble(tcp, framed(normal), 1, behaviour.intervalMs);
      case "tcp-split":
        return this.#dribble(tcp, framed(normal), 2, 1);
      case "tcp-reset":
        tcp?.resetAndDestroy();
        return;
      case "tcp-stream": {
        const bytes = Buffer.from(behaviour.bytes(query, normal));
        if (behaviour.pieces !== undefined) return this.#dribble(tcp, bytes, behaviour.pieces, 1);
        if (tcp !== undefined) this.#stream(tcp, bytes, behaviour.endless === true);
        return;
      }
    }
  }

  #spoof(how: Extract<Behaviour, { kind: "spoof" }>["how"], query: DnsMessage, normal: Buffer, send: (reply: Uint8Array, socket?: dgram.Socket) => void, listener: Listener): void {
    const copy = Buffer.from(normal);
    switch (how) {
      case "wrong-id":
        copy.writeUInt16BE((query.id + 1) & 0xffff, 0);
        return send(copy);
      case "not-response":
        copy[2]! &= 0x7f;
        return send(copy);
      case "wrong-question": {
        const q = query.questions[0]!;
        const other = this.respond({ ...query, questions: [{ ...q, name: `other-${q.name}` }] }, "udp");
        return send(other);
      }
      case "other-port":
        return send(normal, listener.stray);
      case "garbage":
        return send(Buffer.from("not a DNS message at all, just noise bytes"));
    }
  }

  #ruleFor(query: DnsMessage, protocol: Protocol): Rule | undefined {
    const q = query.questions[0];
    for (const rule of this.#rules) {
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      if (rule.protocol !== undefined && rule.protocol !== protocol) continue;
      if (rule.name !== undefined && rule.name.toLowerCase() !== q?.name.toLowerCase()) continue;
      if (rule.type !== undefined && rule.type.toUpperCase() !== q?.type) continue;
      rule.used++;
      return rule;
    }
    return undefined;
  }

  #later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.add(timer);
  }

  /** Writes `bytes`, and with `endless` again each time the socket has room, until it is closed. */
  #stream(socket: net.Socket, bytes: Buffer, endless: boolean): void {
    if (!endless) {
      socket.write(bytes);
      return;
    }
    const fill = (): void => {
      while (!socket.destroyed && socket.write(bytes));
    };
    socket.on("drain", fill);
    fill();
  }

  #dribble(socket: net.Socket | undefined, bytes: Buffer, step: number, intervalMs: number): void {
    if (socket === undefined || socket.destroyed) return;
    socket.write(bytes.subarray(0, step));
    if (bytes.length > step) this.#later(intervalMs, () => this.#dribble(socket, bytes.subarray(step), step, intervalMs));
  }
}

function edns(query: DnsMessage): Pick<WireResponse, "edns"> {
  return query.edns === undefined ? {} : { edns: { udpPayloadSize: SERVER_UDP_PAYLOAD } };
}

/** `message` with its 2-octet TCP length prefix. */
export function framed(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

/** True when ::1 can be bound here. */
export async function hasIPv6Loopback(): Promise<boolean> {
  const socket = dgram.createSocket("udp6");
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "::1", () => resolve());
    });
    return true;
  } catch {
    return false;
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** Binds UDP and TCP on the same free port for every family (retrying on a port clash). */
async function bindAll(families: Array<4 | 6>, fixedPort: number): Promise<{ listeners: Listener[]; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      const listeners: Listener[] = [];
      let port = fixedPort;
      for (const family of families) {
        const host = family === 4 ? "127.0.0.1" : "::1";
        const udp = dgram.createSocket(family === 4 ? "udp4" : "udp6");
        opened.push({ close: () => new Promise((r) => udp.close(() => r())) });
        await new Promise<void>((resolve, reject) => {
          udp.once("error", reject);
          udp.bind(port, host, () => resolve());
        });
        port = udp.address().port;
        const tcp = net.createServer();
        opened.push({ close: () => new Promise((r) => tcp.close(() => r())) });
        await new Promise<void>((resolve, reject) => {
          tcp.once("error", reject);
          tcp.listen(port, host, () => resolve());
        });
        const stray = dgram.createSocket(family === 4 ? "udp4" : "udp6");
        opened.push({ close: () => new Promise((r) => stray.close(() => r())) });
        await new Promise<void>((resolve, reject) => {
          stray.once("error", reject);
          stray.bind(0, host, () => resolve());
        });
        listeners.push({ family, udp, tcp, stray });
      }
      return { listeners, port };
    } catch (err) {
      await Promise.all(opened.map((o) => o.close().catch(() => undefined)));
      if (fixedPort !== 0 || attempt >= 20 || (err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    }
  }
}
