/**
 * netdb: the lookups of Python's socket module (and C's netdb.h) without
 * the OS resolver. The functions here use a default {@link Resolver} built
 * on first use from the system's /etc files; build your own Resolver to
 * use other files, servers or options. Importing this module does nothing
 * else: no file is read and no socket opened until a function is called.
 */
import type { AddrInfo } from "./lookup/addrinfo.js";
import type { HostTuple } from "./lookup/gethost-common.js";
import type { CallOptions, GetaddrinfoRest } from "./call.js";
import { Resolver } from "./resolver.js";

export * from "./constants.js";
export { SocketError, GaiError, HError, error, gaierror, herror, type ErrorContext } from "./errors.js";
export { inet_aton, inet_ntoa, inet_pton, inet_ntop } from "./inet.js";
export { Resolver } from "./resolver.js";
export type { ResolverOptions } from "./options.js";
export type { CallOptions, GetaddrinfoRest } from "./call.js";
export type { AddrInfo, SockAddr } from "./lookup/addrinfo.js";
export type { HostTuple } from "./lookup/gethost-common.js";
export type { Destination, InterfaceAddress, NetworkEnvironment } from "./lookup/environment.js";
export type { HostEntry } from "./files/hosts.js";
export type { NetworkEntry } from "./files/networks.js";
export type { EncryptedServer, NameServer } from "./dns/server.js";
export type { ResolvConf } from "./files/resolvconf.js";
export type { Question, Protocol } from "./dns/question.js";
export type { AbortListener, ExchangeSignal, ExchangeSink, Transport, TransportRequest, TransportResponse } from "./dns/transport/transport.js";
export type { TraceEvent, TracedRecord, Tracer } from "./trace.js";
export type { DnsMessage, Edns, RecordData, ResourceRecord } from "./dns/message.js";
export type { HostsTable } from "./files/hosts.js";
export type { EtcFileName } from "./files/source.js";
export { openWorld, recordWorld, type World, type WorldOptions, type WorldRecording, type RecordWorldOptions } from "./world.js";
export { ReplayTransport, ReplayMissError, type ReplayOptions } from "./dns/transport/replay.js";
export { RecordTransport, type RecordOptions } from "./dns/transport/record.js";
export type { AnsweredExchange, FailedExchange, RecordedExchange } from "./dns/transport/exchange-log.js";

let defaultResolver: Resolver | undefined;

/** The Resolver behind the module functions, built from the system on first use. */
export function getDefaultResolver(): Resolver {
  defaultResolver ??= new Resolver();
  return defaultResolver;
}

/** socket.gethostname: the host name (`os.hostname()` for the default resolver). */
export function gethostname(): string {
  return getDefaultResolver().gethostname();
}

/** socket.gethostbyname: one IPv4 address for a name. */
export function gethostbyname(name: string, options?: CallOptions): Promise<string> {
  return getDefaultResolver().gethostbyname(name, options);
}

/** socket.gethostbyname_ex: `[canonical, aliases, addresses]`, IPv4 only. */
export function gethostbyname_ex(name: string, options?: CallOptions): Promise<HostTuple> {
  return getDefaultResolver().gethostbyname_ex(name, options);
}

/** socket.gethostbyaddr: `[hostname, aliases, addresses]` for an address (IPv4 or IPv6) or a name. */
export function gethostbyaddr(ipOrName: string, options?: CallOptions): Promise<HostTuple> {
  return getDefaultResolver().gethostbyaddr(ipOrName, options);
}

/** socket.getfqdn: a fully qualified name for `name`, this host by default; never rejects for a failed lookup. */
export function getfqdn(name?: string | CallOptions, options?: CallOptions): Promise<string> {
  return getDefaultResolver().getfqdn(name, options);
}

/** socket.getaddrinfo: `[family, type, proto, canonname, sockaddr]` tuples in glibc's order. */
export function getaddrinfo(
  host: string | null, port: string | number | null, family?: number, type?: number, proto?: number, flags?: number, options?: CallOptions,
): Promise<AddrInfo[]>;
export function getaddrinfo(host: string | null, port: string | number | null, ...rest: GetaddrinfoRest): Promise<AddrInfo[]>;
export function getaddrinfo(...args: unknown[]): Promise<AddrInfo[]> {
  const resolver = getDefaultResolver() as unknown as { getaddrinfo(...a: unknown[]): Promise<AddrInfo[]> };
  return resolver.getaddrinfo(...args);
}

/** socket.getnameinfo: `[host, service]` for a sockaddr. */
export function getnameinfo(
  sockaddr: [string, number] | [string, number, number] | [string, number, number, number], flags: number, options?: CallOptions,
): Promise<[string, string]> {
  return getDefaultResolver().getnameinfo(sockaddr, flags, options);
}

/** socket.getservbyname: the port of a service. */
export function getservbyname(name: string, proto?: string): number {
  return getDefaultResolver().getservbyname(name, proto);
}

/** socket.getservbyport: the name of the service on a port. */
export function getservbyport(port: number, proto?: string): string {
  return getDefaultResolver().getservbyport(port, proto);
}

/** socket.getprotobyname: the number of a protocol. */
export function getprotobyname(name: string): number {
  return getDefaultResolver().getprotobyname(name);
}

// Node integration (src/node/, docs/node.md): drop-ins for node:dns and the
// dual-stack helpers. Nothing runs at import: `lookup` builds the default
// Resolver on its first call.
import { createLookup, type Lookup } from "./node/lookup.js";
export { createLookup, type Lookup, type LookupOneCallback, type LookupAllCallback, type LookupPromise, type AddrInfoSource, type ResultOrder } from "./node/lookup.js";
export { PromisesResolver, type PromisesResolverOptions, type ResolverParts } from "./node/promises-resolver.js";
export { DnsCache, type DnsCacheOptions, type DnsCacheStats, type CacheOption } from "./dns/cache.js";
export { interleaveFamilies, configuredFamilies, filterAddrconfig, type Familied } from "./node/happy-eyeballs.js";
export type { NodeDnsError } from "./node/errors.js";
export { createDns, type NodeDnsModule, type NodeDnsPromisesModule, type DnsSource } from "./node/create-dns.js";
/** `dns.lookup` with the same signature and results, answered by the default Resolver (for `net`, `http`, undici). */
export const lookup: Lookup = createLookup(getDefaultResolver);
