/**
 * glibc's reentrant lookups as CPython calls them: gethostbyname_r,
 * gethostbyname2_r and gethostbyaddr_r (nss/getXXbyYY_r.c with the hosts
 * database's digits-and-dots shortcut, pre- and post-processing): their
 * step in the walk over the sources, with getXXbyYY_r's merge rule.
 */
import { attempt } from "../attempt.js";
import { parseInetAtonExact, parseIPv6 } from "../inet.js";
import type { NssStatus } from "../files/nsswitch.js";
import type { LookupContext } from "./context.js";
import { reorderAddresses, trimDomains } from "./hostconf.js";
import { EAGAIN, EINVAL } from "./failures.js";
import { HOST_NOT_FOUND, NETDB_INTERNAL, NETDB_SUCCESS, NO_RECOVERY, type HostEnt, type NssOutcome } from "./hostent.js";
import { recordHErrno, walkSources, type ConfiguredSource, type HostsModule, type NssResult, type SourceStep } from "./sources.js";

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
  return askSources(ctx, new HostsStep(ctx, name, family, errnopIsThread, buflen));
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
  return askSources(ctx, new HostsStep(ctx, address, family, errnopIsThread));
}

/** The walk over the sources for one of these lookups; never throws: a failure is a rejection. */
function askSources(ctx: LookupContext, step: HostsStep): Promise<HostLookup> {
  return attempt(() => walkSources(ctx.sources, step));
}

/** What the walk over the sources found. */
interface SourcesResult {
  status: NssStatus;
  value?: HostEnt;
  canon?: string;
  /** The last h_errno a source stored through its h_errnop argument. */
  herrno?: number;
  /** The errno the loop set (EINVAL from a merge) or a source left (EAGAIN for {@link NssOutcome.errnoLeft}): the function then fails even with an UNAVAIL. */
  errno?: number;
  /** True once any source was asked (glibc's any_service). */
  anyService: boolean;
  /** Servers asked by the dns source, for error context. */
  servers: string[];
}

/** The sources' answer as the hostent the caller gets: reordered by host.conf, and for gethostbyaddr_r trimmed. */
function hostLookup(ctx: LookupContext, found: SourcesResult, byAddress: boolean): HostLookup {
  const result: HostLookup = { status: found.status, servers: found.servers };
  if (found.herrno !== undefined) result.herrno = found.herrno;
  if (found.status === "unavail" && found.errno !== undefined) result.errno = found.errno;
  if (found.status === "success") {
    const host = reorderAddresses(found.value!, ctx.hostConf, () => ctx.network.addresses());
    result.host = byAddress ? trimDomains(host, ctx.hostConf) : host;
  }
  return result;
}

/** What a source that answered SUCCESS with a `merge` action left in the caller's buffer. */
interface Merging {
  value: HostEnt | undefined;
  canon: string | undefined;
}

/**
 * getXXbyYY_r's step in the walk over the sources: gethostbyname2_r's
 * question for a name (the modules' byName3, names checked) or
 * gethostbyaddr_r's for an address (byAddr), and the loop's bookkeeping
 * of what the sources said.
 */
class HostsStep implements SourceStep<NssOutcome<HostEnt>, HostLookup> {
  readonly #ctx: LookupContext;
  readonly #target: string | Uint8Array;
  readonly #family: 4 | 6;
  readonly #errnopIsThread: boolean;
  readonly #buflen: number | undefined;
  readonly #result: SourcesResult = { status: "unavail", anyService: false, servers: [] };
  #merging: Merging | undefined;

  constructor(ctx: LookupContext, target: string | Uint8Array, family: 4 | 6, errnopIsThread: boolean, buflen?: number) {
    this.#ctx = ctx;
    this.#target = target;
    this.#family = family;
    this.#errnopIsThread = errnopIsThread;
    this.#buflen = buflen;
  }

  next(): boolean {
    return true;
  }

  ask(_source: ConfiguredSource, module: HostsModule): NssResult<HostEnt> {
    this.#result.anyService = true;
    const target = this.#target;
    return typeof target === "string" ? module.byName3(target, this.#family, true, this.#buflen) : module.byAddr(target, this.#family);
  }

  lacking(): void {
    // Skipped: nothing of it is recorded.
  }

  /** Records what one source said. */
  take(source: ConfiguredSource, outcome: NssOutcome<HostEnt>): NssStatus | undefined {
    const result = this.#result;
    recordHErrno(this.#ctx.thread, outcome, this.#errnopIsThread);
    result.status = outcome.status;
    result.value = outcome.value;
    result.canon = outcome.canon;
    if (outcome.herrno !== undefined) result.herrno = outcome.herrno;
    if (outcome.fileErrno !== undefined) result.errno = outcome.fileErrno;
    else if (outcome.errnoLeft === true) result.errno = EAGAIN;
    if (outcome.servers !== undefined) result.servers.push(...outcome.servers);
    if (this.#merging !== undefined) this.#merge(this.#merging);
    if (result.status === "success" && source.actions.success === "merge") this.#startMerge();
    // A buffer too small ends the loop whatever the action says: the caller is to retry with a larger one.
    if (outcome.status === "tryagain" && outcome.herrno === NETDB_INTERNAL && outcome.errno === "ERANGE") return undefined;
    return result.status;
  }

  merging(): void {
    // getXXbyYY_r merges as it takes a SUCCESS answer, before the action is followed.
  }

  /**
   * A `[SUCCESS=merge]` source: glibc copies its answer aside to merge with
   * the next one, but the hosts database has no copy function (that one
   * fails with EINVAL), so the status becomes UNAVAIL and the source's
   * UNAVAIL action decides whether the next source is asked.
   */
  #startMerge(): void {
    const result = this.#result;
    this.#merging = { value: result.value, canon: result.canon };
    this.#failMerge();
  }

  /**
   * The source after a merging one. Its SUCCESS cannot be merged (EINVAL,
   * UNAVAIL, merging over); any other status turns into SUCCESS with what
   * the caller's buffer still holds. glibc returns that buffer as it is:
   * nss_dns leaves the merging source's answer there, which is what this
   * returns; nss_files, failing, leaves the last hosts line it read (not
   * modelled).
   */
  #merge(merging: Merging): void {
    const result = this.#result;
    if (result.status === "success") {
      this.#merging = undefined;
      this.#failMerge();
      return;
    }
    result.status = "success";
    result.value = merging.value;
    result.canon = merging.canon;
  }

  #failMerge(): void {
    this.#result.status = "unavail";
    this.#result.errno = EINVAL;
  }

  end(): HostLookup {
    const result = this.#result;
    if (result.status !== "success" && !result.anyService) {
      result.herrno = NO_RECOVERY;
      if (this.#errnopIsThread) this.#ctx.thread.hErrno = NO_RECOVERY;
    }
    return hostLookup(this.#ctx, result, typeof this.#target !== "string");
  }
}
