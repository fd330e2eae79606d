/**
 * The fuzz targets run by fuzz-runner.ts. A target turns
 * (seed, case number) into an input, runs it, checks what came back, and
 * returns a word for how the case ended; it throws only for a bug (an
 * undocumented exception or a malformed result).
 */
import net from "node:net";
import { encodeQuery } from "../../src/dns/message.js";
import { formatExchange, parseExchangeLog } from "../../src/dns/transport/exchange-log.js";
import { parseHostname } from "../../src/files/hostname.js";
import { parseHosts } from "../../src/files/hosts.js";
import { parseNsswitch } from "../../src/files/nsswitch.js";
import { parseProtocols } from "../../src/files/protocols.js";
import { parseResolvConf } from "../../src/files/resolvconf.js";
import { parseServices } from "../../src/files/services.js";
import { parseGaiConf } from "../../src/files/gaiconf.js";
import { parseHostConf } from "../../src/files/hostconf.js";
import { etcText, type EtcKind } from "./etc-texts.js";
import { exerciseApi } from "./api-check.js";
import { exerciseClient } from "./client-check.js";
import { exerciseResponse } from "./response-check.js";
import { Random } from "./random.js";
import { responseCase } from "./responses.js";

/**
 * How a case ended, and how many faults it injected (mutations, damaged
 * characters, network errors, hostile arguments) when it counts them.
 */
export type FuzzOutcome = string | { outcome: string; faults: number };

/** Synchronous targets return; asynchronous ones must also settle (the runner times them). */
export type FuzzTarget = (seed: number, index: number) => FuzzOutcome | Promise<FuzzOutcome>;

function expect(ok: boolean, what: string, text: string): void {
  if (!ok) throw new Error(`${what}\n  input ${JSON.stringify(text.length > 2000 ? text.slice(0, 2000) + "…" : text)}`);
}

/** Runs a parser target: the input text is attached to whatever it throws. */
function etcTarget(kind: EtcKind, check: (text: string, probe: string) => string): FuzzTarget {
  return (seed, index) => {
    const { text, r, damage } = etcText(kind, seed, index);
    const probe = r.pick(["localhost", "www", "http", "tcp", "", "\0", "x".repeat(300), text.slice(0, 20)]);
    try {
      return { outcome: check(text, probe), faults: damage };
    } catch (err) {
      if ((err as Error).message.includes("\n  input ")) throw err;
      throw new Error(`${kind} parser threw ${(err as Error).stack ?? String(err)}\n  input ${JSON.stringify(text.slice(0, 2000))}`, { cause: err });
    }
  };
}

const isUint16 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff;

/** The targets of the /etc parsers, which `etc` runs in turn. */
const ETC_TARGETS = ["hosts", "services", "protocols", "resolvconf", "nsswitch", "hostname", "gaiconf", "hostconf"];

