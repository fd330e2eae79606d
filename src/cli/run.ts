/**
 * Runs one `netdb` command line: builds the resolver the options describe
 * (live, replaying a world, or recording one), performs the lookups, and
 * writes getent-style, Python-style or dig-style text, or JSON. Returns
 * the exit status: 0 all found, 2 a key not found or a lookup failed, 1 a
 * wrong command line or a lookup netdb could not run at all; `query`
 * exits as dig does (query.ts).
 */
import { AF_INET, AF_INET6, AF_UNSPEC, AI_ADDRCONFIG, AI_CANONNAME, AI_V4MAPPED } from "../constants.js";
import { DnsClient } from "../dns/client.js";
import { SocketError } from "../errors.js";
import { inet4Address } from "../files/hosts.js";
import { EtcTables } from "../files/source.js";
import { isAscii } from "../lookup/idna.js";
import type { ResolverOptions } from "../options.js";
import { Resolver } from "../resolver.js";
import type { TraceEvent } from "../trace.js";
import { openWorld, recordWorld, type WorldRecording } from "../world.js";
import { ADDRINFO_FLAGS, isGetentCommand, NAMEINFO_FLAGS, parseArgs, UsageError, type CommonOptions, type FunctionCommand, type GetentCommand, type Invocation } from "./args.js";
import { digBanner, digNotices, digResponse, digShort } from "./dig.js";
import { ahostsLine, hostsLine, networksLine, protocolsLine, readHostsKey, readNetworksKey, readProtocolsKey, readServicesKey, servicesLine } from "./getent.js";
import { commandHelp, generalHelp } from "./help.js";
import { addrinfoLines, constantNames, hostBlock, jsonError, type AddrInfoTuple } from "./output.js";
import { pyStr, pyTuple } from "./pyrepr.js";
import { checkRecordDir, checkRootDir } from "./paths.js";
import { askType, badNameText, EXIT_STATUS, FirstReplies, outcomeJson } from "./query.js";
import type { QuerySpec } from "./query-args.js";
import { configJson, configLines, formatRtt, jsonEvent, traceLine, type TracedConfig } from "./trace.js";
import { netdbVersion } from "./version.js";

/** Where the command writes. */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

type Run = Extract<Invocation, { kind: "run" }>;

/** Runs `argv` (without node and the script name); resolves the exit status. */
export async function runCli(argv: readonly string[], out: CliOutput): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out.stderr(`netdb: ${err.message} (see netdb --help)\n`);
    return err.status;
  }
  if (invocation.kind === "help") {
    out.stdout(invocation.command === undefined ? generalHelp() : commandHelp(invocation.command));
    return 0;
  }
  if (invocation.kind === "version") {
    out.stdout(`netdb ${netdbVersion()}\n`);
    return 0;
  }
  let session: Session;
  try {
    session = new Session(invocation, out, argv);
  } catch (err) {
    out.stderr(`netdb: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    return await session.run();
  } catch (err) {
    // Not a lookup result: a world with no recording for a query, a broken
    // world, a bug. Say what it was rather than pretend a key was not found.
    out.stderr(`netdb: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await session.close();
  }
}

/** The hints getent's ahosts commands pass to getaddrinfo (AI_V4MAPPED only matters for ahostsv6). */
const AHOSTS_FAMILY: Readonly<Record<string, number>> = { ahosts: AF_UNSPEC, ahostsv4: AF_INET, ahostsv6: AF_INET6 };
const AHOSTS_FLAGS = AI_V4MAPPED | AI_ADDRCONFIG | AI_CANONNAME;

/** One key's lines (text) and entries (JSON). */
interface KeyResult {
  found: boolean;
  lines: string[];
  entries: unknown[];
  error?: unknown;
}

/** One command line being run: its resolver, tables, output and trace. */
class Session {
  readonly #run: Run;
  readonly #options: CommonOptions;
  readonly #out: CliOutput;
  readonly #resolver: Resolver;
  readonly #tables: EtcTables;
  readonly #recording: WorldRecording | undefined;
  /** The trace events of the lookup under way. */
  readonly #events: TraceEvent[] = [];

