/**
 * The Resolver: a short facade over one configuration source (the /etc
 * files of a root, or texts given in code, with options on top:
 * src/files/config.ts), one transport stack (src/dns/transport/build.ts)
 * and one DNS client. Every lookup method takes the same path: split off
 * the call's options, take the configuration snapshot of the moment, bind
 * it to the call (src/contexts.ts), run the lookup of src/lookup/.
 */
import { hostname as osHostname } from "./builtins.js";
import { callSignal, optionalArgument, splitCallOptions, type CallOptions, type GetaddrinfoRest } from "./call.js";
import { LookupContexts } from "./contexts.js";
import { DnsClient, type LookupOptions } from "./dns/client.js";
import type { DnsCache } from "./dns/cache.js";
import { buildTransport, type TransportStack } from "./dns/transport/build.js";
import { formatHostPort } from "./dns/server.js";
import type { Transport } from "./dns/transport/transport.js";
import { ConfigurationSource, type ResolvConfOverlay } from "./files/config.js";
import type { HostsTable } from "./files/hosts.js";
import type { NetworkEntry } from "./files/networks.js";
import type { ResolvConf } from "./files/resolvconf.js";
import { EtcTables } from "./files/source.js";
import { AF_INET, AF_INET6, AF_UNSPEC } from "./constants.js";
import { inet_aton, inet_ntoa, inet_ntop, inet_pton, parseIPv4, parseIPv6 } from "./inet.js";
import { EAFNOSUPPORT, errnoError } from "./lookup/failures.js";
import { getaddrinfoThen, type AddrInfo } from "./lookup/addrinfo.js";
import type { LookupContext } from "./lookup/context.js";
import { getfqdn } from "./lookup/fqdn.js";
import type { HostTuple } from "./lookup/gethost-common.js";
import { gethostbyaddr, gethostbyaddr2To, gethostbyaddrTo } from "./lookup/hostbyaddr.js";
import { gethostbyname2To, gethostbynameExTo, gethostbynameThen } from "./lookup/hostbyname.js";
import { bootstrapLookup } from "./lookup/bootstrap.js";
import { getnameinfo, localDomain } from "./lookup/nameinfo.js";
import { systemNetwork } from "./lookup/network.js";
import { getprotobyname, getservbyname, getservbyport } from "./lookup/services.js";
import { resolvConfOverlay, type ResolverOptions } from "./options.js";
import { settleTo, viaSink, type Sink } from "./sink.js";
import { combineTracers } from "./trace.js";
import { worldResolverOptions, type WorldOptions } from "./world.js";

/** What the DNS queries of a call without signal or tracer run with: one object for all of them. */
const PLAIN_CALL: LookupOptions = Object.freeze({});

// The Resolver's option types, where its users look for them.
export type { ResolverOptions } from "./options.js";
export type { CallOptions, GetaddrinfoRest } from "./call.js";

/**
 * Every lookup of Python's socket module, answered as CPython on glibc 2.36
 * answers it for the same files and DNS answers. Methods that may touch
 * the network return Promises; the others are synchronous.
 */
export class Resolver {
  readonly #options: ResolverOptions;
  readonly #tables: EtcTables;
  readonly #overlay: ResolvConfOverlay;
  readonly #config: ConfigurationSource;
  readonly #stack: TransportStack;
  readonly #contexts: LookupContexts;
  /** Made at the first DoH server named by host name, with the resolv.conf it was made for; see {@link Resolver.#bootstrapResolver}. */
  #bootstrap: { resolver: Resolver; file: ResolvConf } | undefined;
  /** NI_NOFQDN's local domain: glibc works it out once per process, a Resolver once in its life. */
  #localDomain: Promise<string | undefined> | undefined;

