/**
 * Plain data types shared across layers: what the /etc parsers produce and
 * what the DNS layer consumes and returns. No behaviour lives here.
 */
import type { DnsMessage } from "./dns/message.js";

/** One line of /etc/hosts. */
export interface HostEntry {
  /** Address in canonical text form (`inet_ntop` output). */
  address: string;
  /** 4 or 6. */
  family: 4 | 6;
  /** The first name on the line, as written. */
  canonical: string;
  /** The other names on the line, as written, in order. */
  aliases: string[];
}

/** One line of /etc/services. */
export interface ServiceEntry {
  name: string;
  port: number;
  /** Lower-case protocol name as written, e.g. "tcp". */
  proto: string;
  aliases: string[];
}

/** One line of /etc/protocols. */
export interface ProtocolEntry {
  name: string;
  number: number;
  aliases: string[];
}

/** One line of /etc/networks: glibc's `struct netent`. */
export interface NetworkEntry {
  name: string;
  aliases: string[];
  /** The network number in host byte order, 0 to 2^32 - 1: 127.0.0.0 is 0x7f000000. */
  net: number;
  /** Always AF_INET (2): nss_files reads IPv4 networks only. */
  addrtype: number;
}

/** A nameserver to ask. */
export interface NameServer {
  /** IPv4 or IPv6 address text, without brackets or scope. */
  address: string;
  /** UDP/TCP port, 53 unless configured otherwise. */
  port: number;
  /** 4 or 6. */
  family: 4 | 6;
  /** Interface name or number of a scoped IPv6 address (`fe80::1%eth0`). */
  scope?: string;
  /** The local address queries to it are sent from (node:dns's `setLocalAddress`); default: the system's choice. */
  source?: string;
  /**
   * DNS over TLS or over HTTPS instead of plain UDP/TCP: a `tls://` or
   * `https://` nameserver (docs/encrypted.md). For DoH by host name,
   * `address` is that name, resolved through the bootstrap servers.
   */
  encrypted?: EncryptedServer;
}

/** How an encrypted nameserver is reached (server-uri.ts reads them from URIs). */
export interface EncryptedServer {
  /** `tls`: DNS over TLS (RFC 7858); `https`: DNS over HTTPS (RFC 8484). */
  scheme: "tls" | "https";
  /** The URI as given: the server's label in traces and errors. */
  uri: string;
  /** The name the certificate must be for, sent as SNI when it is a host name: `?name=`, else the URI's host. */
  name: string;
  /**
   * RFC 8310's usage profile. `strict` (the default): a server whose
   * certificate does not check fails, as a server that does not answer.
   * `opportunistic` (DoT only): the certificate is not checked, and a
   * server that cannot be reached over TLS is asked in clear on port 53.
   */
  profile: "strict" | "opportunistic";
  /** DoH: the URL queries go to (without the fragment). */
  url?: string;
  /** DoH: POST (the default) or GET with `?dns=`. */
  method?: "POST" | "GET";
  /** DoH: HTTP/2 (`2`, the default), HTTP/1.1 (`1.1`), or the global `fetch` (`fetch`). */
  http?: "2" | "1.1" | "fetch";
}

/** The effective resolver configuration (resolv.conf + environment + options). */
export interface ResolvConf {
  /** At most three, as glibc (MAXNS). Empty means "127.0.0.1:53", as glibc. */
  nameservers: NameServer[];
  /**
   * Search domains in order, as written (a trailing dot is kept). Not capped:
   * glibc >= 2.26 searches every domain of the line, past MAXDNSRCH (6).
   */
  search: string[];
  ndots: number;
  /** Per-try timeout in milliseconds (resolv.conf gives seconds; default 5000). */
  timeout: number;
  /** Tries per server (default 2). */
  attempts: number;
  rotate: boolean;
  edns0: boolean;
  /**
   * The UDP payload size an OPT record advertises: glibc 2.36's 1200
   * unless set (a Resolver's `ednsPayloadSize`, a departure).
   */
  ednsPayloadSize?: number;
  /**
   * Ask a server that answered FORMERR to an EDNS0 query again at once
   * without the OPT record (a Resolver's `ednsFallback`, a departure: glibc
   * 2.36 takes the FORMERR as the answer).
   */
  ednsFallback?: boolean;
  singleRequest: boolean;
  singleRequestReopen: boolean;
  /** `use-vc`: always TCP. */
  useVc: boolean;
  /** `no-aaaa`: suppress AAAA queries (glibc 2.36+). */
  noAaaa: boolean;
  trustAd: boolean;
  /** `no-tld-query` / `no_tld_query`: never ask for a single-label name as is. */
  noTldQuery?: boolean;
  /** `no-reload`: keep the configuration read first, even if the file changes. */
  noReload?: boolean;
  /**
   * When `nameservers` are encrypted ones from `# netdb: nameserver URI`
   * lines, the plain `nameserver` lines, which resolve a DoH server's host
   * name (docs/encrypted.md).
   */
  bootstrap?: NameServer[];
  /** `sortlist`: the order gethostbyname(_ex) and getaddrinfo(AF_INET) give IPv4 answers from DNS. */
  sortlist?: SortlistEntry[];
  /**
   * Set when resolv.conf exists but could not be read (a directory, or
   * netdb's EINVAL / EFBIG, see src/files/source.ts): glibc's res_init then
   * fails, and nss_dns with it (UNAVAIL, NETDB_INTERNAL, this errno). An
   * unreadable file (EACCES) is not one: glibc then uses its defaults.
   */
  failure?: FileFailure;
  /**
   * HOSTALIASES: the file's aliases (src/files/hostaliases.ts), folded
   * alias to the name queried instead ("" for none); res_search asks them
   * for names without a dot.
   */
  hostAliases?: ReadonlyMap<string, string>;
}

