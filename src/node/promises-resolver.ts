/**
 * A resolver shaped like node:dns's `dns.promises.Resolver`, answered by
 * netdb's DNS client: the same methods, results and error objects, so code
 * written for node:dns runs unchanged (and offline, over a replay
 * transport, in tests).
 *
 * Like node:dns, by default it asks for exactly the name given (no search
 * list) and reads the hosts table only in `reverse()`, where c-ares looks
 * first, with c-ares' merging of lines and node:dns's habit of reporting
 * the names after the first (cares-hosts.ts).
 * Two options change that, both off by default:
 *
 * - `search: true`: names go through the search list and ndots, as
 *   glibc's res_search (and so getaddrinfo) treats them.
 * - `hosts: true`: `resolve4`/`resolve6` (and `resolve` for A and AAAA)
 *   answer from the hosts table first, with TTL 0, and `reverse()` reports
 *   every name of the matching lines (canonical names first), as
 *   gethostbyaddr would; `hosts: false` never reads the table.
 *
 * Differences from node:dns: queries go to at most three servers, as
 * glibc's MAXNS; `timeout` is glibc's per-try timeout (the first server's;
 * later servers and rounds follow res_send, not c-ares' backoff); with no
 * `timeout` it is resolv.conf's.
 */
import type { AnyRecord, CaaRecord, MxRecord, NaptrRecord, RecordWithTtl, ResolveOptions, ResolveWithTtlOptions, SoaRecord, SrvRecord } from "node:dns";
import { errnoConstants, isIP } from "../builtins.js";
import { DnsClient } from "../dns/client.js";
import { DnsError, DnsLookupError, InvalidNameError } from "../dns/errors.js";
import type { DnsMessage } from "../dns/message.js";
import { reverseName } from "../dns/reverse.js";
import { effectiveServers } from "../dns/send.js";
import type { HostsTable } from "../files/hosts.js";
import { formatAddress, parseIPv4, parseIPv6, splitScope } from "../inet.js";
import type { ResolverOptions } from "../options.js";
import { Resolver } from "../resolver.js";
import type { Transport } from "../dns/transport/transport.js";
import type { NameServer } from "../dns/server.js";
import type { ResolvConf } from "../files/resolvconf.js";
import { caresReverseNames } from "./cares-hosts.js";
import { dnsException, type NodeDnsError } from "./errors.js";
import { AresStatus, QUERY_SYSCALL, rcodeStatus, readNodeRecords, type NodeRecords, type NodeRecordType } from "./records.js";
import { formatServer, mergeDuplicates, parseServers } from "./servers.js";
import { codedTypeError, invalidArgValue, validateInt32, validateString } from "./validate.js";

/** What a {@link PromisesResolver} uses of a netdb {@link Resolver}. */
export interface ResolverParts {
  /** The configuration in effect (servers, timeout, search list, ...). */
  resolvConf(): ResolvConf;
  /** The hosts table in effect. */
  hosts(): HostsTable;
  /** How queries reach servers (so a cache and merging in it are shared). */
  readonly transport: Transport;
}

/** How a {@link PromisesResolver} is built. */
export interface PromisesResolverOptions {
  /**
   * The netdb Resolver whose configuration, hosts table and transport to
   * use, or the options to build one with. Default: a Resolver of the
   * system's files.
   */
  resolver?: ResolverParts | ResolverOptions;
  /** node:dns's per-try timeout in milliseconds; -1 (default) means resolv.conf's. */
  timeout?: number;
  /** node:dns's number of tries of each server (default 4, as node:dns). */
  tries?: number;
  /** Apply the search list and ndots (default false, as node:dns). */
  search?: boolean;
  /** Read the hosts table (default: only in `reverse()`, as node:dns); see the module comment. */
  hosts?: boolean;
}

/** node:dns's `resolve(hostname, rrtype)` table, for the types netdb answers. */
const RRTYPES: ReadonlySet<string> = new Set(Object.keys(QUERY_SYSCALL));


/** A `dns.promises.Resolver` look-alike; see the module comment. */
export class PromisesResolver {
  readonly #parts: ResolverParts;
  readonly #client: DnsClient;
  readonly #timeout: number;
  readonly #tries: number;
  readonly #search: boolean;
  readonly #hosts: boolean | undefined;
  #servers: NameServer[] | undefined;
  /** setLocalAddress's addresses, by family. */
  #sources: { 4?: string; 6?: string } = {};
  #cancel = new AbortController();

