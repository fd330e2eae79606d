/**
 * /etc/resolv.conf plus the LOCALDOMAIN and RES_OPTIONS environment
 * variables, read as glibc 2.36's res_init reads them (verified against it
 * line by line, see fixtures/golden/tables.json).
 */
import { cString, formatIPv4, formatIPv6, parseInetAtonExact, parseIPv6, splitScope } from "../inet.js";
import type { NameServer } from "../dns/server.js";
import { isServerUri, parseServerUri } from "../server-uri.js";
import type { FileFailure } from "./failure.js";
import { skipSpace } from "./lines.js";

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

/** glibc's MAXNS: res_send asks at most this many servers. */
export const MAX_NAMESERVERS = 3;
/** glibc's RES_MAXNDOTS, RES_MAXRETRANS (seconds) and RES_MAXRETRY. */
const MAX_NDOTS = 15;
const MAX_TIMEOUT_SECONDS = 30;
const MAX_ATTEMPTS = 5;
const NAMESERVER_PORT = 53;
/** Where glibc sends queries when resolv.conf names no server. */
export const DEFAULT_NAMESERVER: Readonly<NameServer> = { address: "127.0.0.1", port: NAMESERVER_PORT, family: 4 };

/** The environment variables glibc's resolver reads. */
export type ResolverEnv = Readonly<Record<string, string | undefined>>;

/** The boolean `options` and the ResolvConf field each sets, in glibc's matching order. */
const FLAG_OPTIONS: ReadonlyArray<readonly [prefix: string, field: FlagField]> = [
  ["rotate", "rotate"],
  ["edns0", "edns0"],
  ["single-request-reopen", "singleRequestReopen"],
  ["single-request", "singleRequest"],
  ["no_tld_query", "noTldQuery"],
  ["no-tld-query", "noTldQuery"],
  ["no-reload", "noReload"],
  ["use-vc", "useVc"],
  ["trust-ad", "trustAd"],
  ["no-aaaa", "noAaaa"],
];

type FlagField = "rotate" | "edns0" | "singleRequest" | "singleRequestReopen" | "useVc" | "noAaaa" | "trustAd" | "noTldQuery" | "noReload";

/** glibc's settings when resolv.conf says nothing (before the 127.0.0.1 default server is added). */
export function defaultResolvConf(): ResolvConf {
  return {
    nameservers: [],
    search: [],
    ndots: 1,
    timeout: 5000,
    attempts: 2,
    rotate: false,
    edns0: false,
    singleRequest: false,
    singleRequestReopen: false,
    useVc: false,
    noAaaa: false,
    trustAd: false,
    noTldQuery: false,
    noReload: false,
    sortlist: [],
  };
}

/**
 * Parses resolv.conf text (pass `""` for a missing file: glibc treats both
 * alike) into the effective configuration, applying `env.LOCALDOMAIN` and
 * `env.RES_OPTIONS` as glibc does. Never throws. The rules, all glibc's:
 *
 * - A keyword counts only at the very start of a line and followed by a
 *   space or tab; lines starting with `#` or `;` are comments. Nothing else
 *   is a comment: `search a b # c` searches `a`, `b`, `#` and `c`.
 * - `nameserver`: the first word, as an `inet_aton` address without
 *   trailing junk (`127.1` is 127.0.0.1), else IPv6 with an optional
 *   `%scope`. Unparsable ones are skipped; only the first three count.
 *   None at all means 127.0.0.1.
 * - `domain` (its first word) and `search` (words split on spaces and tabs)
 *   each replace the search list: the last such line wins. The list is not
 *   limited to 6 domains or 256 characters (glibc dropped those limits in
 *   2.26). Only space, tab and newline separate: a CRLF file's `\r` stays
 *   part of the last domain, and makes a `nameserver` line unparsable, as in glibc.
 * - `LOCALDOMAIN`, when set (even empty), replaces the search list and
 *   `domain`/`search` lines are ignored; it splits on spaces and tabs, and
 *   a leading separator gives an empty first domain, as in glibc.
 * - With no search list, the domain is what follows the first dot of
 *   `hostname` (glibc calls gethostname(), so pass what it would return);
 *   `"host."` gives the empty domain `""`.
 * - `sortlist`: networks `ADDRESS[/MASK]` (or `&MASK`), each an
 *   `inet_aton` address without junk; a missing or unparsable mask is the
 *   address's class A, B or C mask; entries whose address does not parse
 *   are skipped. Every line adds to the list. A `;` ends the line.
 * - `options` and then `RES_OPTIONS`: `ndots:N` (at most 15), `timeout:N`
 *   (seconds, at most 30), `attempts:N` (at most 5), each read with C's
 *   atoi, so `ndots:3x` is 3 and `timeout:x` is 0; glibc keeps zero and
 *   negative values (res_send waits at least 1 s per try; attempts ≤ 0
 *   sends nothing), and ndots lives in a 4-bit field, so `ndots:-1` is 15.
 *   Flags match by prefix (`rotatefoo` sets rotate); unknown words are ignored.
 * - netdb's one extension, a comment to glibc: `# netdb: nameserver URI`
 *   lines name encrypted servers (server-uri.ts). When there is one, they
 *   (the first three) are the nameservers, and the plain ones become
 *   `bootstrap`, which resolves a DoH server's host name.
 *
 * @param text the file's text
 * @param env the environment (LOCALDOMAIN, RES_OPTIONS); `{}` ignores it
 * @param hostname what gethostname() returns, for the default domain
 */
