/**
 * glibc's reentrant lookups as CPython calls them: gethostbyname_r,
 * gethostbyname2_r and gethostbyaddr_r (nss/getXXbyYY_r.c with the hosts
 * database's digits-and-dots shortcut, pre- and post-processing): their
 * step in the walk over the sources, with getXXbyYY_r's merge rule.
 */
import { parseInetAtonExact, parseIPv6 } from "../inet.js";
import type { NssStatus } from "../files/nsswitch.js";
import type { LookupContext } from "./context.js";
import { reorderAddresses, trimDomains } from "./hostconf.js";
import { EAGAIN, EINVAL } from "./failures.js";
import { HOST_NOT_FOUND, NETDB_INTERNAL, NETDB_SUCCESS, NO_RECOVERY, type HostEnt, type NssOutcome } from "./hostent.js";
import { toSink, viaSink, type Reader, type Sink } from "../sink.js";
import { nssStatusCode, recordHErrno, statusAt, withStatusAt, SourcesWalk, withServers, type ConfiguredSource, type HostsModule } from "./sources.js";

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
const isXDigit = (c: string | undefined): boolean => c !== undefined && ((c >= "0" && c <= "9") || (c >= "a" && c <= "f") || (c >= "A" && c <= "F"));

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
 * the same lookups under another NSS function name), reporting to `sink`.
 * `errnopIsThread` tells whether the caller's h_errnop is the thread's
 * h_errno; `buflen` is the caller's result buffer (unlimited when
 * undefined). Never throws.
 */
export function gethostbyname2RTo(
  ctx: LookupContext, name: string, family: 4 | 6, errnopIsThread: boolean, buflen: number | undefined, sink: Sink<HostLookup>,
): void {
  gethostbyname2RVia(ctx, name, family, errnopIsThread, buflen, toSink<HostLookup>(), sink);
}

/** {@link gethostbyname2RTo} reporting to `reader` about the caller's state `to` (no object of the caller's for the answer). */
export function gethostbyname2RVia<S>(
  ctx: LookupContext, name: string, family: 4 | 6, errnopIsThread: boolean, buflen: number | undefined, reader: Reader<HostLookup, S>, to: S,
): void {
  const shortcut = digitsDots(name, family);
  if (shortcut !== undefined) {
    if (errnopIsThread && shortcut.herrno !== undefined) ctx.thread.hErrno = shortcut.herrno;
    reader.done(shortcut, to);
  } else if (ctx.nsswitchError !== undefined) {
    reader.done(databaseUnavailable(ctx, errnopIsThread), to);
  } else {
    new HostsStep(ctx, name, family, errnopIsThread, buflen, reader, to).walk();
  }
}

/** {@link gethostbyname2RTo} as a promise, for the lookups that are no hot path. */
export function gethostbyname2R(ctx: LookupContext, name: string, family: 4 | 6, errnopIsThread: boolean, buflen?: number): Promise<HostLookup> {
  return viaSink((sink) => gethostbyname2RTo(ctx, name, family, errnopIsThread, buflen, sink));
}

/** gethostbyaddr_r for 4 or 16 address bytes, reporting to `sink`. Never throws. */
export function gethostbyaddrRTo(ctx: LookupContext, address: Uint8Array, errnopIsThread: boolean, sink: Sink<HostLookup>): void {
  const family = address.length === 4 ? 4 : 6;
  // No query for the unspecified IPv6 address.
  if (family === 6 && address.every((b) => b === 0)) {
    if (errnopIsThread) ctx.thread.hErrno = HOST_NOT_FOUND;
    sink.done({ status: "notfound", herrno: HOST_NOT_FOUND, servers: [] });
  } else if (ctx.nsswitchError !== undefined) {
    sink.done(databaseUnavailable(ctx, errnopIsThread));
  } else {
    new HostsStep(ctx, address, family, errnopIsThread, undefined, toSink<HostLookup>(), sink).walk();
  }
}

