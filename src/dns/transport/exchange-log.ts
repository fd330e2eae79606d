/**
 * The exchange log of a recorded world: one JSON object per line, one line
 * per DNS exchange, keys sorted, message bytes in base64. Written by the
 * record transport, read by the replay transport.
 *
 * Lines are meant to be read and diffed by people. The random query ID is
 * the one part of the bytes that changes on every re-recording, so the
 * bytes are written with their ID field zeroed and the original ID kept
 * apart in `id` (reading puts it back: the bytes in memory are exact); a
 * changed answer then shows as a changed `response`, not as noise. Each
 * line also carries a one-line `digest` of the response, derived from the
 * bytes and ignored when reading.
 */
import type { Packet } from "dns-packet";
import type { Protocol } from "../question.js";
import { dnsPacket } from "../packet.js";

/** The file name of the exchange log inside a world directory. */
export const EXCHANGE_LOG = "exchanges.jsonl";

/** What every recorded exchange has. */
interface ExchangeHeader {
  /** The question asked, class included. */
  question: { name: string; type: string; class: string };
  /** The server asked, as `address:port` (`[address]:port` for IPv6). */
  server: string;
  protocol: Protocol;
  /** The query exactly as sent, its original ID included. */
  query: Uint8Array;
  /** When the query was sent, ISO 8601; optional in hand-written logs. */
  time?: string;
}

/** An exchange that got a response: the bytes exactly as received. */
export interface AnsweredExchange extends ExchangeHeader {
  response: Uint8Array;
  error?: undefined;
}

/**
 * An exchange that failed: the transport error's errno-like code
 * (`ETIMEDOUT`, `ECONNREFUSED`, ...) and message.
 */
export interface FailedExchange extends ExchangeHeader {
  error: { code: string; message: string };
  response?: undefined;
}

/** One recorded exchange: one line of the log. */
export type RecordedExchange = AnsweredExchange | FailedExchange;

/** One line of the log (without the newline) for an exchange. */
export function formatExchange(exchange: RecordedExchange): string {
  const line: Record<string, unknown> = {
    id: idOf(exchange.query),
    protocol: exchange.protocol,
    query: withoutId(exchange.query),
    question: { class: exchange.question.class, name: exchange.question.name, type: exchange.question.type },
    server: exchange.server,
  };
  if (exchange.time !== undefined) line.time = exchange.time;
  if (exchange.response !== undefined) {
    line.response = withoutId(exchange.response);
    line.digest = digest(exchange.response);
  }
  if (exchange.error !== undefined) line.error = exchange.error;
  return JSON.stringify(sortKeys(line));
}

/**
 * Parses a whole log. `source` names the file in errors. Blank lines are
 * allowed; anything else that is not a well-formed exchange is an error
 * naming the line, because a silently skipped recording would turn into a
 * confusing miss later.
 */
export function parseExchangeLog(text: string, source: string): RecordedExchange[] {
  const exchanges: RecordedExchange[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    try {
      exchanges.push(parseExchange(JSON.parse(line)));
    } catch (err) {
      throw new Error(`${source}:${i + 1}: not a recorded exchange: ${(err as Error).message}`, { cause: err });
    }
  }
  return exchanges;
}

function parseExchange(value: unknown): RecordedExchange {
  const obj = record(value, "line");
  const question = record(obj.question, "question");
  const protocol = text(obj.protocol, "protocol");
  if (protocol !== "udp" && protocol !== "tcp") throw new Error(`protocol must be "udp" or "tcp", not ${JSON.stringify(protocol)}`);
  const header: ExchangeHeader = {
    question: {
      name: text(question.name, "question.name"),
      type: text(question.type, "question.type"),
      class: question.class === undefined ? "IN" : text(question.class, "question.class"),
    },
    server: text(obj.server, "server"),
    protocol,
    query: base64(obj.query, "query"),
  };
  const id = obj.id === undefined ? 0 : obj.id;
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id > 0xffff) throw new Error("id must be an integer from 0 to 65535");
  setId(header.query, id);
  if (obj.time !== undefined) header.time = text(obj.time, "time");
  if ((obj.response === undefined) === (obj.error === undefined)) throw new Error("needs exactly one of response and error");
  if (obj.response !== undefined) return { ...header, response: setId(base64(obj.response, "response"), id) };
  const error = record(obj.error, "error");
  return { ...header, error: { code: text(error.code, "error.code"), message: text(error.message, "error.message") } };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`${what} must be a string`);
  return value;
}

function base64(value: unknown, what: string): Uint8Array {
  const s = text(value, what);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error(`${what} must be base64`);
  return new Uint8Array(Buffer.from(s, "base64"));
}

/** The message's ID field (0 for a message too short to have one). */
function idOf(message: Uint8Array): number {
  return message.length >= 2 ? (message[0]! << 8) | message[1]! : 0;
}

/** Base64 of the message with its ID field zeroed. */
function withoutId(message: Uint8Array): string {
  const copy = Buffer.from(message);
  if (copy.length >= 2) copy.writeUInt16BE(0, 0);
  return copy.toString("base64");
}

/** Writes `id` into the message's ID field, in place; returns the message. */
export function setId(message: Uint8Array, id: number): Uint8Array {
  if (message.length >= 2) {
    message[0] = id >> 8;
    message[1] = id & 0xff;
  }
  return message;
}

/** Objects with their keys in sorted order, recursively, for stable lines. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * A dig-like one-line summary of a response, for people reading the log:
 * `NOERROR aa rd ra; www.example. 300 CNAME example. | example. 300 A 192.0.2.1`.
 */
export function digest(response: Uint8Array): string {
  let packet: Packet;
  try {
    packet = dnsPacket().decode(Buffer.from(response));
  } catch (err) {
    return `unparseable: ${(err as Error).message}`;
  }
  const flags = (["aa", "tc", "rd", "ra", "ad", "cd"] as const).filter((f) => (packet as Record<string, unknown>)[`flag_${f}`] === true);
  const answers = (packet.answers ?? []).map((rr) => {
    const data = "data" in rr && typeof rr.data === "string" ? rr.data : `(${rr.type} data)`;
    return `${rr.name}. ${"ttl" in rr ? rr.ttl : 0} ${rr.type} ${data}`;
  });
  const head = [(packet as { rcode?: string }).rcode ?? "NOERROR", ...flags].join(" ");
  return answers.length === 0 ? head : `${head}; ${answers.join(" | ")}`;
}