  constructor(options: ResolverOptions = {}) {
    this.#options = options;
    const env = options.env ?? process.env;
    const tableOptions: ConstructorParameters<typeof EtcTables>[0] = { env };
    if (options.root !== undefined) tableOptions.root = options.root;
    if (options.files !== undefined) tableOptions.files = options.files;
    if (options.maxEtcFileSize !== undefined) tableOptions.maxFileSize = options.maxEtcFileSize;
    // resolv.conf's default search domain comes from the host name, as gethostname() gives it.
    tableOptions.hostname = () => this.gethostname();
    this.#tables = new EtcTables(tableOptions);
    this.#overlay = resolvConfOverlay(options);
    this.#config = new ConfigurationSource(this.#tables, this.#overlay);
    this.#stack = buildTransport({ ...options, lookup: bootstrapLookup((host, family, type) => this.#bootstrapResolver().getaddrinfo(host, null, family, type)) });
    const clientOptions: ConstructorParameters<typeof DnsClient>[0] = { conf: () => this.#config.resolvConf(), transport: this.#stack.transport };
    if (options.tracer !== undefined) clientOptions.tracer = options.tracer;
    this.#contexts = new LookupContexts({
      client: new DnsClient(clientOptions),
      thread: { hErrno: 0 },
      network: { ...systemNetwork, ...options.network },
      services: () => this.#tables.services(),
      hostname: () => this.gethostname(),
    });
  }

  /**
   * The resolver of DoH servers' host names: this one's files and options,
   * on the same sockets, with only plain servers ({@link ResolverOptions.bootstrap}).
   */
  #bootstrapResolver(): Resolver {
    // Made again when resolv.conf changed: its plain lines are the bootstrap.
    const file = this.#tables.resolvConf();
    if (this.#bootstrap?.file === file) return this.#bootstrap.resolver;
    const conf = this.#overlay(file);
    const plain = this.#options.bootstrap ?? (conf.bootstrap ?? conf.nameservers.filter((s) => s.encrypted === undefined)).map((s) => formatHostPort(s));
    const resolver = new Resolver({ ...this.#options, nameservers: plain.length === 0 ? ["127.0.0.1"] : plain, transport: this.#stack.transport, cache: undefined, mergeQueries: false });
    this.#bootstrap = { resolver, file };
    return resolver;
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
    return this.#overlay(this.#tables.resolvConf());
  }

  /**
   * The host name: the `hostname` option; else, when a `root` or `files`
   * was given, that root's etc/hostname (if it has one); else
   * `os.hostname()`, the kernel's name, which is what Python returns.
   */
  gethostname(): string {
    if (this.#options.hostname !== undefined) return this.#options.hostname;
    const fromFiles = this.#options.root !== undefined || this.#options.files !== undefined ? this.#tables.hostname() : undefined;
    return fromFiles ?? osHostname();
  }

  /**
   * What one call reads: this moment's configuration snapshot, bound to
   * the call's signal and tracer. Throws the signal's reason if it is
   * aborted already.
   */
  #context(call: CallOptions): LookupContext {
    const signal = callSignal(this.#options.signal, call.signal);
    signal?.throwIfAborted();
    let options = PLAIN_CALL;
    if (signal !== undefined || call.tracer !== undefined) {
      options = {};
      if (signal !== undefined) options.signal = signal;
      if (call.tracer !== undefined) options.tracer = call.tracer;
    }
    return this.#contexts.contextFor(this.#config.current(), options, combineTracers(this.#options.tracer, call.tracer));
  }

  /**
   * The path of every lookup method: the call's one promise, the lookup in
   * the call's context reporting to it, or a rejection with what either threw.
   */
  #run<T>(call: CallOptions, lookup: (context: LookupContext, sink: Sink<T>) => void): Promise<T> {
    return viaSink((sink) => lookup(this.#context(call), sink));
  }

  /**
   * {@link #run} for the calls that take the promise's own functions (no
   * sink object per lookup: gethostbyname and getaddrinfo, the hot paths).
   */
  #then<T>(call: CallOptions, lookup: (context: LookupContext, resolve: (value: T) => void, reject: (error: unknown) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        lookup(this.#context(call), resolve, reject);
      } catch (err) {
        reject(err);
      }
    });
  }

  /** socket.gethostbyname: one IPv4 address (`"50.56.79.68"`). */
  gethostbyname(name: string, options: CallOptions = {}): Promise<string> {
    return this.#then(options, (context, resolve: (address: string) => void, reject) => gethostbynameThen(context, name, resolve, reject));
  }

  /** socket.gethostbyname_ex: `[canonical, aliases, addresses]`, IPv4 only. */
  gethostbyname_ex(name: string, options: CallOptions = {}): Promise<HostTuple> {
    return this.#run(options, (context, sink: Sink<HostTuple>) => gethostbynameExTo(context, name, sink));
  }

  /**
   * glibc's gethostbyname2 (not in Python; `getent hosts` uses it):
   * `[canonical, aliases, addresses]` of one family, AF_INET or AF_INET6,
   * for the name exactly as given. Rejects with HError.
   */
  gethostbyname2(name: string, family: number, options: CallOptions = {}): Promise<HostTuple> {
    if (family !== AF_INET && family !== AF_INET6) return Promise.reject(errnoError(EAFNOSUPPORT, { hostname: name }));
    return this.#run(options, (context, sink: Sink<HostTuple>) => gethostbyname2To(context, name, family === AF_INET ? 4 : 6, sink));
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
    return this.#run(options, (context, sink: Sink<HostTuple>) => gethostbyaddr2To(context, bytes, sink));
  }

  /** socket.gethostbyaddr: `[hostname, aliases, addresses]` for an IPv4 or IPv6 address, or a name resolved first. */
  gethostbyaddr(ipOrName: string, options: CallOptions = {}): Promise<HostTuple> {
    return this.#run(options, (context, sink: Sink<HostTuple>) => gethostbyaddrTo(context, ipOrName, sink));
  }

  /** socket.getfqdn: a fully qualified name for `name` (default: this host); never rejects for a failed lookup. */
  getfqdn(name?: string | CallOptions, options?: CallOptions): Promise<string> {
    const [args, call] = splitCallOptions(options === undefined ? [name] : [name, options]);
    return this.#run(call, (context, sink: Sink<string>) => settleTo(getfqdn({
      gethostname: () => this.gethostname(),
      gethostbyaddr: (n) => gethostbyaddr(context, n),
    }, args[0] ?? ""), sink));
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
    return this.#then(call, (context, resolve, reject: (error: unknown) => void) => getaddrinfoThen(context, resolve, reject, host, port, ...args));
  }

  /** socket.getnameinfo: `[host, service]` for `[address, port]` or `[address, port, flowinfo, scope_id]`. */
  getnameinfo(sockaddr: [string, number] | [string, number, number] | [string, number, number, number], flags: number, options: CallOptions = {}): Promise<[string, string]> {
    return this.#run(options, (context, sink: Sink<[string, string]>) => settleTo(getnameinfo(context, sockaddr, flags, () => this.#domain(context)), sink));
  }

  /** NI_NOFQDN's local domain, kept once found, as glibc keeps it; a lookup cut short (aborted) is not an answer. */
  #domain(context: LookupContext): Promise<string | undefined> {
    this.#localDomain ??= localDomain(context).catch((err: unknown) => {
      this.#localDomain = undefined;
      throw err;
    });
    return this.#localDomain;
  }

  /**
   * The synchronous table lookups read local files only; they take the same
   * trailing options object as the others, and fail with its signal's
   * reason if it is already aborted.
   */
  #tableCall<T>(call: CallOptions | undefined, lookup: () => T): T {
    callSignal(this.#options.signal, call?.signal)?.throwIfAborted();
    return lookup();
  }

  /** socket.getservbyname: the port of a service. */
  getservbyname(name: string, proto?: string | CallOptions, options?: CallOptions): number {
    const [p, call] = optionalArgument(proto, options);
    return this.#tableCall(call, () => getservbyname(this.#tables, name, p));
  }

  /** socket.getservbyport: the name of the service on a port. */
  getservbyport(port: number, proto?: string | CallOptions, options?: CallOptions): string {
    const [p, call] = optionalArgument(proto, options);
    return this.#tableCall(call, () => getservbyport(this.#tables, port, p));
  }

  /** socket.getprotobyname: the number of a protocol. */
  getprotobyname(name: string, options?: CallOptions): number {
    return this.#tableCall(options, () => getprotobyname(this.#tables, name));
  }

  /**
   * glibc's getnetbyname (not in Python; `getent networks NAME` uses it):
   * the first etc/networks entry whose name or an alias is `name`, compared
   * case-insensitively in ASCII, or undefined (glibc's NULL). Files only:
   * an nsswitch `networks:` line is not read (nss_dns's networks lookups
   * are not implemented).
   */
  getnetbyname(name: string, options?: CallOptions): NetworkEntry | undefined {
    return this.#tableCall(options, () => this.#tables.networks().byName(String(name)));
  }

  /**
   * glibc's getnetbyaddr(net, type) (`getent networks NUMBER` uses it):
   * the first etc/networks entry with network number `net` (host byte
   * order, taken modulo 2^32 as C's uint32_t: 127.0.0.0 is 0x7f000000)
   * whose family is `type` (AF_INET, or AF_UNSPEC for any), or undefined.
   */
  getnetbyaddr(net: number, type: number = AF_UNSPEC, options?: CallOptions): NetworkEntry | undefined {
    if (typeof net !== "number" || !Number.isInteger(net)) throw new TypeError(`getnetbyaddr: net must be an integer, not ${String(net)}`);
    return this.#tableCall(options, () => this.#tables.networks().byNumber(net >>> 0, type));
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
    return this.#stack.transport;
  }

  /** The cache the `cache` option turned on, if any. */
  get cache(): DnsCache | undefined {
    return this.#stack.cache;
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
    if (this.#stack.owned) await this.#stack.transport.close();
  }
}