/** {@link gethostbyaddrRTo} as a promise, for the lookups that are no hot path. */
export function gethostbyaddrR(ctx: LookupContext, address: Uint8Array, errnopIsThread: boolean): Promise<HostLookup> {
  return viaSink((sink) => gethostbyaddrRTo(ctx, address, errnopIsThread, sink));
}

/** What a source that answered left in the caller's buffer (its outcome, or what a merge kept of one). */
interface Answer {
  value?: HostEnt | undefined;
  canon?: string | undefined;
}

/** {@link HostsStep}'s flags: the question is for IPv6... */
const FAMILY6 = 1;
/** ...the caller's h_errnop is the thread's h_errno... */
const ERRNOP_IS_THREAD = 2;
/** ...a source was asked (glibc's any_service). */
const ANY_SERVICE = 4;
/** Above the flags: the last h_errno a source stored through its h_errnop, plus HERRNO_BIAS (0: none). */
const HERRNO_SHIFT = 3;
const HERRNO_BIAS = 2;
const HERRNO_MASK = 7 << HERRNO_SHIFT;
/** Above that: the loop's status ({@link statusAt}). */
const STATUS_SHIFT = 6;
/**
 * Above that: the errno the loop set (EINVAL from a merge) or a source
 * left (EAGAIN for {@link NssOutcome.errnoLeft}), 0 for none; the function
 * then fails even with an UNAVAIL.
 */
const ERRNO_SHIFT = 9;

/**
 * getXXbyYY_r's step in the walk over the sources: gethostbyname2_r's
 * question for a name (the modules' byName3, names checked) or
 * gethostbyaddr_r's for an address (byAddr), and the loop's bookkeeping
 * of what the sources said, kept in the step itself (one object per
 * lookup in flight, its small numbers packed in one field).
 */
class HostsStep extends SourcesWalk<HostEnt, HostLookup> {
  readonly #ctx: LookupContext;
  readonly #target: string | Uint8Array;
  readonly #buflen: number | undefined;
  /** The bits above: family, h_errnop, any_service, the last h_errno, the status and the errno. */
  #bits: number;
  /** What the last source answered, or what a merge kept. */
  #answer: Answer | undefined;
  /** Servers asked by the dns source, for error context ({@link withServers}). */
  #servers: string[] | undefined;
  #merging: Answer | undefined;

  constructor(ctx: LookupContext, target: string | Uint8Array, family: 4 | 6, errnopIsThread: boolean, buflen: number | undefined, reader: Reader<HostLookup, never>, to: unknown) {
    super(reader, to);
    this.#ctx = ctx;
    this.#target = target;
    this.#buflen = buflen;
    this.#bits = (family === 6 ? FAMILY6 : 0) | (errnopIsThread ? ERRNOP_IS_THREAD : 0) | (nssStatusCode("unavail") << STATUS_SHIFT);
  }