export function parseResolvConf(text: string, env: ResolverEnv = {}, hostname?: string): ResolvConf {
  const conf = defaultResolvConf();
  const localDomain = env.LOCALDOMAIN;
  if (localDomain !== undefined) conf.search = splitLocalDomain(localDomain);

  const encrypted: NameServer[] = [];
  for (const line of text.split("\n").map(cString)) {
    if (line.startsWith("#")) {
      const server = netdbNameServer(line);
      if (server !== undefined) encrypted.push(server);
      continue;
    }
    if (line.startsWith(";")) continue;
    let rest: string | undefined;
    if ((rest = keywordArgument(line, "domain")) !== undefined) {
      if (localDomain === undefined && rest !== "") conf.search = [rest.slice(0, wordEnd(rest, 0))];
    } else if ((rest = keywordArgument(line, "search")) !== undefined) {
      if (localDomain === undefined && rest !== "") conf.search = splitBlanks(rest);
    } else if ((rest = keywordArgument(line, "nameserver")) !== undefined) {
      const server = parseNameServer(rest.slice(0, wordEnd(rest, 0)));
      if (server !== undefined) conf.nameservers.push(server);
    } else if ((rest = keywordArgument(line, "sortlist")) !== undefined) {
      conf.sortlist!.push(...parseSortlist(rest));
    } else if ((rest = keywordArgument(line, "options")) !== undefined) {
      applyOptions(conf, rest);
    }
  }

  if (conf.nameservers.length === 0) {
    conf.nameservers.push({ ...DEFAULT_NAMESERVER });
  }
  conf.nameservers = conf.nameservers.slice(0, MAX_NAMESERVERS);
  if (encrypted.length > 0) {
    conf.bootstrap = conf.nameservers;
    conf.nameservers = encrypted.slice(0, MAX_NAMESERVERS);
  }
  if (conf.search.length === 0 && hostname !== undefined) {
    const dot = hostname.indexOf(".");
    if (dot !== -1) conf.search = [hostname.slice(dot + 1)];
  }
  const resOptions = env.RES_OPTIONS;
  if (resOptions !== undefined) applyOptions(conf, resOptions);
  return conf;
}

/** Blanks, for resolv.conf: space and tab only. */
function isBlank(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/**
 * If `line` is `keyword` followed by a blank, the rest after the blanks
 * (glibc's MATCH macro); otherwise undefined.
 */
function keywordArgument(line: string, keyword: string): string | undefined {
  if (!line.startsWith(keyword) || !isBlank(line[keyword.length])) return undefined;
  let i = keyword.length;
  while (isBlank(line[i])) i++;
  return line.slice(i);
}

/** Index of the first blank at or after `from` (glibc cuts words at space and tab). */
function wordEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && !isBlank(s[i])) i++;
  return i;
}

/** Words separated by runs of spaces and tabs, dropping empty ones. */
function splitBlanks(s: string): string[] {
  return s.split(/[ \t]+/).filter((word) => word !== "");
}

/** LOCALDOMAIN's list: up to a newline; the first entry is kept even when empty. */
function splitLocalDomain(value: string): string[] {
  const newline = value.indexOf("\n");
  const text = newline === -1 ? value : value.slice(0, newline);
  const firstEnd = wordEnd(text, 0);
  return [text.slice(0, firstEnd), ...splitBlanks(text.slice(firstEnd))];
}

/** One `nameserver` word: inet_aton without junk, else IPv6 with an optional scope. */
function parseNameServer(word: string): NameServer | undefined {
  if (word === "") return undefined;
  const v4 = parseInetAtonExact(word);
  if (v4 !== null) return { address: formatIPv4(v4), port: NAMESERVER_PORT, family: 4 };
  const { address, scope } = splitScope(word);
  const v6 = parseIPv6(address);
  if (v6 === null) return undefined;
  const server: NameServer = { address: formatIPv6(v6), port: NAMESERVER_PORT, family: 6 };
  if (scope !== undefined && scope !== "") server.scope = scope;
  return server;
}

