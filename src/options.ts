/**
 * How a Resolver is built, and the part of it laid over resolv.conf: the
 * options win over the file, field by field, as c-ares'
 * ares_sysconfig_apply lays ares_init_options over the system's.
 */
import type { CacheOption } from "./dns/cache.js";
import type { Transport } from "./dns/transport/transport.js";
import type { ResolvConfOverlay } from "./files/config.js";
import type { NameServer } from "./dns/server.js";
import type { ResolvConf } from "./files/resolvconf.js";
import type { EtcFileName } from "./files/source.js";
import { parseNameServer } from "./lookup/nameserver.js";
import type { NetworkEnvironment } from "./lookup/network.js";
import type { Tracer } from "./trace.js";

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
  /**
   * Name servers overriding resolv.conf: `"127.0.0.1:5353"`, `"[::1]:53"`,
   * `"192.0.2.1"`, and encrypted ones (opt-in; docs/encrypted.md):
   * `"tls://192.0.2.1?name=dns.example"` (DNS over TLS),
   * `"https://dns.example/dns-query"` (DNS over HTTPS).
   */
  nameservers?: string[];
  /**
   * Plain name servers that resolve a DoH server's host name (after the
   * hosts file). Default: resolv.conf's plain `nameserver` lines when it
   * names encrypted servers with `# netdb: nameserver`, else the plain
   * servers among {@link nameservers} or resolv.conf's, else 127.0.0.1.
   */
  bootstrap?: string[];
  /**
   * Trust anchors (PEM) for the certificates of encrypted servers, in
   * place of the system's store (as node:tls's `ca`).
   */
  tlsCa?: string | Buffer | Array<string | Buffer>;
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

/**
 * resolv.conf with `options` on top. The `nameservers` option is parsed
 * here, once, so that servers that cannot be used fail when the Resolver
 * is built, not at its first lookup.
 */
export function resolvConfOverlay(options: ResolverOptions): ResolvConfOverlay {
  const nameservers: readonly NameServer[] | undefined = options.nameservers?.map(parseNameServer);
  return (file) => {
    const o = options;
    const conf: ResolvConf = { ...file };
    if (nameservers !== undefined) conf.nameservers = [...nameservers];
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
  };
}
