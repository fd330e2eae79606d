/**
 * The Resolver: one configuration (the /etc files of a root, or texts
 * given in code, with options on top), one DNS client and transport, and
 * every lookup of API.md as a method. Files are re-read when they change;
 * options always win over them.
 */
import os from "node:os";
import { DnsClient, type LookupOptions } from "./dns/client.js";
import { cacheFromOption, type CacheOption, type DnsCache } from "./dns/cache.js";
import { buildTransport } from "./dns/transport/build.js";
import { NetTransport } from "./dns/transport/net.js";
import type { HostsTable } from "./files/hosts.js";
import type { ServicesTable } from "./files/services.js";
import { EtcTables, type EtcFileName } from "./files/source.js";
import { AF_INET, AF_INET6, AF_UNSPEC } from "./constants.js";
import { formatAddress, inet_aton, inet_ntoa, inet_ntop, inet_pton, parseIPv4, parseIPv6 } from "./inet.js";
import { EAFNOSUPPORT, errnoError } from "./lookup/failures.js";
import { getaddrinfo, type AddrInfo } from "./lookup/addrinfo.js";
import type { LookupContext } from "./lookup/context.js";
import { dnsModule } from "./lookup/dnssource.js";
import { failedModule, filesModule } from "./lookup/filessource.js";
import { getfqdn } from "./lookup/fqdn.js";
import { DEFAULT_POLICY, parseGaiConf, type GaiPolicy } from "./lookup/gaiconf.js";
import type { HostTuple } from "./lookup/gethost-common.js";
import { gethostbyaddr, gethostbyaddr2 } from "./lookup/hostbyaddr.js";
import { gethostbyname, gethostbyname2, gethostbynameEx } from "./lookup/hostbyname.js";
import { parseHostConf, type HostConf } from "./lookup/hostconf.js";
import { getnameinfo, localDomain } from "./lookup/nameinfo.js";
import { parseNameServer } from "./lookup/nameserver.js";
import { systemNetwork, type NetworkEnvironment } from "./lookup/network.js";
import { getprotobyname, getservbyname, getservbyport } from "./lookup/services.js";
import type { ConfiguredSource, HostsModule, ThreadState } from "./lookup/sources.js";
import type { Transport } from "./dns/transport/transport.js";
import type { NetworkEntry } from "./files/networks.js";
import type { NssSource, NssStatus, NsswitchConf } from "./files/nsswitch.js";
import type { NameServer, ResolvConf } from "./files/resolvconf.js";
import type { Tracer } from "./trace.js";
import { worldResolverOptions, type WorldOptions } from "./world.js";