/**
 * The server of a `# netdb: nameserver URI` comment line (netdb's
 * extension, docs/encrypted.md: glibc and every other reader skip it as a
 * comment), or undefined for any other comment and for a URI that does
 * not parse (skipped, as glibc skips a `nameserver` it cannot read).
 */
function netdbNameServer(line: string): NameServer | undefined {
  const match = /^#[ \t]*netdb:[ \t]+nameserver[ \t]+([^ \t]+)/.exec(line);
  if (match === null || !isServerUri(match[1]!)) return undefined;
  try {
    return parseServerUri(match[1]!);
  } catch {
    return undefined;
  }
}

/** C's isspace for the ASCII range, which is all glibc's sortlist loop reads. */
function isCSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
}

/** Where glibc's sortlist loop stops a word: the end, `;`, a non-ASCII character or a space (and, for the address, `/` or `&`). */
function sortWordEnd(s: string, from: number, atMask: boolean): number {
  let i = from;
  while (i < s.length && s[i] !== ";" && s.charCodeAt(i) < 0x80 && !isCSpace(s[i]) && (!atMask || (s[i] !== "/" && s[i] !== "&"))) i++;
  return i;
}

/** An IPv4 address as an unsigned 32-bit number. */
function ipv4Number(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** glibc's net_mask: the classful mask of an address. */
function classMask(address: number): number {
  if (address >>> 31 === 0) return 0xff000000;
  if (address >>> 30 === 2) return 0xffff0000;
  return 0xffffff00;
}

/**
 * The entries of one `sortlist` line (res_init's loop). Where glibc would
 * loop for ever (an address that does not parse, followed by `/` or `&`),
 * the separator is skipped.
 */
function parseSortlist(rest: string): SortlistEntry[] {
  const entries: SortlistEntry[] = [];
  let i = 0;
  for (;;) {
    while (isBlank(rest[i])) i++;
    if (i >= rest.length || rest[i] === "\n" || rest[i] === ";") break;
    const netEnd = sortWordEnd(rest, i, true);
    const net = parseInetAtonExact(rest.slice(i, netEnd));
    i = netEnd;
    const separator = rest[i];
    if (separator === "/" || separator === "&") {
      const maskEnd = sortWordEnd(rest, i + 1, false);
      if (net !== null) {
        const address = ipv4Number(net);
        const mask = parseInetAtonExact(rest.slice(i + 1, maskEnd));
        entries.push({ address, mask: mask === null ? classMask(address) : ipv4Number(mask) });
        i = maskEnd;
      } else i++;
    } else if (net !== null) {
      const address = ipv4Number(net);
      entries.push({ address, mask: classMask(address) });
    } else if (i < rest.length && !isBlank(rest[i]) && rest[i] !== ";" && rest[i] !== "\n") {
      // A space other than a blank, or a non-ASCII character: glibc's loop stays on it for ever.
      i++;
    }
  }
  return entries;
}

/** glibc's res_setoptions over one `options` line or RES_OPTIONS. */
function applyOptions(conf: ResolvConf, options: string): void {
  for (let i = 0; i < options.length; ) {
    while (isBlank(options[i])) i++;
    if (options.startsWith("ndots:", i)) {
      const n = atoi(options, i + "ndots:".length);
      conf.ndots = (n <= MAX_NDOTS ? n : MAX_NDOTS) & 0xf;
    } else if (options.startsWith("timeout:", i)) {
      const n = atoi(options, i + "timeout:".length);
      conf.timeout = (n <= MAX_TIMEOUT_SECONDS ? n : MAX_TIMEOUT_SECONDS) * 1000;
    } else if (options.startsWith("attempts:", i)) {
      const n = atoi(options, i + "attempts:".length);
      conf.attempts = n <= MAX_ATTEMPTS ? n : MAX_ATTEMPTS;
    } else {
      const flag = FLAG_OPTIONS.find(([prefix]) => options.startsWith(prefix, i));
      if (flag !== undefined) conf[flag[1]] = true;
    }
    i = wordEnd(options, i);
  }
}

/**
 * C's `atoi(s + from)`: `(int) strtol(s, NULL, 10)`, so leading whitespace,
 * a sign and digits; strtol saturates at 64 bits and the cast keeps the low 32.
 */
function atoi(s: string, from: number): number {
  let i = skipSpace(s, from);
  const negative = s[i] === "-";
  if (s[i] === "+" || s[i] === "-") i++;
  let value = 0n;
  const limit = negative ? 1n << 63n : (1n << 63n) - 1n;
  for (; i < s.length && s[i] >= "0" && s[i] <= "9"; i++) {
    if (value < limit) value = value * 10n + BigInt(s.charCodeAt(i) - 0x30);
  }
  if (value > limit) value = limit;
  return Number(BigInt.asIntN(32, negative ? -value : value));
}