  readonly #argv: readonly string[];

  constructor(run: Run, out: CliOutput, argv: readonly string[]) {
    this.#run = run;
    this.#options = run.options;
    this.#out = out;
    this.#argv = argv;
    const options = this.#options;
    if (options.root !== undefined) checkRootDir(options.root);
    if (options.record !== undefined) checkRecordDir(options.record);
    const resolverOptions: ResolverOptions = {};
    if (options.world !== undefined) {
      Object.assign(resolverOptions, openWorld(options.world));
    } else if (options.record !== undefined) {
      this.#recording = recordWorld(options.record, { root: options.root ?? "/", append: true });
      const { root, hostname, transport, network } = this.#recording;
      Object.assign(resolverOptions, { root, hostname, transport, network });
    }
    if (options.root !== undefined) resolverOptions.root = options.root;
    if (options.servers.length > 0) resolverOptions.nameservers = options.servers;
    if (options.timeout !== undefined) resolverOptions.timeout = options.timeout;
    if (options.tcp) resolverOptions.useTcp = true;
    if (options.trace) resolverOptions.tracer = (event) => this.#events.push(event);
    this.#resolver = new Resolver(resolverOptions);
    this.#tables = new EtcTables({ root: resolverOptions.root ?? "/", ...(resolverOptions.env === undefined ? {} : { env: resolverOptions.env }) });
  }