  constructor(options: PromisesResolverOptions = {}) {
    const { timeout = -1, tries = 4 } = { ...options };
    validateInt32(timeout, "options.timeout", -1);
    validateInt32(tries, "options.tries", 1);
    this.#timeout = timeout;
    this.#tries = tries;
    this.#search = options.search ?? false;
    this.#hosts = options.hosts;
    this.#parts = isResolverParts(options.resolver) ? options.resolver : new Resolver(options.resolver);
    this.#client = new DnsClient({ conf: () => this.#conf(), transport: this.#parts.transport });
  }

  /** The servers queries go to, as node:dns prints them (`"127.0.0.1"`, `"[::1]:5353"`). */
  getServers(): string[] {
    return this.#serverList().map(formatServer);
  }

  /** Sets the servers to ask, in node:dns's formats; throws node:dns's errors for bad entries. */
  setServers(servers: readonly string[]): void {
    this.#servers = parseServers(servers);
  }

  /**
   * Sends later queries from these local addresses: one IPv4 and one IPv6
   * address, in either order; a family not given goes back to the
   * system's choice. Throws node:dns's errors for anything else.
   */
  setLocalAddress(ipv4: string, ipv6?: string): void {
    this.#sources = localAddresses(ipv4, ipv6);
  }

  /** Ends every query in flight: they reject with ECANCELLED. */
  cancel(): void {
    const controller = this.#cancel;
    this.#cancel = new AbortController();
    controller.abort(new Error("cancelled"));
  }

  /** `resolve(hostname, rrtype = "A")`: the `resolve*` method of `rrtype`. */
  resolve(hostname: string): Promise<string[]>;
  resolve(hostname: string, rrtype: "A" | "AAAA" | "CNAME" | "NS" | "PTR"): Promise<string[]>;
  resolve(hostname: string, rrtype: "ANY"): Promise<AnyRecord[]>;
  resolve(hostname: string, rrtype: "CAA"): Promise<CaaRecord[]>;
  resolve(hostname: string, rrtype: "NAPTR"): Promise<NaptrRecord[]>;
  resolve(hostname: string, rrtype: "MX"): Promise<MxRecord[]>;
  resolve(hostname: string, rrtype: "SOA"): Promise<SoaRecord>;
  resolve(hostname: string, rrtype: "SRV"): Promise<SrvRecord[]>;
  resolve(hostname: string, rrtype: "TXT"): Promise<string[][]>;
  resolve(hostname: string, rrtype: string): Promise<NodeRecords[NodeRecordType]>;
  resolve(hostname: string, rrtype?: string): Promise<NodeRecords[NodeRecordType]> {
    let type: NodeRecordType = "A";
    if (rrtype !== undefined) {
      validateString(rrtype, "rrtype");
      if (!RRTYPES.has(rrtype)) throw invalidArgValue("rrtype", rrtype);
      type = rrtype as NodeRecordType;
    }
    return this.#query(type, hostname, undefined);
  }

  /** A records: addresses, or `{ address, ttl }` with `{ ttl: true }`. */
  resolve4(hostname: string): Promise<string[]>;
  resolve4(hostname: string, options: ResolveWithTtlOptions): Promise<RecordWithTtl[]>;
  resolve4(hostname: string, options: ResolveOptions): Promise<string[] | RecordWithTtl[]>;
  resolve4(hostname: string, options?: ResolveOptions): Promise<string[] | RecordWithTtl[]> {
    return this.#query("A", hostname, options);
  }

  /** AAAA records: addresses, or `{ address, ttl }` with `{ ttl: true }`. */
  resolve6(hostname: string): Promise<string[]>;
  resolve6(hostname: string, options: ResolveWithTtlOptions): Promise<RecordWithTtl[]>;
  resolve6(hostname: string, options: ResolveOptions): Promise<string[] | RecordWithTtl[]>;
  resolve6(hostname: string, options?: ResolveOptions): Promise<string[] | RecordWithTtl[]> {
    return this.#query("AAAA", hostname, options);
  }

  /** The CNAME target. */
  resolveCname(hostname: string): Promise<string[]> {
    return this.#query("CNAME", hostname, undefined);
  }

  /** MX records as `{ exchange, priority }`. */
  resolveMx(hostname: string): Promise<MxRecord[]> {
    return this.#query("MX", hostname, undefined);
  }

  /** NS names. */
  resolveNs(hostname: string): Promise<string[]> {
    return this.#query("NS", hostname, undefined);
  }

  /** TXT records, each an array of its strings. */
  resolveTxt(hostname: string): Promise<string[][]> {
    return this.#query("TXT", hostname, undefined);
  }

  /** SRV records as `{ name, port, priority, weight }`. */
  resolveSrv(hostname: string): Promise<SrvRecord[]> {
    return this.#query("SRV", hostname, undefined);
  }