  private get status(): NssStatus {
    return statusAt(this.#bits, STATUS_SHIFT)!;
  }

  private set status(status: NssStatus) {
    this.#bits = withStatusAt(this.#bits, STATUS_SHIFT, status);
  }

  private get family(): 4 | 6 {
    return (this.#bits & FAMILY6) !== 0 ? 6 : 4;
  }

  private get errnopIsThread(): boolean {
    return (this.#bits & ERRNOP_IS_THREAD) !== 0;
  }

  private get herrno(): number | undefined {
    const biased = (this.#bits & HERRNO_MASK) >> HERRNO_SHIFT;
    return biased === 0 ? undefined : biased - HERRNO_BIAS;
  }

  private set herrno(herrno: number) {
    this.#bits = (this.#bits & ~HERRNO_MASK) | ((herrno + HERRNO_BIAS) << HERRNO_SHIFT);
  }

  private get errno(): number | undefined {
    const errno = this.#bits >> ERRNO_SHIFT;
    return errno === 0 ? undefined : errno;
  }

  private set errno(errno: number) {
    this.#bits = (this.#bits & ((1 << ERRNO_SHIFT) - 1)) | (errno << ERRNO_SHIFT);
  }

  protected sources(): readonly ConfiguredSource[] {
    return this.#ctx.sources;
  }

  protected next(): boolean {
    return true;
  }

  protected ask(module: HostsModule): void {
    this.#bits |= ANY_SERVICE;
    const target = this.#target;
    if (typeof target === "string") module.byName3(target, this.family, true, this.#buflen, this);
    else module.byAddr(target, this.family, this);
  }

  protected lacking(): void {
    // Skipped: nothing of it is recorded.
  }

  /** Records what one source said. */
  protected take(source: ConfiguredSource, outcome: NssOutcome<HostEnt>): NssStatus | undefined {
    recordHErrno(this.#ctx.thread, outcome, this.errnopIsThread);
    this.status = outcome.status;
    // Kept only when it holds an answer: an earlier source's NOTFOUND would otherwise live as long as the lookup.
    this.#answer = outcome.value === undefined && outcome.canon === undefined ? undefined : outcome;
    if (outcome.herrno !== undefined) this.herrno = outcome.herrno;
    if (outcome.fileErrno !== undefined) this.errno = outcome.fileErrno;
    else if (outcome.errnoLeft === true) this.errno = EAGAIN;
    this.#servers = withServers(this.#servers, outcome);
    if (this.#merging !== undefined) this.merge(this.#merging);
    if (this.status === "success" && source.actions.success === "merge") this.startMerge();
    // A buffer too small ends the loop whatever the action says: the caller is to retry with a larger one.
    if (outcome.status === "tryagain" && outcome.herrno === NETDB_INTERNAL && outcome.errno === "ERANGE") return undefined;
    return this.status;
  }

  protected merging(): void {
    // getXXbyYY_r merges as it takes a SUCCESS answer, before the action is followed.
  }

  /**
   * A `[SUCCESS=merge]` source: glibc copies its answer aside to merge with
   * the next one, but the hosts database has no copy function (that one
   * fails with EINVAL), so the status becomes UNAVAIL and the source's
   * UNAVAIL action decides whether the next source is asked.
   */
  private startMerge(): void {
    this.#merging = this.#answer;
    this.failMerge();
  }

  /**
   * The source after a merging one. Its SUCCESS cannot be merged (EINVAL,
   * UNAVAIL, merging over); any other status turns into SUCCESS with what
   * the caller's buffer still holds. glibc returns that buffer as it is:
   * nss_dns leaves the merging source's answer there, which is what this
   * returns; nss_files, failing, leaves the last hosts line it read (not
   * modelled).
   */
  private merge(merging: Answer): void {
    if (this.status === "success") {
      this.#merging = undefined;
      this.failMerge();
      return;
    }
    this.status = "success";
    this.#answer = merging;
  }

  private failMerge(): void {
    this.status = "unavail";
    this.errno = EINVAL;
  }

  /** The sources' answer as the hostent the caller gets: reordered by host.conf, and for gethostbyaddr_r trimmed. */
  protected end(): HostLookup {
    const ctx = this.#ctx;
    if (this.status !== "success" && (this.#bits & ANY_SERVICE) === 0) {
      this.herrno = NO_RECOVERY;
      if (this.errnopIsThread) ctx.thread.hErrno = NO_RECOVERY;
    }
    const result: HostLookup = { status: this.status, servers: this.#servers ?? [] };
    if (this.herrno !== undefined) result.herrno = this.herrno;
    if (this.status === "unavail" && this.errno !== undefined) result.errno = this.errno;
    if (this.status === "success") {
      const host = reorderAddresses(this.#answer!.value!, ctx.hostConf, () => ctx.network.addresses());
      result.host = typeof this.#target !== "string" ? trimDomains(host, ctx.hostConf) : host;
    }
    return result;
  }
}