/** One `sortlist` network: an IPv4 address and mask, as unsigned 32-bit numbers. */
export interface SortlistEntry {
  address: number;
  mask: number;
}

/** What a source of an nsswitch database can report. */
export type NssStatus = "success" | "notfound" | "unavail" | "tryagain";

/** What the lookup does next after a source reports a status (`[NOTFOUND=return]`). */
export type NssAction = "return" | "continue" | "merge";

/** One source of an nsswitch database with its action for every status. */
export interface NssSource {
  /** e.g. "files", "dns", "mdns4_minimal". */
  name: string;
  /** glibc's defaults: return on success, continue otherwise, changed by `[...]` items. */
  actions: Record<NssStatus, NssAction>;
}

/** Sources for one nsswitch database, in order. */
/**
 * Why an /etc file that exists gives no text: the errno glibc would see,
 * or netdb's own EINVAL (no regular file) or EFBIG (too large); see
 * src/files/source.ts.
 */
export interface FileFailure {
  /** Linux errno number, e.g. 13. */
  errno: number;
  /** Its name, e.g. "EACCES". */
  code: string;
}

export interface NsswitchConf {
  /** e.g. ["files", "dns"] for `hosts: files dns`. Unknown sources are kept. */
  hosts: string[];
  /** The same sources with their actions (parseNsswitch always sets it). */
  hostsSources?: NssSource[];
  /**
   * Set when glibc would reject the whole file (a malformed `[...]` item on
   * a known database's line); glibc then fails every lookup with EINVAL.
   */
  error?: string;
  /** The errno of that failure when it is not EINVAL (EISDIR: nsswitch.conf is a directory). */
  errno?: number;
}

/** One DNS question. Names are ASCII (A-labels), without trailing dot. */
export interface Question {
  name: string;
  /** Record type name as dns-packet spells it: "A", "AAAA", "PTR", ... */
  type: string;
  /** Class name, "IN" unless stated. */
  class?: string;
}

/** Which way a message travelled. */
export type Protocol = "udp" | "tcp";

/** One exchange the DNS client asks a transport to perform. */
export interface TransportRequest {
  server: NameServer;
  protocol: Protocol;
  /** The encoded query (without TCP length prefix). */
  message: Uint8Array;
  /** The query's 16-bit ID: responses with another ID are ignored. */
  id: number;
  /** The question asked: responses for another question are ignored. */
  question: Question;
  /** Give up after this many milliseconds. */
  timeout: number;
  /** Ends the exchange early: it rejects with the signal's reason. */
  signal?: ExchangeSignal;
}

/**
 * What a transport reads of the signal that ends an exchange early. An
 * AbortSignal has all of it; the DNS client passes a lighter object of its
 * own per try (dns/cancel.ts).
 */
export interface ExchangeSignal {
  readonly aborted: boolean;
  /** Why it was aborted: what the exchange rejects with. */
  readonly reason: unknown;
  addEventListener(type: "abort", listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

/** A function, or an object with `handleEvent` (which saves a closure per listener), as EventTarget takes them. */
export type AbortListener = (() => void) | { handleEvent(): void };

/** A response accepted by a transport (already matched to the request). */
export interface TransportResponse {
  /** The raw response bytes (without TCP length prefix). */
  message: Uint8Array;
  protocol: Protocol;
  /** Round-trip time in milliseconds. */
  rtt: number;
  /**
   * `message` decoded, when the transport decoded it already to match it to
   * the query (UDP and TCP do); the client then does not decode it again.
   */
  decoded?: DnsMessage;
}

/**
 * Moves DNS messages: the only layer with sockets. Rejects with a
 * `TransportError` on timeout, abort, network error or a malformed frame.
 */
export interface Transport {
  exchange(request: TransportRequest): Promise<TransportResponse>;
  /** Releases every socket and timer; the transport is unusable afterwards. */
  close(): Promise<void>;
}

/** Steps of a lookup, reported to an optional observer (the CLI's --trace). */
export type TraceEvent =
  | { kind: "source"; source: string; name: string; result: "found" | "notfound" | "unavailable" | "tryagain" }
  | { kind: "search"; name: string; candidates: string[] }
  | { kind: "query"; name: string; type: string; server: string; protocol: Protocol; edns: boolean }
  | { kind: "response"; name: string; type: string; server: string; protocol: Protocol; rtt: number; rcode: string; truncated: boolean; answers: number; records: TracedRecord[] }
  | { kind: "error"; name: string; type: string; server: string; protocol: Protocol; error: string }
  | { kind: "sort"; before: string[]; after: string[] }
  | { kind: "note"; text: string };

/** A record of a traced response: its section, owner (no trailing dot), TTL, type and RDATA in dig's presentation format. */
export interface TracedRecord {
  section: "answer" | "authority" | "additional";
  name: string;
  ttl: number;
  type: string;
  data: string;
}

/** Receives trace events. */
export type Tracer = (event: TraceEvent) => void;