export const FUZZ_TARGETS: Record<string, FuzzTarget> = {
  responses: (seed, index) => {
    const c = responseCase(seed, index);
    return { outcome: exerciseResponse(c), faults: c.mutations.length };
  },
  client: exerciseClient,
  api: exerciseApi,

  hosts: etcTarget("hosts", (text, probe) => {
    const table = parseHosts(text);
    for (const e of table.entries) {
      expect(net.isIP(e.address) === e.family, `hosts entry with address ${e.address} and family ${e.family}`, text);
      expect(typeof e.canonical === "string" && Array.isArray(e.aliases), "hosts entry without names", text);
    }
    const first = table.entries[0];
    table.byName(probe);
    table.byAddress(probe);
    if (first !== undefined) {
      expect(table.byName(first.canonical).includes(first), "the first entry is not found by its own name", text);
      expect(table.byAddress(first.address).length > 0, "the first entry is not found by its own address", text);
    }
    return table.entries.length > 0 ? "entries" : "empty";
  }),

  services: etcTarget("services", (text, probe) => {
    const table = parseServices(text);
    for (const e of table.entries) expect(isUint16(e.port) && typeof e.proto === "string", `service ${e.name} with port ${e.port}`, text);
    table.byName(probe);
    table.byName(probe, "tcp");
    table.byPort(80);
    table.byPort(80, probe);
    return table.entries.length > 0 ? "entries" : "empty";
  }),

  protocols: etcTarget("protocols", (text, probe) => {
    const table = parseProtocols(text);
    for (const e of table.entries) expect(Number.isInteger(e.number) && e.number >= -(2 ** 31) && e.number < 2 ** 31, `protocol ${e.name} numbered ${e.number}`, text);
    table.byName(probe);
    table.byNumber(6);
    return table.entries.length > 0 ? "entries" : "empty";
  }),

  resolvconf: etcTarget("resolv.conf", (text, probe) => {
    const conf = parseResolvConf(text, { RES_OPTIONS: probe, LOCALDOMAIN: probe }, probe);
    expect(conf.nameservers.length <= 3, `${conf.nameservers.length} nameservers`, text);
    for (const ns of conf.nameservers) expect(net.isIP(ns.address) === ns.family && isUint16(ns.port), `nameserver ${JSON.stringify(ns)}`, text);
    expect(Number.isInteger(conf.ndots) && conf.ndots >= 0 && conf.ndots <= 15, `ndots ${conf.ndots}`, text);
    expect(Number.isFinite(conf.timeout) && Number.isFinite(conf.attempts), `timeout ${conf.timeout}, attempts ${conf.attempts}`, text);
    expect(conf.search.every((d) => typeof d === "string"), "search domains", text);
    return conf.nameservers.length > 0 ? "nameservers" : "no-nameservers";
  }),

  nsswitch: etcTarget("nsswitch.conf", (text) => {
    const conf = parseNsswitch(text);
    return conf.error !== undefined ? "rejected" : conf.hosts.length > 0 ? "sources" : "no-sources";
  }),

  hostname: etcTarget("hostname", (text) => {
    const name = parseHostname(text);
    expect(name === undefined || (name.length > 0 && !/[ \t\n\v\f\r]/.test(name)), `hostname ${JSON.stringify(name)}`, text);
    return name === undefined ? "none" : "name";
  }),

  gaiconf: etcTarget("gai.conf", (text) => {
    const policy = parseGaiConf(text);
    for (const p of [...policy.labels, ...policy.precedence]) expect(p.prefix.length === 16 && p.bits >= 0 && p.bits <= 128, `prefix policy /${p.bits}`, text);
    return policy.labels.length > 0 ? "tables" : "empty";
  }),

  hostconf: etcTarget("host.conf", (text, probe) => {
    const conf = parseHostConf(text, { RESOLV_MULTI: probe, RESOLV_REORDER: probe, RESOLV_ADD_TRIM_DOMAINS: probe });
    expect(typeof conf.multi === "boolean" && typeof conf.reorder === "boolean" && Array.isArray(conf.trimDomains), `host.conf ${JSON.stringify(conf)}`, text);
    return conf.multi ? "multi" : "single";
  }),

  /** Every /etc parser in turn: case i goes to the (i mod 8)-th. */
  etc: (seed, index) => {
    const kind = ETC_TARGETS[index % ETC_TARGETS.length]!;
    const { outcome, faults } = FUZZ_TARGETS[kind]!(seed, index) as { outcome: string; faults: number };
    return { outcome: `${kind}:${outcome}`, faults };
  },

  /** The fixture log format: well-formed exchanges, or an error naming the line. */
  exchangelog: (seed, index) => {
    const r = Random.forCase(seed, index);
    const lines = Array.from({ length: r.between(1, 4) }, (_, k) => {
      const c = responseCase(seed, index * 4 + k);
      const question = { name: c.question.name, type: c.question.type, class: "IN" };
      const query = encodeQuery(question, { id: c.id, edns0: r.chance(0.5) });
      return formatExchange(
        r.chance(0.8)
          ? { question, server: "127.0.0.1:53", protocol: "udp", query, response: c.bytes }
          : { question, server: "[::1]:53", protocol: "tcp", query, error: { code: "ETIMEDOUT", message: "timed out" } },
      );
    });
    const damage = r.pick([0, 0, 1, 3]);
    for (let n = damage; n > 0; n--) {
      const i = r.int(lines.length);
      const at = r.int(lines[i]!.length + 1);
      lines[i] = lines[i]!.slice(0, at) + r.pick(["", "\0", "}", '"', "x", "[", "0"]) + lines[i]!.slice(at + r.int(3));
    }
    const text = lines.join("\n");
    try {
      parseExchangeLog(text, "fuzz.jsonl");
      return { outcome: "parsed", faults: damage };
    } catch (err) {
      expect(err instanceof Error && err.message.startsWith("fuzz.jsonl:"), `parseExchangeLog threw ${(err as Error).stack ?? String(err)}`, text);
      return { outcome: "rejected", faults: damage };
    }
  },
};