  async run(): Promise<number> {
    const { command, operands } = this.#run;
    if (this.#options.trace && !this.#options.json) this.#print(configLines(this.#config()));
    if (command === "query") return this.#query(this.#run.query!);
    return isGetentCommand(command) ? this.#getent(command, operands) : this.#call(command, operands);
  }

  #config(): TracedConfig {
    return { sources: this.#tables.nsswitch().hosts, conf: this.#resolver.resolvConf() };
  }

  /** netdb query: one res_send per type, printed as dig prints it (or +short, or JSON). */
  async #query(spec: QuerySpec): Promise<number> {
    const { json, trace } = this.#options;
    // Always collected: dig prints its communication errors and TCP retries, trace or not.
    const tracer = (event: TraceEvent) => this.#events.push(event);
    const replies = new FirstReplies(this.#resolver.transport);
    const client = new DnsClient({ conf: () => this.#resolver.resolvConf(), transport: replies, tracer });
    let banner = json || spec.short ? [] : digBanner(netdbVersion(), this.#argv, this.#options.servers.length);
    let status = 0;
    const results: unknown[] = [];
    for (const type of spec.types) {
      const outcome = await askType(client, replies, this.#resolver.resolvConf(), spec, type, {}, tracer);
      const events = this.#events.splice(0);
      status = Math.max(status, EXIT_STATUS[outcome.kind]);
      if (json) {
        results.push({ ...outcomeJson(outcome), ...this.#traceField(events) });
        continue;
      }
      this.#print(trace ? this.#traceLines(events) : digNotices(events));
      this.#print(banner);
      banner = [];
      if (outcome.kind === "answer") this.#print(spec.short ? digShort(outcome.result) : digResponse(outcome.result, new Date()));
      else if (outcome.kind === "noreply") this.#print([";; no servers could be reached"]);
      else this.#out.stderr(`netdb: ${badNameText(outcome.error)}\n`);
    }
    if (json) this.#print([JSON.stringify({ command: "query", name: spec.name, class: spec.qclass, ...this.#configField(), results })]);
    return status;
  }

  async close(): Promise<void> {
    await this.#resolver.close();
    await this.#recording?.finish();
  }

  /** A getent-style command: each key in turn, or the whole table without keys. */
  async #getent(command: GetentCommand, keys: string[]): Promise<number> {
    if (keys.length === 0) {
      const { lines, entries } = this.#enumerate(command);
      this.#print(this.#options.json ? [JSON.stringify({ command, entries })] : lines);
      return 0;
    }
    let status = 0;
    const results: unknown[] = [];
    for (const key of keys) {
      const result = await this.#lookupKey(command, key);
      const events = this.#events.splice(0);
      if (!result.found) status = 2;
      if (this.#options.json) {
        results.push({ key, found: result.found, entries: result.entries, ...errorField(result.error), ...this.#traceField(events) });
      } else {
        this.#print([...this.#traceLines(events), ...result.lines]);
      }
    }
    if (this.#options.json) this.#print([JSON.stringify({ command, ...this.#configField(), results })]);
    return status;
  }

  /** A Python function: its result in Python's shapes, or its error. */
  async #call(command: FunctionCommand, operands: string[]): Promise<number> {
    let outcome: { result: { lines: string[]; json: unknown } } | { error: SocketError };
    try {
      outcome = { result: await this.#callFunction(command, operands) };
    } catch (err) {
      if (!(err instanceof SocketError)) throw err;
      outcome = { error: err };
    }
    const events = this.#events.splice(0);
    if (this.#options.json) {
      const body = "error" in outcome ? { error: jsonError(outcome.error) } : { result: outcome.result.json };
      this.#print([JSON.stringify({ command, args: operands, ...this.#configField(), ...body, ...this.#traceField(events) })]);
    } else {
      this.#print(this.#traceLines(events));
      if ("error" in outcome) this.#out.stderr(`netdb: ${command}: ${outcome.error.message}\n`);
      else this.#print(outcome.result.lines);
    }
    return "error" in outcome ? 2 : 0;
  }

  async #callFunction(command: FunctionCommand, operands: string[]): Promise<{ lines: string[]; json: unknown }> {
    const resolver = this.#resolver;
    const [first = "", second] = operands;
    switch (command) {
      case "hostbyname": {
        const address = await this.#step(`gethostbyname(${pyStr(first)})`, () => resolver.gethostbyname(first), pyStr);
        return { lines: [address], json: address };
      }
      case "hostbyname_ex": {
        const entry = await this.#step(`gethostbyname_ex(${pyStr(first)})`, () => resolver.gethostbyname_ex(first), describeHost);
        return { lines: hostBlock(entry), json: entry };
      }
      case "hostbyaddr": {
        const entry = await this.#step(`gethostbyaddr(${pyStr(first)})`, () => resolver.gethostbyaddr(first), describeHost);
        return { lines: hostBlock(entry), json: entry };
      }
      case "fqdn": {
        const name = operands.length === 0 ? undefined : first;
        const fqdn = await this.#step(`getfqdn(${name === undefined ? "" : pyStr(name)})`, () => resolver.getfqdn(name), pyStr);
        return { lines: [fqdn], json: fqdn };
      }
      case "addrinfo": {
        const { family: f, type = 0, flags } = this.#run;
        const family = f === 4 ? AF_INET : f === 6 ? AF_INET6 : AF_UNSPEC;
        const host = first === "" ? null : first;
        const port = second ?? null;
        const tuples = (await this.#step(addrinfoCall(host, port, family, type, flags), () => resolver.getaddrinfo(host, port, family, type, 0, flags), describeTuples)) as AddrInfoTuple[];
        return { lines: addrinfoLines(tuples), json: tuples };
      }
      case "nameinfo": {
        const port = second === undefined ? 0 : Number(second);
        const sockaddr: [string, number] | [string, number, number, number] = first.includes(":") ? [first, port, 0, 0] : [first, port];
        const call = `getnameinfo(${pyTuple(sockaddr)}, ${flagNames(this.#run.flags, NAMEINFO_FLAGS, "NI_")})`;
        const [host, service] = await this.#step(call, () => resolver.getnameinfo(sockaddr, this.#run.flags), pyTuple);
        return { lines: [`${host} ${service}`], json: [host, service] };
      }
    }
  }

  async #lookupKey(command: GetentCommand, key: string): Promise<KeyResult> {
    switch (command) {
      case "hosts":
        return this.#hostsKey(key);
      case "ahosts":
      case "ahostsv4":
      case "ahostsv6":
        return this.#ahostsKey(key, AHOSTS_FAMILY[command]!);
      case "services": {
        const k = readServicesKey(key);
        const services = this.#tables.services();
        const entry = "port" in k ? services.byPort(k.port, k.proto) : services.byName(k.name, k.proto);
        return entry === undefined ? notFound() : { found: true, lines: [servicesLine(entry)], entries: [entry] };
      }
      case "protocols": {
        const k = readProtocolsKey(key);
        const protocols = this.#tables.protocols();
        const entry = "number" in k ? protocols.byNumber(k.number) : protocols.byName(k.name);
        return entry === undefined ? notFound() : { found: true, lines: [protocolsLine(entry)], entries: [entry] };
      }
      case "networks": {
        const k = readNetworksKey(key);
        const entry = "net" in k ? this.#resolver.getnetbyaddr(k.net) : this.#resolver.getnetbyname(k.name);
        return entry === undefined ? notFound() : { found: true, lines: [networksLine(entry)], entries: [entry] };
      }
    }
  }

  /** getent hosts: gethostbyaddr for an address, gethostbyname2 IPv6 then IPv4 for a name. */
  async #hostsKey(key: string): Promise<KeyResult> {
    const resolver = this.#resolver;
    const k = readHostsKey(key);
    const attempts: [string, () => Promise<[string, string[], string[]]>][] =
      k.kind === "address"
        ? [[`gethostbyaddr2(${pyStr(k.address)})`, () => resolver.gethostbyaddr2(k.address)]]
        : [
            [`gethostbyname2(${pyStr(k.name)}, AF_INET6)`, () => resolver.gethostbyname2(k.name, AF_INET6)],
            [`gethostbyname2(${pyStr(k.name)}, AF_INET)`, () => resolver.gethostbyname2(k.name, AF_INET)],
          ];
    let error: unknown;
    for (const [call, attempt] of attempts) {
      try {
        const [name, aliases, addresses] = await this.#step(call, attempt, describeHost);
        return {
          found: true,
          lines: addresses.map((address) => hostsLine(address, name, aliases)),
          entries: addresses.map((address) => ({ address, name, aliases })),
        };
      } catch (err) {
        if (!(err instanceof SocketError)) throw err;
        error = err;
      }
    }
    return notFound(error);
  }

  /** getent ahosts: getaddrinfo(key, None, family, 0, 0, AI_V4MAPPED | AI_ADDRCONFIG | AI_CANONNAME). */
  async #ahostsKey(key: string, family: number): Promise<KeyResult> {
    let tuples: AddrInfoTuple[];
    try {
      const call = addrinfoCall(key, null, family, 0, AHOSTS_FLAGS);
      // getent hands C's getaddrinfo the key's bytes: no IDNA codec to reject `..`.
      const host = isAscii(key) ? Buffer.from(key, "latin1") : key;
      tuples = (await this.#step(call, () => this.#resolver.getaddrinfo(host, null, family, 0, 0, AHOSTS_FLAGS), describeTuples)) as AddrInfoTuple[];
    } catch (err) {
      if (!(err instanceof SocketError)) throw err;
      return notFound(err);
    }
    const entries = tuples.map(([, socktype, , canonname, sockaddr]) => ({
      address: String(sockaddr[0]),
      scopeId: Number(sockaddr[3] ?? 0),
      socktype,
      canonname,
    }));
    return { found: true, lines: entries.map((e) => ahostsLine(e.address, e.scopeId, e.socktype, e.canonname)), entries };
  }

  /** A table without keys: getent's set/get/endXXent over the files. */
  #enumerate(command: GetentCommand): { lines: string[]; entries: unknown[] } {
    if (command === "services") {
      const entries = this.#tables.services().entries;
      return { lines: entries.map(servicesLine), entries: [...entries] };
    }
    if (command === "protocols") {
      const entries = this.#tables.protocols().entries;
      return { lines: entries.map(protocolsLine), entries: [...entries] };
    }
    if (command === "networks") {
      const entries = this.#tables.networks().entries;
      return { lines: entries.map(networksLine), entries: [...entries] };
    }
    // gethostent reads the hosts file for IPv4 only: IPv6 lines are skipped,
    // but ::1 reads as 127.0.0.1 and ::ffff:a.b.c.d as a.b.c.d.
    const entries = this.#tables.hosts().entries.flatMap((e) => {
      const address = inet4Address(e);
      return address === undefined ? [] : [{ address, name: e.canonical, aliases: e.aliases }];
    });
    return { lines: entries.map((e) => hostsLine(e.address, e.name, e.aliases)), entries };
  }

  /**
   * Runs one library call; when tracing, notes the call (in Python's
   * words) before its steps and what it returned or raised after them.
   */
  async #step<T>(call: string, lookup: () => Promise<T>, describe: (value: T) => string): Promise<T> {
    if (!this.#options.trace) return lookup();
    this.#events.push({ kind: "note", text: call });
    const start = performance.now();
    const took = () => formatRtt(performance.now() - start);
    try {
      const value = await lookup();
      this.#events.push({ kind: "note", text: `=> ${describe(value)} in ${took()}` });
      return value;
    } catch (err) {
      this.#events.push({ kind: "note", text: `=> ${err instanceof SocketError ? err.message : "failed"} after ${took()}` });
      throw err;
    }
  }

  #traceLines(events: TraceEvent[]): string[] {
    return this.#options.trace ? events.map(traceLine) : [];
  }

  #traceField(events: TraceEvent[]): { trace?: unknown[] } {
    return this.#options.trace ? { trace: events.map(jsonEvent) } : {};
  }

  /** With --trace, what the text trace's first lines say, for the JSON document. */
  #configField(): { config?: unknown } {
    return this.#options.trace ? { config: configJson(this.#config()) } : {};
  }

  #print(lines: string[]): void {
    if (lines.length > 0) this.#out.stdout(lines.join("\n") + "\n");
  }
}

