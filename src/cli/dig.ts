/**
 * `netdb query`'s output: a response in BIND 9.18 dig's layout (bin/dig's
 * printmessage and lib/dns/masterdump.c's columns), or dig's `+short`
 * lines. Pure functions from a {@link QueryResult} to lines.
 *
 * Columns follow dig's one-line style: owner, TTL, class, type and RDATA
 * start at columns 0, 24, 32, 40 and 48 (tab stops every 8), reached with
 * tabs, or with one space when a field already runs past its column.
 */
import type { QueryResult } from "../dns/client.js";
import type { DnsMessage, ResourceRecord } from "../dns/message.js";
import { absoluteName, rdataText } from "../dns/present.js";
import { rcodeName } from "../dns/rrtypes.js";
import { serverHost } from "../dns/server.js";
import type { TraceEvent } from "../trace.js";

const TTL_COLUMN = 24;
const CLASS_COLUMN = 32;
const TYPE_COLUMN = 40;
const RDATA_COLUMN = 48;

/** What dig prints before the first response: the banner and global options. */
export function digBanner(version: string, args: readonly string[], serversGiven: number): string[] {
  return [
    "",
    `; <<>> netdb ${version} <<>> ${args.join(" ")}`,
    ...(serversGiven === 0 ? [] : [`; (${serversGiven} server${serversGiven === 1 ? "" : "s"} found)`]),
    ";; global options: +cmd",
  ];
}

/**
 * What dig says along the way, from the trace of the exchanges: each one
 * that failed (`;; communications error to 127.0.0.1#53: connection
 * refused`) and each truncated UDP answer that sends the query to TCP.
 */
export function digNotices(events: readonly TraceEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.kind === "error") return [`;; communications error to ${digServer(e.server)}: ${COMMUNICATION_ERRORS[e.error.split(":")[0]!] ?? e.error}`];
    if (e.kind === "response" && e.truncated && e.protocol === "udp") return [";; Truncated, retrying in TCP mode."];
    return [];
  });
}

const COMMUNICATION_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ETIMEDOUT: "timed out",
  ECONNRESET: "connection reset",
  EOF: "end of file",
};

/** `127.0.0.1:53` or `[::1]:53` as dig writes a server: `127.0.0.1#53`, `::1#53`. */
function digServer(label: string): string {
  const at = label.lastIndexOf(":");
  return `${label.slice(0, at).replace(/^\[(.*)\]$/, "$1")}#${label.slice(at + 1)}`;
}

/** One response as dig prints it, from ";; Got answer:" to the blank line after "MSG SIZE". */
export function digResponse(result: QueryResult, when: Date): string[] {
  const m = result.message;
  const lines = [";; Got answer:", ...headerLines(m), ""];
  if (m.edns !== undefined) lines.push(";; OPT PSEUDOSECTION:", ...ednsLines(m));
  lines.push(";; QUESTION SECTION:", ...m.questions.map((q) => questionLine(q.name, q.class, q.type)), "");
  const sections: [string, ResourceRecord[]][] = [["ANSWER", m.answers], ["AUTHORITY", m.authorities], ["ADDITIONAL", m.additionals]];
  for (const [title, records] of sections) {
    if (records.length > 0) lines.push(`;; ${title} SECTION:`, ...records.map((rr) => recordLine(m, rr)), "");
  }
  const server = result.server;
  lines.push(
    `;; Query time: ${Math.round(result.rtt)} msec`,
    `;; SERVER: ${serverHost(server)}#${server.port}(${serverHost(server)}) (${result.protocol.toUpperCase()})`,
    `;; WHEN: ${digDate(when)}`,
    `;; MSG SIZE  rcvd: ${m.bytes.length}`,
    "",
  );
  return lines;
}

/** dig +short: the RDATA of each answer record. */
export function digShort(result: QueryResult): string[] {
  return result.message.answers.map((rr) => rdataText(result.message, rr));
}

/** A record as a master-file line in dig's columns. */
export function recordLine(message: DnsMessage, rr: ResourceRecord): string {
  let line = absoluteName(rr.name);
  line = toColumn(line, TTL_COLUMN) + String(rr.ttl);
  line = toColumn(line, CLASS_COLUMN) + rr.class;
  line = toColumn(line, TYPE_COLUMN) + rr.type;
  return toColumn(line, RDATA_COLUMN) + rdataText(message, rr);
}

/** A question as dig prints it: `;` and the name (the `;` not counted in the columns), class, type. */
function questionLine(name: string, klass: string, type: string): string {
  let line = absoluteName(name);
  line = toColumn(line, CLASS_COLUMN) + klass;
  return `;${toColumn(line, TYPE_COLUMN) + type}`;
}

