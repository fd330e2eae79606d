/**
 * glibc's reentrant lookups as CPython calls them: gethostbyname_r,
 * gethostbyname2_r and gethostbyaddr_r (nss/getXXbyYY_r.c with the hosts
 * database's digits-and-dots shortcut, pre- and post-processing).
 */
import { parseInetAtonExact, parseIPv6 } from "../inet.js";
import type { NssStatus } from "../files/nsswitch.js";
import type { LookupContext } from "./context.js";
import { reorderAddresses, trimDomains } from "./hostconf.js";
import { EINVAL } from "./failures.js";
import { HOST_NOT_FOUND, NETDB_INTERNAL, NETDB_SUCCESS, type HostEnt } from "./hostent.js";
import { askSources, type HostsModule, type NssResult, type SourcesQuestion, type SourcesResult } from "./sources.js";

/** The outcome of one of these functions: the hostent, or the h_errno it stored through h_errnop. */
export interface HostLookup {
  status: NssStatus;
  host?: HostEnt;
  herrno?: number;
  /** The errno behind an h_errno of NETDB_INTERNAL. */
  errno?: number;
  servers: string[];
}

/**
 * A malformed nsswitch.conf: glibc cannot load the hosts database, asks no
 * source, and reports NETDB_INTERNAL with errno EINVAL.
 */
function databaseUnavailable(ctx: LookupContext, errnopIsThread: boolean): HostLookup {
  if (errnopIsThread) ctx.thread.hErrno = NETDB_INTERNAL;
  return { status: "unavail", herrno: NETDB_INTERNAL, errno: ctx.nsswitchErrno ?? EINVAL, servers: [] };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isXDigit = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * __nss_hostname_digits_dots: a name made only of digits and dots (not
 * ending in a dot) is an IPv4 address or nothing, and one that looks like
 * IPv6 is an IPv6 address or nothing; undefined for names it leaves to the
 * sources.
 */
export function digitsDots(name: string, family: 4 | 6): HostLookup | undefined {
  const first = name[0];
  if (!(isXDigit(first) || first === ":")) return undefined;
  const notFound: HostLookup = { status: "notfound", herrno: HOST_NOT_FOUND, servers: [] };
  const found = (address: Uint8Array, af: 4 | 6): HostLookup =>
    ({ status: "success", host: { name, aliases: [], family: af, addresses: [address] }, herrno: NETDB_SUCCESS, servers: [] });
  if (isDigit(first) && /^[0-9.]*$/.test(name) && !name.endsWith(".")) {
    const address = family === 4 ? parseInetAtonExact(name) : parseIPv6(name);
    return address === null ? notFound : found(address, family);
  }
  if ((isXDigit(first) && name.includes(":")) || first === ":") {
    if (family === 4) return notFound;
    if (/^[0-9a-fA-F:.]*$/.test(name) && !name.endsWith(".")) {
      const address = parseIPv6(name);
      return address === null ? notFound : found(address, 6);
    }
  }
  return undefined;
}

/**
 * gethostbyname2_r (or, with `family` 4 and `legacy`, gethostbyname_r:
 * the same lookups under another NSS function name). `errnopIsThread`
 * tells whether the caller's h_errnop is the thread's h_errno; `buflen`
 * is the caller's result buffer (unlimited when not given).
 */
export function gethostbyname2R(ctx: LookupContext, name: string, family: 4 | 6, errnopIsThread: boolean, buflen?: number): Promise<HostLookup> {
  const shortcut = digitsDots(name, family);
  if (shortcut !== undefined) {
    if (errnopIsThread && shortcut.herrno !== undefined) ctx.thread.hErrno = shortcut.herrno;
    return Promise.resolve(shortcut);
  }
  if (ctx.nsswitchError !== undefined) return Promise.resolve(databaseUnavailable(ctx, errnopIsThread));
  return askSources(ctx.sources, new HostsQuestion(ctx, name, family, buflen), ctx.thread, errnopIsThread);
}

/** gethostbyaddr_r for 4 or 16 address bytes. */
export function gethostbyaddrR(ctx: LookupContext, address: Uint8Array, errnopIsThread: boolean): Promise<HostLookup> {
  const family = address.length === 4 ? 4 : 6;
  // No query for the unspecified IPv6 address.
  if (family === 6 && address.every((b) => b === 0)) {
    if (errnopIsThread) ctx.thread.hErrno = HOST_NOT_FOUND;
    return Promise.resolve({ status: "notfound", herrno: HOST_NOT_FOUND, servers: [] });
  }
  if (ctx.nsswitchError !== undefined) return Promise.resolve(databaseUnavailable(ctx, errnopIsThread));
  return askSources(ctx.sources, new HostsQuestion(ctx, address, family), ctx.thread, errnopIsThread);
}

/** The sources' answer as the hostent the caller gets: reordered by host.conf, and for gethostbyaddr_r trimmed. */
function hostLookup(ctx: LookupContext, found: SourcesResult<HostEnt>, byAddress: boolean): HostLookup {
  const result: HostLookup = { status: found.status, servers: found.servers };
  if (found.herrno !== undefined) result.herrno = found.herrno;
  if (found.status === "unavail" && found.errno !== undefined) result.errno = found.errno;
  if (found.status === "success") {
    const host = reorderAddresses(found.value!, ctx.hostConf, () => ctx.network.addresses());
    result.host = byAddress ? trimDomains(host, ctx.hostConf) : host;
  }
  return result;
}

/**
 * A question to the sources: gethostbyname2_r's for a name (the modules'
 * byName3, names checked) or gethostbyaddr_r's for an address (byAddr).
 */
class HostsQuestion implements SourcesQuestion<HostEnt, HostLookup> {
  readonly #ctx: LookupContext;
  readonly #target: string | Uint8Array;
  readonly #family: 4 | 6;
  readonly #buflen: number | undefined;

  constructor(ctx: LookupContext, target: string | Uint8Array, family: 4 | 6, buflen?: number) {
    this.#ctx = ctx;
    this.#target = target;
    this.#family = family;
    this.#buflen = buflen;
  }

  ask(module: HostsModule): NssResult<HostEnt> {
    const target = this.#target;
    return typeof target === "string" ? module.byName3(target, this.#family, true, this.#buflen) : module.byAddr(target, this.#family);
  }

  answer(found: SourcesResult<HostEnt>): HostLookup {
    return hostLookup(this.#ctx, found, typeof this.#target !== "string");
  }
}