  /** PTR names. */
  resolvePtr(hostname: string): Promise<string[]> {
    return this.#query("PTR", hostname, undefined);
  }

  /** The SOA record as `{ nsname, hostmaster, serial, refresh, retry, expire, minttl }`. */
  resolveSoa(hostname: string): Promise<SoaRecord> {
    return this.#query("SOA", hostname, undefined);
  }

  /** CAA records as `{ critical, <tag>: value }`. */
  resolveCaa(hostname: string): Promise<CaaRecord[]> {
    return this.#query("CAA", hostname, undefined);
  }

  /** NAPTR records as `{ flags, service, regexp, replacement, order, preference }`. */
  resolveNaptr(hostname: string): Promise<NaptrRecord[]> {
    return this.#query("NAPTR", hostname, undefined);
  }

  /** An ANY query's records, each with its `type` (`{ address, ttl, type: "A" }`, `{ exchange, priority, type: "MX" }`, ...). */
  resolveAny(hostname: string): Promise<AnyRecord[]> {
    return this.#query("ANY", hostname, undefined);
  }

  /** The names of an IPv4 or IPv6 address: the hosts table, then PTR records (see the module comment). */
  reverse(ip: string): Promise<string[]> {
    validateString(ip, "name");
    const signal = this.#cancel.signal;
    return this.#settle("getHostByAddr", ip, signal, async () => {
      const bytes = reverseAddress(ip);
      const address = formatAddress(bytes);
      if (this.#hosts === true) {
        const names = hostsNames(this.#parts.hosts(), address, bytes.length === 4 ? 4 : 6);
        if (names.length > 0) return names;
      } else if (this.#hosts === undefined) {
        const names = caresReverseNames(this.#parts.hosts(), address);
        if (names !== undefined) return names;
      }
      return readNodeRecords("PTR", await this.#askReverse(reverseName(bytes), signal));
    });
  }

  /**
   * The PTR answer for `reverse()`, asked as c-ares' gethostbyaddr asks it:
   * the name as is (never the search list), and any failure to get records
   * back (NXDOMAIN, an empty answer, SERVFAIL, no server) is ENOTFOUND;
   * only an answer without PTR records among others is ENODATA.
   */
  async #askReverse(name: string, signal: AbortSignal): Promise<DnsMessage> {
    if (this.#servers?.length === 0) throw new AresStatus("ENOTFOUND");
    let message: DnsMessage;
    try {
      message = (await this.#client.send({ name, type: "PTR", class: "IN" }, { signal })).message;
    } catch (err) {
      if (signal.aborted || aresCode(err) === undefined) throw err;
      throw new AresStatus("ENOTFOUND");
    }
    if (rcodeStatus(message.rcode) !== undefined || message.answers.length === 0) throw new AresStatus("ENOTFOUND");
    return message;
  }

  #query<T extends NodeRecordType>(type: T, hostname: string, options: ResolveOptions | undefined): Promise<NodeRecords[T]> {
    validateString(hostname, "name");
    const ttl = Boolean(options?.ttl);
    const signal = this.#cancel.signal;
    return this.#settle(QUERY_SYSCALL[type], hostname, signal, async () => {
      if (this.#hosts === true && (type === "A" || type === "AAAA")) {
        const family = type === "A" ? 4 : 6;
        const addresses = this.#parts.hosts().byName(hostname).filter((e) => e.family === family).map((e) => e.address);
        if (addresses.length > 0) return (ttl ? addresses.map((address) => ({ address, ttl: 0 })) : addresses) as NodeRecords[T];
      }
      return readNodeRecords(type, await this.#ask(hostname, type, signal), ttl);
    });
  }

  /** The answer to one question: res_send on the name as given, or res_search with `search`. */
  async #ask(name: string, type: string, signal: AbortSignal): Promise<DnsMessage> {
    // After setServers([]) c-ares has no server (ARES_ENOSERVER), a status node:dns has no name for.
    if (this.#servers?.length === 0) throw new AresStatus("UNKNOWN_ARES_ERROR");
    if (this.#search) return (await this.#client.search(name, [type], { signal })).results[0]!.message;
    return (await this.#client.send({ name, type, class: "IN" }, { signal })).message;
  }

  /** Runs `body`; a failure becomes node:dns's error for `syscall` and `hostname`. */
  async #settle<T>(syscall: string, hostname: string, signal: AbortSignal, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      if (isNodeDnsError(err)) throw err;
      const code = signal.aborted ? "ECANCELLED" : aresCode(err);
      if (code === undefined) throw err;
      throw dnsException(code, syscall, hostname);
    }
  }