/** How a {@link Resolver} is built. Every option is optional. */
export interface ResolverOptions {
  /** Directory standing in for `/`: files are read from `ROOT/etc/`. Default `/`. */
  root?: string;
  /**
   * File texts given directly (`hosts`, `services`, `protocols`,
   * `resolv.conf`, `nsswitch.conf`, `hostname`, `host.conf`, `gai.conf`);
   * with `files` and no `root`, names not given use the embedded defaults.
   */
  files?: Partial<Record<EtcFileName, string>>;
  /** Name servers overriding resolv.conf: `"127.0.0.1:5353"`, `"[::1]:53"`, `"192.0.2.1"`. */
  nameservers?: string[];
  /** Search domains overriding resolv.conf's. */
  search?: string[];
  ndots?: number;
  /** Per-try timeout in milliseconds. */
  timeout?: number;
  attempts?: number;
  rotate?: boolean;
  edns0?: boolean;
  /**
   * The UDP payload size EDNS0 queries advertise. Default 1200, glibc
   * 2.36's; 1232 (the DNS Flag Day 2020 value) lets answers of 1,201 to
   * 1,232 octets come over UDP rather than TCP. A departure from glibc.
   */
  ednsPayloadSize?: number;
  /**
   * After a FORMERR to an EDNS0 query, ask the same server again at once
   * without EDNS0 (and send it none for the rest of the call), as BIND and
   * c-ares do for old servers. Off by default: glibc 2.36 takes the FORMERR
   * as the answer, and the lookup fails (EAI_NONAME).
   */
  ednsFallback?: boolean;
  /**
   * Send DNS cookies (RFC 7873, RFC 9018 server cookies) to servers over
   * UDP, as c-ares 1.33 does: each server gets a random client cookie of
   * its own, a response must echo it, and the server cookie it gives is
   * sent back on later queries. Cookies ride on EDNS, so only queries with
   * an OPT record carry one (`edns0`, or resolv.conf's `options edns0`).
   * Off by default, as glibc sends none. Applies to the transport the
   * Resolver makes; a {@link transport} passed in keeps its own setting
   * (`new NetTransport({ pool: { cookies: true } })`).
   */
  cookies?: boolean;
  /** Always use TCP (resolv.conf's `use-vc`). */
  useTcp?: boolean;
  /** What gethostname() returns; see {@link Resolver.gethostname} for the default. */
  hostname?: string;
  /**
   * The largest /etc file read, in bytes (default 8 MiB, about 180,000
   * hosts lines). A larger file fails as unreadable (EFBIG: the hosts
   * source UNAVAIL, services and protocols empty) until it changes, rather
   * than holding the event loop about 0.1 s a megabyte while it is parsed
   * (docs/glibc-notes.md §"/etc files that are not plain files"). glibc has no limit.
   */
  maxEtcFileSize?: number;
  /** How queries reach servers. Default: real UDP/TCP sockets, closed by {@link Resolver.close}. */
  transport?: Transport;
  /** Aborts every lookup of this resolver. */
  signal?: AbortSignal;
  /** Receives the steps of every lookup (the CLI's --trace). */
  tracer?: Tracer;
  /**
   * The network facts getaddrinfo and getnameinfo use (interface addresses
   * for AI_ADDRCONFIG and sorting, interface names and indexes for scoped
   * addresses, source addresses for sorting). Parts not given come from
   * the running machine.
   */
  network?: Partial<NetworkEnvironment>;
  /** Environment variables glibc's resolver reads (LOCALDOMAIN, RES_OPTIONS, RESOLV_MULTI...). Default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * Cache DNS answers: `true` for the defaults, the options of a DnsCache, or
   * a {@link DnsCache} to share. Off by default, as glibc has none.
   */
  cache?: CacheOption;
  /**
   * Send one query for identical queries in flight to the same server
   * (each gets the answer under its own ID, and keeps its own deadline).
   * Off by default, as glibc sends every lookup's own queries: one forged
   * answer that passes every check would otherwise reach every lookup
   * merged into the query it answers. On by default with a cache, which
   * shares answers between lookups anyway.
   */
  mergeQueries?: boolean;
}

/** The options object every lookup method accepts as its last argument. */
export interface CallOptions {
  signal?: AbortSignal;
  tracer?: Tracer;
}

/**
 * What may follow getaddrinfo's host and port: family, type, proto and
 * flags (each optional, in that order), then optionally a call options
 * object.
 */
export type GetaddrinfoRest =
  | [] | [CallOptions]
  | [family: number] | [family: number, options: CallOptions]
  | [family: number, type: number] | [family: number, type: number, options: CallOptions]
  | [family: number, type: number, proto: number] | [family: number, type: number, proto: number, options: CallOptions]
  | [family: number, type: number, proto: number, flags: number]
  | [family: number, type: number, proto: number, flags: number, options: CallOptions];