function notFound(error?: unknown): KeyResult {
  return { found: false, lines: [], entries: [], ...(error === undefined ? {} : { error }) };
}

function errorField(error: unknown): { error?: ReturnType<typeof jsonError> } {
  return error === undefined ? {} : { error: jsonError(error) };
}

/** `getaddrinfo('www', 'http', AF_UNSPEC, SOCK_STREAM, 0, AI_CANONNAME)`. */
function addrinfoCall(host: string | null, port: string | null, family: number, type: number, flags: number): string {
  const text = (s: string | null) => (s === null ? "None" : pyStr(s));
  const typeName = type === 0 ? "0" : (constantNames("SOCK_").get(type) ?? String(type));
  return `getaddrinfo(${text(host)}, ${text(port)}, ${constantNames("AF_").get(family) ?? family}, ${typeName}, 0, ${flagNames(flags, ADDRINFO_FLAGS, "AI_")})`;
}

/** `AI_V4MAPPED|AI_CANONNAME`, or `0`. */
function flagNames(flags: number, known: Readonly<Record<string, number>>, prefix: string): string {
  const names = Object.entries(known)
    .filter(([, value]) => (flags & value) !== 0)
    .map(([name]) => prefix + name.toUpperCase());
  return names.length === 0 ? "0" : names.join("|");
}

/** What a gethostby* call returned, in a few words. */
function describeHost([name, , addresses]: [string, string[], string[]]): string {
  return `${pyStr(name)} with ${count(addresses.length, "address", "addresses")}`;
}

/** What a getaddrinfo call returned, in a few words. */
function describeTuples(tuples: readonly unknown[]): string {
  return count(tuples.length, "result", "results");
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