  #conf(): ResolvConf {
    const base = this.#parts.resolvConf();
    const conf: ResolvConf = { ...base, attempts: this.#tries, nameservers: this.#sendingServers(base) };
    if (this.#timeout !== -1) conf.timeout = this.#timeout;
    return conf;
  }

  #serverList(base: ResolvConf = this.#parts.resolvConf()): NameServer[] {
    return this.#servers ?? mergeDuplicates(effectiveServers(base));
  }

  /** The servers queries go to, each with the local address set for its family. */
  #sendingServers(base: ResolvConf): NameServer[] {
    const servers = this.#serverList(base);
    if (this.#sources[4] === undefined && this.#sources[6] === undefined) return servers;
    return servers.map((server) => {
      const source = this.#sources[server.family];
      return source === undefined ? server : { ...server, source };
    });
  }
}

/** The octets of the address `reverse(ip)` asks about; node:dns's `getHostByAddr EINVAL` for text that is none. */
export function reverseAddress(ip: string): Uint8Array {
  const bytes = parseIPv4(ip) ?? parseIPv6(splitScope(ip).address);
  if (bytes === null) // libuv's UV_EINVAL, what getHostByAddr rejects with for text that is no address.
    throw dnsException(-errnoConstants().EINVAL, "getHostByAddr", ip);
  return bytes;
}

/** setLocalAddress's checks (lib/internal/dns/utils.js, then cares_wrap.cc's SetLocalAddress): the addresses by family. */
function localAddresses(ipv4: unknown, ipv6: unknown): { 4?: string; 6?: string } {
  validateString(ipv4, "ipv4");
  if (ipv6 !== undefined) validateString(ipv6, "ipv6");
  const first = isIP(ipv4) as 0 | 4 | 6;
  if (first === 0) throw codedTypeError("ERR_INVALID_ARG_VALUE", "Invalid IP address.");
  const sources: { 4?: string; 6?: string } = { [first]: ipv4 };
  if (ipv6 === undefined) return sources;
  const second = isIP(ipv6) as 0 | 4 | 6;
  if (second === 0) throw codedTypeError("ERR_INVALID_ARG_VALUE", "Invalid IP address.");
  if (second === first) throw codedTypeError("ERR_INVALID_ARG_VALUE", `Cannot specify two IPv${first} addresses.`);
  sources[second] = ipv6;
  return sources;
}

function isResolverParts(value: ResolverParts | ResolverOptions | undefined): value is ResolverParts {
  return typeof (value as Partial<ResolverParts> | undefined)?.resolvConf === "function";
}

function isNodeDnsError(err: unknown): err is NodeDnsError {
  return err instanceof Error && typeof (err as Partial<NodeDnsError>).syscall === "string";
}

/**
 * The c-ares status node:dns would report for a failure of netdb's DNS
 * client, or undefined for errors that are not lookup failures (they
 * propagate as they are, like a replay transport's missing recording).
 */
function aresCode(err: unknown): string | undefined {
  if (err instanceof AresStatus) return err.code;
  if (err instanceof InvalidNameError) return "EBADNAME";
  if (err instanceof DnsError) return sendFailureCode(err.lastRcode, err.errno, err.failures);
  if (err instanceof DnsLookupError) {
    switch (err.status) {
      case "HOST_NOT_FOUND":
        return "ENOTFOUND";
      case "NO_DATA":
        return "ENODATA";
      case "NO_RECOVERY":
        if (err.servers.length === 0) return "EBADNAME";
        return rcodeStatus(err.rcode ?? "") ?? "EBADRESP";
      case "TRY_AGAIN":
        return sendFailureCode(err.rcode, err.errno, []);
    }
  }
  return undefined;
}

/** No server gave a usable answer: the last RCODE seen, else what became of the packets. */
function sendFailureCode(rcode: string | undefined, errno: string | undefined, failures: readonly string[]): string {
  const fromRcode = rcode === undefined ? undefined : rcodeStatus(rcode);
  if (fromRcode !== undefined) return fromRcode;
  if (failures.at(-1)?.includes("malformed DNS message") === true) return "EBADRESP";
  return errno === "ETIMEDOUT" ? "ETIMEOUT" : "ECONNREFUSED";
}

/** Every name of the hosts lines for exactly this address, canonical names first, each once. */
function hostsNames(hosts: HostsTable, address: string, family: 4 | 6): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const entry of hosts.byAddress(address)) {
    if (entry.family !== family || entry.address !== address) continue;
    for (const name of [entry.canonical, ...entry.aliases]) {
      const key = name.toLowerCase();
      if (name === "" || seen.has(key)) continue;
      seen.add(key);
      names.push(name);
    }
  }
  return names;
}