/** True for a plain object, which is how a trailing options argument is told from positional ones. */
function isCallOptions(value: unknown): value is CallOptions {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Splits a trailing options object off an argument list. */
function splitCallOptions(args: unknown[]): [unknown[], CallOptions] {
  const last = args[args.length - 1];
  return isCallOptions(last) ? [args.slice(0, -1), last] : [args, {}];
}

const TRACE_RESULT: Record<NssStatus, "found" | "notfound" | "unavailable" | "tryagain"> = {
  success: "found", notfound: "notfound", unavail: "unavailable", tryagain: "tryagain",
};

/** A module that reports each call to the tracer. */
function traced(source: string, module: HostsModule, tracer: Tracer | undefined): HostsModule {
  if (tracer === undefined) return module;
  // A promise step, not an async function: a traced lookup in flight holds no suspended generator.
  const report = <T extends { status: NssStatus }>(name: string, call: T | Promise<T>): Promise<T> =>
    Promise.resolve(call).then((outcome) => {
      tracer({ kind: "source", source, name, result: TRACE_RESULT[outcome.status] });
      return outcome;
    });
  return {
    byName4: (name) => report(name, module.byName4(name)),
    byName3: (name, family, checkName) => report(name, module.byName3(name, family, checkName)),
    byAddr: (address, family) => report(formatAddress(address), module.byAddr(address, family)),
  };
}

/** What a lookup context is built from: these objects, kept by the tables until their files change. */
interface HostsConfiguration {
  nsswitch: NsswitchConf;
  hosts: HostsTable;
  hostConf: HostConf;
  files: HostsModule;
  /** nss_dns when resolv.conf could not be read, in place of the call's own. */
  failedDns: HostsModule | undefined;
  resolvFailure: ResolvConf["failure"];
  /** The context of calls without signal or tracer, built by the first one. */
  plain?: LookupContext;
}

/** Remembers the last parse of a text. */
function memoized<T>(parse: (text: string | undefined) => T): (text: string | undefined) => T {
  let last: { text: string | undefined; value: T } | undefined;
  return (text) => {
    if (last === undefined || last.text !== text) last = { text, value: parse(text) };
    return last.value;
  };
}

/**
 * Every lookup of Python's socket module, answered as CPython on glibc 2.36
 * answers it for the same files and DNS answers. Methods that may touch
 * the network return Promises; the others are synchronous.
 */
export class Resolver {
  readonly #options: ResolverOptions;
  readonly #tables: EtcTables;
  readonly #transport: Transport;
  readonly #cache: DnsCache | undefined;
  readonly #ownsTransport: boolean;
  readonly #client: DnsClient;
  readonly #network: NetworkEnvironment;
  readonly #env: Record<string, string | undefined>;
  /** The thread-local h_errno of glibc, which CPython's herror reports. */
  readonly #thread: ThreadState = { hErrno: 0 };
  /** NI_NOFQDN's local domain: glibc works it out once per process, a Resolver once in its life. */
  #localDomain: Promise<string | undefined> | undefined;
  readonly #hostConf: (text: string | undefined) => HostConf;
  readonly #gaiPolicy = memoized((text) => (text === undefined ? DEFAULT_POLICY : parseGaiConf(text)));
  /** The `nameservers` option, parsed once: every DNS query reads {@link Resolver.resolvConf}. */
  readonly #nameservers: readonly NameServer[] | undefined;
  /** resolv.conf as the table last gave it, and the configuration made of it for the DNS client. */
  #lastResolvConf: { file: ResolvConf; aliases: ResolvConf["hostAliases"]; conf: ResolvConf } | undefined;
  /** The configuration of the last call, with the context of calls without signal or tracer. */
  #lastConfiguration: HostsConfiguration | undefined;
  /** The nss_dns module of calls without signal or tracer. */
  readonly #plainDns: HostsModule;
  readonly #services = (): ServicesTable => this.#tables.services();
  readonly #policy = (): GaiPolicy => this.#gaiPolicy(this.#tables.gaiConf());
  readonly #hostname = (): string => this.gethostname();

  constructor(options: ResolverOptions = {}) {
    this.#options = options;
    this.#env = options.env ?? process.env;
    const tableOptions: ConstructorParameters<typeof EtcTables>[0] = { env: this.#env };
    if (options.root !== undefined) tableOptions.root = options.root;
    if (options.files !== undefined) tableOptions.files = options.files;
    if (options.maxEtcFileSize !== undefined) tableOptions.maxFileSize = options.maxEtcFileSize;
    // resolv.conf's default search domain comes from the host name, as gethostname() gives it.
    tableOptions.hostname = () => this.gethostname();
    this.#tables = new EtcTables(tableOptions);
    this.#ownsTransport = options.transport === undefined;
    this.#cache = cacheFromOption(options.cache);
    this.#transport = buildTransport(options.transport ?? new NetTransport(options.cookies === undefined ? {} : { pool: { cookies: options.cookies } }), { cache: this.#cache, merge: options.mergeQueries ?? this.#cache !== undefined });
    const clientOptions: ConstructorParameters<typeof DnsClient>[0] = { conf: () => this.#clientConf(), transport: this.#transport };
    if (options.tracer !== undefined) clientOptions.tracer = options.tracer;
    this.#client = new DnsClient(clientOptions);
    this.#network = { ...systemNetwork, ...options.network };
    this.#hostConf = memoized((text) => parseHostConf(text, this.#env));
    // Parsed here, so that servers that cannot be used fail now, not at the first lookup.
    this.#nameservers = options.nameservers?.map(parseNameServer);
    this.#plainDns = dnsModule(this.#client, {});
  }

  /**
   * A resolver living in the recorded world in `dir`: its etc files, its
   * DNS exchanges replayed, its network (docs/fixtures.md). `options` go on top.
   */
  static fromWorld(dir: string, options: ResolverOptions & WorldOptions = {}): Resolver {
    return new Resolver(worldResolverOptions(dir, options));
  }

  /** The resolver configuration in effect: resolv.conf (and environment) with this resolver's options applied. */
  resolvConf(): ResolvConf {
    return this.#withOptions(this.#tables.resolvConf());
  }

  /**
   * {@link resolvConf} as the DNS client reads it at every query: built
   * again only when the table gives another resolv.conf object (the client
   * does not change it; callers of resolvConf() get their own copy).
   */
  #clientConf(): ResolvConf {
    const file = this.#tables.resolvConf();
    const aliases = this.#tables.hostAliases();
    const last = this.#lastResolvConf;
    if (last?.file !== file || last.aliases !== aliases) {
      const conf = this.#withOptions(file);
      if (aliases !== undefined) conf.hostAliases = aliases;
      this.#lastResolvConf = { file, aliases, conf };
    }
    return this.#lastResolvConf!.conf;
  }

  #withOptions(file: ResolvConf): ResolvConf {
    const o = this.#options;
    const conf = { ...file };
    if (this.#nameservers !== undefined) conf.nameservers = [...this.#nameservers];
    if (o.search !== undefined) conf.search = [...o.search];
    if (o.ndots !== undefined) conf.ndots = o.ndots;
    if (o.timeout !== undefined) conf.timeout = o.timeout;
    if (o.attempts !== undefined) conf.attempts = o.attempts;
    if (o.rotate !== undefined) conf.rotate = o.rotate;
    if (o.edns0 !== undefined) conf.edns0 = o.edns0;
    if (o.ednsPayloadSize !== undefined) conf.ednsPayloadSize = o.ednsPayloadSize;
    if (o.ednsFallback !== undefined) conf.ednsFallback = o.ednsFallback;
    if (o.useTcp !== undefined) conf.useVc = o.useTcp;
    return conf;
  }

  /**
   * The host name: the `hostname` option; else, when a `root` or `files`
   * was given, that root's etc/hostname (if it has one); else
   * `os.hostname()`, the kernel's name, which is what Python returns.
   */
  gethostname(): string {
    if (this.#options.hostname !== undefined) return this.#options.hostname;
    const fromFiles = this.#options.root !== undefined || this.#options.files !== undefined ? this.#tables.hostname() : undefined;
    return fromFiles ?? os.hostname();
  }

  /** The signal and tracer one call runs with. */
  #lookupOptions(call: CallOptions): LookupOptions {
    const own = this.#options.signal;
    const options: LookupOptions = {};
    if (own !== undefined && call.signal !== undefined) options.signal = AbortSignal.any([own, call.signal]);
    else if (own !== undefined || call.signal !== undefined) options.signal = own ?? call.signal;
    if (call.tracer !== undefined) options.tracer = call.tracer;
    return options;
  }

  /**
   * What one call reads: this moment's configuration, bound to the call's
   * signal and tracer. A call with neither gets the context of the last
   * such call while nsswitch.conf, the hosts table and host.conf are the
   * same objects (the tables keep them until their file changes).
   */
  #context(call: CallOptions): LookupContext {
    const lookupOptions = this.#lookupOptions(call);
    lookupOptions.signal?.throwIfAborted();
    const tracer = this.#combinedTracer(call.tracer);
    const config = this.#configuration();
    if (lookupOptions.signal === undefined && tracer === undefined) {
      config.plain ??= this.#contextFor(config, this.#plainDns, undefined);
      return config.plain;
    }
    return this.#contextFor(config, dnsModule(this.#client, lookupOptions), tracer);
  }

  /** The configuration a context is built from, kept while its files are the same objects. */
  #configuration(): HostsConfiguration {
    const nsswitch = this.#tables.nsswitch();
    const hosts = this.#tables.hosts();
    const hostConf = this.#hostConf(this.#tables.hostConf());
    const resolvFailure = this.#tables.resolvConf().failure;
    const last = this.#lastConfiguration;
    if (last !== undefined && last.nsswitch === nsswitch && last.hosts === hosts && last.hostConf === hostConf && last.resolvFailure === resolvFailure) return last;
    const failedDns = resolvFailure === undefined ? undefined : failedModule(resolvFailure);
    this.#lastConfiguration = { nsswitch, hosts, hostConf, files: filesModule(hosts, hostConf.multi), failedDns, resolvFailure };
    return this.#lastConfiguration;
  }

  #contextFor(config: HostsConfiguration, dns: HostsModule, tracer: Tracer | undefined): LookupContext {
    const toSource = (s: NssSource): ConfiguredSource => {
      const module = s.name === "files" ? config.files : s.name === "dns" ? config.failedDns ?? dns : undefined;
      return { name: s.name, module: module === undefined ? undefined : traced(s.name, module, tracer), actions: s.actions };
    };
    const context: LookupContext = {
      sources: config.nsswitch.hostsSources.map(toSource),
      thread: this.#thread,
      hostConf: config.hostConf,
      network: this.#network,
      services: this.#services,
      policy: this.#policy,
      hostname: this.#hostname,
    };
    if (config.nsswitch.error !== undefined) context.nsswitchError = config.nsswitch.error;
    if (config.nsswitch.errno !== undefined) context.nsswitchErrno = config.nsswitch.errno;
    if (tracer !== undefined) context.tracer = tracer;
    return context;
  }

  #combinedTracer(call: Tracer | undefined): Tracer | undefined {
    const own = this.#options.tracer;
    if (own === undefined || call === undefined) return own ?? call;
    return (event) => {
      own(event);
      call(event);
    };
  }

  /**
   * Runs a lookup in the context of a call, or rejects with the reason of
   * its signal if that is aborted already. Not an async function: the
   * lookup's own promise is returned, not one more waiting on it.
   */
  #run<T>(call: CallOptions, lookup: (context: LookupContext) => Promise<T>): Promise<T> {
    let context: LookupContext;
    try {
      context = this.#context(call);
    } catch (err) {
      return Promise.reject(err);
    }
    return lookup(context);
  }

  /** socket.gethostbyname: one IPv4 address (`"50.56.79.68"`). */
  gethostbyname(name: string, options: CallOptions = {}): Promise<string> {
    return this.#run(options, (context) => gethostbyname(context, name));
  }

  /** socket.gethostbyname_ex: `[canonical, aliases, addresses]`, IPv4 only. */
  gethostbyname_ex(name: string, options: CallOptions = {}): Promise<HostTuple> {
    return this.#run(options, (context) => gethostbynameEx(context, name));
  }

  /**
   * glibc's gethostbyname2 (not in Python; `getent hosts` uses it):
   * `[canonical, aliases, addresses]` of one family, AF_INET or AF_INET6,
   * for the name exactly as given. Rejects with HError.
   */
  async gethostbyname2(name: string, family: number, options: CallOptions = {}): Promise<HostTuple> {
    if (family !== AF_INET && family !== AF_INET6) throw errnoError(EAFNOSUPPORT, { hostname: name });
    return gethostbyname2(this.#context(options), name, family === AF_INET ? 4 : 6);
  }

  /**
   * glibc's gethostbyaddr for a numeric IPv4 or IPv6 address (not in
   * Python; `getent hosts ADDRESS` uses it): `[hostname, aliases,
   * addresses]` as C returns them, so `::ffff:192.0.2.1` answered by DNS
   * gives the IPv4 address where Python's gethostbyaddr raises
   * EAFNOSUPPORT. Rejects with HError, and with RangeError for text that
   * is no numeric address.
   */
  gethostbyaddr2(address: string, options: CallOptions = {}): Promise<HostTuple> {
    const bytes = parseIPv6(address) ?? parseIPv4(address);
    if (bytes === null) return Promise.reject(new RangeError(`not a numeric address: ${JSON.stringify(address)}`));
    return this.#run(options, (context) => gethostbyaddr2(context, bytes));
  }

  /** socket.gethostbyaddr: `[hostname, aliases, addresses]` for an IPv4 or IPv6 address, or a name resolved first. */
  gethostbyaddr(ipOrName: string, options: CallOptions = {}): Promise<HostTuple> {
    return this.#run(options, (context) => gethostbyaddr(context, ipOrName));
  }

  /** socket.getfqdn: a fully qualified name for `name` (default: this host); never rejects for a failed lookup. */
  async getfqdn(name?: string | CallOptions, options?: CallOptions): Promise<string> {
    const [args, call] = splitCallOptions(options === undefined ? [name] : [name, options]);
    const context = this.#context(call);
    return getfqdn({
      gethostname: () => this.gethostname(),
      gethostbyaddr: (n) => gethostbyaddr(context, n),
    }, args[0] ?? "");
  }

  /**
   * socket.getaddrinfo: `[family, type, proto, canonname, sockaddr]` tuples
   * in glibc's order. `host` and `port` may be null; `port` a number, a
   * numeric string or a service name. A string `host` is IDNA-encoded as
   * Python encodes a `str`; a Uint8Array is Python's `bytes`, passed to
   * glibc as it is. A trailing `{ signal }` is accepted.
   */
  getaddrinfo(host: string | Uint8Array | null, port: string | number | null, family?: number, type?: number, proto?: number, flags?: number, options?: CallOptions): Promise<AddrInfo[]>;
  getaddrinfo(host: string | Uint8Array | null, port: string | number | null, ...rest: GetaddrinfoRest): Promise<AddrInfo[]>;
  getaddrinfo(host: unknown, port: unknown, ...rest: unknown[]): Promise<AddrInfo[]> {
    const [args, call] = splitCallOptions(rest);
    return this.#run(call, (context) => getaddrinfo(context, host, port, ...args));
  }

  /** socket.getnameinfo: `[host, service]` for `[address, port]` or `[address, port, flowinfo, scope_id]`. */
  async getnameinfo(sockaddr: [string, number] | [string, number, number] | [string, number, number, number], flags: number, options: CallOptions = {}): Promise<[string, string]> {
    const context = this.#context(options);
    const domain = (): Promise<string | undefined> => {
      // Kept once found, as glibc keeps it; a lookup cut short (aborted) is not an answer.
      this.#localDomain ??= localDomain(context).catch((err: unknown) => {
        this.#localDomain = undefined;
        throw err;
      });
      return this.#localDomain;
    };
    return getnameinfo(context, sockaddr, flags, domain);
  }

  /**
   * The synchronous table lookups read local files only; they take the same
   * trailing options object as the others, and fail with its signal's
   * reason if it is already aborted.
   */
  #tableCall<T>(args: unknown[], lookup: (positional: unknown[]) => T): T {
    const [positional, call] = splitCallOptions(args);
    this.#lookupOptions(call).signal?.throwIfAborted();
    return lookup(positional);
  }

  /** socket.getservbyname: the port of a service. */
  getservbyname(name: string, proto?: string | CallOptions, options?: CallOptions): number {
    return this.#tableCall([proto, options].filter((a) => a !== undefined), ([p]) => getservbyname(this.#tables, name, p as string | undefined));
  }

  /** socket.getservbyport: the name of the service on a port. */
  getservbyport(port: number, proto?: string | CallOptions, options?: CallOptions): string {
    return this.#tableCall([proto, options].filter((a) => a !== undefined), ([p]) => getservbyport(this.#tables, port, p as string | undefined));
  }

  /** socket.getprotobyname: the number of a protocol. */
  getprotobyname(name: string, options?: CallOptions): number {
    return this.#tableCall(options === undefined ? [] : [options], () => getprotobyname(this.#tables, name));
  }

  /**
   * glibc's getnetbyname (not in Python; `getent networks NAME` uses it):
   * the first etc/networks entry whose name or an alias is `name`, compared
   * case-insensitively in ASCII, or undefined (glibc's NULL). Files only:
   * an nsswitch `networks:` line is not read (nss_dns's networks lookups
   * are not implemented).
   */
  getnetbyname(name: string, options?: CallOptions): NetworkEntry | undefined {
    return this.#tableCall(options === undefined ? [] : [options], () => this.#tables.networks().byName(String(name)));
  }

  /**
   * glibc's getnetbyaddr(net, type) (`getent networks NUMBER` uses it):
   * the first etc/networks entry with network number `net` (host byte
   * order, taken modulo 2^32 as C's uint32_t: 127.0.0.0 is 0x7f000000)
   * whose family is `type` (AF_INET, or AF_UNSPEC for any), or undefined.
   */
  getnetbyaddr(net: number, type: number = AF_UNSPEC, options?: CallOptions): NetworkEntry | undefined {
    if (typeof net !== "number" || !Number.isInteger(net)) throw new TypeError(`getnetbyaddr: net must be an integer, not ${String(net)}`);
    return this.#tableCall(options === undefined ? [] : [options], () => this.#tables.networks().byNumber(net >>> 0, type));
  }

  /** socket.inet_aton. */
  inet_aton(s: string): Buffer {
    return inet_aton(s);
  }

  /** socket.inet_ntoa. */
  inet_ntoa(packed: Uint8Array): string {
    return inet_ntoa(packed);
  }

  /** socket.inet_pton. */
  inet_pton(family: number, s: string): Buffer {
    return inet_pton(family, s);
  }

  /** socket.inet_ntop. */
  inet_ntop(family: number, packed: Uint8Array): string {
    return inet_ntop(family, packed);
  }

  /** The hosts table in effect (node/promises-resolver.ts reads it). */
  hosts(): HostsTable {
    return this.#tables.hosts();
  }

  /** The transport every query goes through: the given or made one, with merging and the cache on top when they are needed. */
  get transport(): Transport {
    return this.#transport;
  }

  /** The cache the `cache` option turned on, if any. */
  get cache(): DnsCache | undefined {
    return this.#cache;
  }

  /**
   * A new Resolver with this one's options and `options` on top (netdb/testing
   * builds one this way to put faults over a Resolver's transport). Give it a
   * `transport` that is not this one's, or close only this one: the new
   * Resolver owns only a transport it makes itself.
   */
  derive(options: ResolverOptions): Resolver {
    return new Resolver({ ...this.#options, ...options });
  }

  /** Releases the transport this resolver made (a transport passed in stays its owner's). */
  async close(): Promise<void> {
    if (this.#ownsTransport) await this.#transport.close();
  }
}