/** masterdump.c's indent(): tabs to `column`, or one space when the text already reaches it. */
function toColumn(text: string, column: number): string {
  const current = columnAfter(text);
  const to = Math.max(column, current + 1);
  const tabs = Math.floor(to / 8) - Math.floor(current / 8);
  return tabs > 0 ? text + "\t".repeat(tabs) + " ".repeat(to % 8) : text + " ".repeat(to - current);
}

/** The column `text` ends at, a tab moving on to the next multiple of 8. */
function columnAfter(text: string): number {
  let column = 0;
  for (const c of text) column = c === "\t" ? (Math.floor(column / 8) + 1) * 8 : column + 1;
  return column;
}

const OPCODES = ["QUERY", "IQUERY", "STATUS", "RESERVED3", "NOTIFY", "UPDATE"];
/** Extended RCODEs dig names (RFC 6891, RFC 7873). */
const EXTENDED_RCODES: Readonly<Record<number, string>> = { 16: "BADVERS", 23: "BADCOOKIE" };

function headerLines(m: DnsMessage): string[] {
  const view = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  const counts = [4, 6, 8, 10].map((at) => view.readUInt16BE(at));
  const flags = (["qr", "aa", "tc", "rd", "ra", "ad", "cd"] as const).filter((flag) => m[flag]);
  const rcode = ((m.edns?.extendedRcode ?? 0) << 4) | (view.readUInt16BE(2) & 0xf);
  const status = EXTENDED_RCODES[rcode] ?? (rcode < 11 ? rcodeName(rcode) : `RESERVED${rcode}`);
  const lines = [
    `;; ->>HEADER<<- opcode: ${OPCODES[m.opcode] ?? `RESERVED${m.opcode}`}, status: ${status}, id: ${m.id}`,
    `;; flags:${flags.map((f) => ` ${f}`).join("")}; QUERY: ${counts[0]}, ANSWER: ${counts[1]}, AUTHORITY: ${counts[2]}, ADDITIONAL: ${counts[3]}`,
  ];
  if (m.rd && !m.ra) lines.push(";; WARNING: recursion requested but not available");
  return lines;
}

/** RFC 8914's extended DNS error codes, as dig names them. */
const EDE_NAMES = [
  "Other", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer", "Forged Answer",
  "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired", "Signature Not Yet Valid", "DNSKEY Missing",
  "RRSIGs Missing", "No Zone Key Bit Set", "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored",
  "Filtered", "Prohibited", "Stale NXDOMAIN Answer", "Not Authoritative", "Not Supported",
  "No Reachable Authority", "Network Error", "Invalid Data",
];

/** The OPT pseudosection's lines after its title: version, flags, payload size, then one line per option. */
function ednsLines(m: DnsMessage): string[] {
  const edns = m.edns!;
  const mbz = edns.flags & 0x7fff;
  const lines = [
    `; EDNS: version: ${edns.version}, flags:${(edns.flags & 0x8000) !== 0 ? " do" : ""};${mbz === 0 ? "" : ` MBZ: 0x${mbz.toString(16).padStart(4, "0")},`} udp: ${edns.udpPayloadSize}`,
  ];
  const options = Buffer.from(edns.options.buffer, edns.options.byteOffset, edns.options.byteLength);
  for (let at = 0; at + 4 <= options.length; ) {
    const code = options.readUInt16BE(at);
    const value = options.subarray(at + 4, at + 4 + options.readUInt16BE(at + 2));
    lines.push(optionLine(code, value));
    at += 4 + value.length;
  }
  return lines;
}

function optionLine(code: number, value: Buffer): string {
  if (code === 15 && value.length >= 2) {
    const info = value.readUInt16BE(0);
    const text = value.length > 2 ? `: (${value.subarray(2).toString("latin1")})` : "";
    return `; EDE: ${info}${EDE_NAMES[info] === undefined ? "" : ` (${EDE_NAMES[info]})`}${text}`;
  }
  if (code === 10) return `; COOKIE: ${value.toString("hex")}`;
  const name = code === 3 ? "NSID" : `OPT=${code}`;
  const printable = value.toString("latin1").replace(/[^\x20-\x7e]/g, ".");
  return `; ${name}: ${[...value].map((b) => b.toString(16).padStart(2, "0")).join(" ")} ("${printable}")`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** dig's WHEN line, `Wed Dec 02 14:05:41 UTC 2026`, in UTC. */
function digDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}
