/**
 * glibc 2.36's gaih_inet (sysdeps/posix/getaddrinfo.c), the part that
 * finds the addresses of a host: the local addresses for none, numeric
 * hosts, the gethostbyname2_r shortcut for AF_INET, and get_nss_addresses'
 * step in the walk over the hosts sources with its status and no_data
 * bookkeeping, and the IDN forms of the name.
 */
import {
  AF_INET, AF_INET6, AF_UNSPEC, AI_ALL, AI_CANONNAME, AI_NUMERICHOST, AI_PASSIVE, AI_V4MAPPED, EAI_ADDRFAMILY, EAI_AGAIN,
  EAI_IDN_ENCODE, EAI_NODATA, EAI_NONAME, EAI_SYSTEM, NO_DATA, TRY_AGAIN,
} from "../constants.js";
import { isV4Mapped, parseInetAtonExact, parseIPv6, splitScope, v4Mapped } from "../inet.js";
import type { NssStatus } from "../files/nsswitch.js";
import type { LookupContext } from "./context.js";
import { EBUSY, EINVAL, GaiCode } from "./failures.js";
import { gethostbyname2RVia, type HostLookup } from "./gethostby.js";
import { NETDB_INTERNAL, type AddrTuple, type HostEnt, type NssOutcome } from "./hostent.js";
import { idnaToDnsEncoding, isAscii } from "./idna.js";
import { scopeIdFromText } from "./scope.js";
import { toSink, type Reader, type Sink } from "../sink.js";
import { ASKED_AGAIN, nssStatusCode, recordHErrno, statusAt, withStatusAt, SourcesWalk, withServers, type ConfiguredSource, type HostsModule } from "./sources.js";

/** AI_IDN and AI_CANONIDN: the IDN conversions gaih_inet makes of the name and of the canonical name. */
export const AI_IDN = 0x0040;
export const AI_CANONIDN = 0x0080;

/** What gaih_inet reads of the request: the family and the flags. */
export interface GaihRequest {
  family: number;
  flags: number;
}

/** The addresses found for a name, before tuples are made. */
export interface Found {
  tuples: AddrTuple[];
  canon?: string;
  gotIPv6: boolean;
}

/** get_local_addresses: the loopback or wildcard addresses for a null host. */
function localAddresses(req: GaihRequest): AddrTuple[] {
  const passive = (req.flags & AI_PASSIVE) !== 0;
  const tuples: AddrTuple[] = [];
  if (req.family === AF_UNSPEC || req.family === AF_INET6) {
    const v6 = new Uint8Array(16);
    if (!passive) v6[15] = 1;
    tuples.push({ family: 6, address: v6, scopeId: 0 });
  }
  if (req.family === AF_UNSPEC || req.family === AF_INET) {
    tuples.push({ family: 4, address: passive ? new Uint8Array(4) : Uint8Array.of(127, 0, 0, 1), scopeId: 0 });
  }
  return tuples;
}

/**
 * text_to_binary_address: a numeric host as its tuple, undefined for a
 * name, or a GaiCode for a numeric host that cannot be used.
 */
function numericHost(ctx: LookupContext, name: string, req: GaihRequest): Found | undefined {
  const found = (tuple: AddrTuple): Found => {
    const numeric: Found = { tuples: [tuple], gotIPv6: false };
    if ((req.flags & AI_CANONNAME) !== 0) numeric.canon = name;
    return numeric;
  };
  const v4 = parseInetAtonExact(name);
  if (v4 !== null) {
    if (req.family === AF_UNSPEC || req.family === AF_INET) return found({ family: 4, address: v4, scopeId: 0 });
    if (req.family === AF_INET6 && (req.flags & AI_V4MAPPED) !== 0) return found({ family: 6, address: v4Mapped(v4), scopeId: 0 });
    throw new GaiCode(EAI_ADDRFAMILY);
  }
  const { address, scope } = splitScope(name);
  const v6 = parseIPv6(address);
  if (v6 !== null) {
    let tuple: AddrTuple;
    if (req.family === AF_UNSPEC || req.family === AF_INET6) tuple = { family: 6, address: v6, scopeId: 0 };
    else if (req.family === AF_INET && isV4Mapped(v6)) tuple = { family: 4, address: v6.slice(12), scopeId: 0 };
    else throw new GaiCode(EAI_ADDRFAMILY);
    if (scope !== undefined) {
      const scopeId = scopeIdFromText(v6, scope, ctx.network);
      if (scopeId === undefined) throw new GaiCode(EAI_NONAME);
      tuple.scopeId = scopeId;
    }
    return found(tuple);
  }
  if ((req.flags & AI_NUMERICHOST) !== 0) throw new GaiCode(EAI_NONAME);
  return undefined;
}

/** convert_hostent_to_gaih_addrtuple, appending to `found`. */
function appendHostent(found: Found, host: HostEnt, req: GaihRequest): void {
  if (host.addresses.length === 0) return;
  found.gotIPv6 = host.family === 6;
  const mapped = host.family === 4 && req.family === AF_INET6;
  for (const address of host.addresses) {
    found.tuples.push({ family: mapped ? 6 : host.family, address: mapped ? v4Mapped(address) : address, scopeId: 0 });
  }
  found.tuples[found.tuples.length - host.addresses.length]!.name = host.name;
}

/**
 * The addresses of a name that is no numeric host: try_simple_gethostbyname
 * for AF_INET without AI_CANONNAME, which falls back to the hosts sources
 * when it finds no address, else the hosts sources.
 */
function lookupName(caller: GaihCaller, name: string): void {
  const { ctx, req } = caller;
  if (req.family !== AF_INET || (req.flags & AI_CANONNAME) !== 0) sourceLookup(ctx, name, req, caller);
  else gethostbyname2RVia(ctx, name, 4, true, undefined, SIMPLE_LOOKUP, caller);
}

/**
 * try_simple_gethostbyname reading gethostbyname2_r's outcome for its
 * caller: what it makes of it goes to the caller, or the hosts sources
 * are asked (the name is made again from the caller's host: that path is
 * rare, and the caller then holds no name of gaih's).
 */
const SIMPLE_LOOKUP: Reader<HostLookup, GaihCaller> = {
  done(r, caller) {
    let found: Found | undefined;
    let name: string;
    try {
      found = simpleLookupFound(caller.ctx, caller.req, r);
      name = found === undefined ? idnHost(caller.host!, caller.req) : "";
    } catch (err) {
      caller.failed(err);
      return;
    }
    if (found !== undefined) caller.done(found);
    else sourceLookup(caller.ctx, name, caller.req, caller);
  },

  failed(error, caller) {
    caller.failed(error);
  },
};

/** try_simple_gethostbyname's reading of gethostbyname2_r's outcome: undefined to ask the hosts sources. */
function simpleLookupFound(ctx: LookupContext, req: GaihRequest, r: HostLookup): Found | undefined {
  if (r.status === "success") {
    const found: Found = { tuples: [], gotIPv6: false };
    appendHostent(found, r.host!, req);
    return found.tuples.length > 0 ? found : undefined;
  }
  // gethostbyname2_r returns 0 (no error, no result) for NOTFOUND, and
  // also for UNAVAIL unless errno was set, which nss_dns does only with
  // TRY_AGAIN (EAGAIN) or an internal error, and a merge does (EINVAL);
  // TRYAGAIN always returns EAGAIN.
  const herrno = ctx.thread.hErrno;
  const failed = r.status === "tryagain"
    || (r.status === "unavail" && (herrno === TRY_AGAIN || herrno === NETDB_INTERNAL || r.errno !== undefined));
  if (!failed) throw new GaiCode(herrno === NO_DATA ? EAI_NODATA : EAI_NONAME, r.servers);
  if (herrno === NETDB_INTERNAL) throw new GaiCode(EAI_SYSTEM, r.servers, r.errno ?? EBUSY);
  throw new GaiCode(herrno === TRY_AGAIN ? EAI_AGAIN : EAI_NODATA, r.servers);
}

/** The no_data bookkeeping of get_nss_addresses: EAI_AGAIN, 1 (no data) or 0. */
function noDataOf(herrno: number): number {
  if (herrno === TRY_AGAIN) return EAI_AGAIN;
  return herrno === NO_DATA ? 1 : 0;
}

/**
 * get_nss_addresses: the hosts sources in order, glibc's status and
 * no_data bookkeeping included, reporting to `sink`.
 */
function sourceLookup(ctx: LookupContext, name: string, req: GaihRequest, sink: Sink<Found>): void {
  if (ctx.nsswitchError !== undefined) sink.failed(new GaiCode(EAI_SYSTEM, [], ctx.nsswitchErrno ?? EINVAL));
  else new NssAddresses(ctx, name, req, sink).walk();
}

/** Which of a source's lookups NssAddresses waits for. */
const enum Asked { All, IPv6, IPv4 }

/** {@link NssAddresses}' bits: what it waits for, its status and the IPv6 one ({@link nssStatusCode}), ... */
const ASKED_MASK = 3;
const STATUS_SHIFT = 2;
const INET6_STATUS_SHIFT = 5;
/** ...no_data and no_inet6_data (as indexes of NO_DATA_VALUES), merge, and above all the errno (0: none). */
const NO_DATA_SHIFT = 8;
const NO_DATA_MASK = 3 << NO_DATA_SHIFT;
const NO_INET6_DATA_SHIFT = 10;
const NO_INET6_DATA_MASK = 3 << NO_INET6_DATA_SHIFT;
const MERGE = 1 << 12;
const ERRNO_SHIFT = 13;
const NO_DATA_VALUES: readonly number[] = [0, 1, EAI_AGAIN];

/**
 * get_nss_addresses' step in the walk over the sources: one source's
 * lookups for the request's families, the statuses of both families as
 * one, and its merge rule (a source after a merge is not asked).
 */
class NssAddresses extends SourcesWalk<AddrTuple[] | HostEnt, Found> {
  readonly #ctx: LookupContext;
  readonly #name: string;
  readonly #req: GaihRequest;
  /** The servers the dns source asked, for error context ({@link withServers}). */
  #servers: string[] | undefined;
  #module: HostsModule | undefined;
  /** What the source asked found, made when it answers (a lookup waiting holds none). */
  #found: Found | undefined = undefined;
  /** The small numbers below (asked, both statuses, both no_data, merge, errno), packed: a walk lives as long as its lookup. */
  #bits = (nssStatusCode("unavail") << STATUS_SHIFT) | (nssStatusCode("unavail") << INET6_STATUS_SHIFT);

  constructor(ctx: LookupContext, name: string, req: GaihRequest, sink: Sink<Found>) {
    super(toSink<Found>(), sink);
    this.#ctx = ctx;
    this.#name = name;
    this.#req = req;
  }

  private get asked(): Asked {
    return this.#bits & ASKED_MASK;
  }

  private set asked(asked: Asked) {
    this.#bits = (this.#bits & ~ASKED_MASK) | asked;
  }

  private get status(): NssStatus {
    return statusAt(this.#bits, STATUS_SHIFT)!;
  }

  private set status(status: NssStatus) {
    this.#bits = withStatusAt(this.#bits, STATUS_SHIFT, status);
  }

  private get inet6Status(): NssStatus {
    return statusAt(this.#bits, INET6_STATUS_SHIFT)!;
  }

  private set inet6Status(status: NssStatus) {
    this.#bits = withStatusAt(this.#bits, INET6_STATUS_SHIFT, status);
  }

  /** get_nss_addresses' no_data: EAI_AGAIN, 1 or 0. */
  private get noData(): number {
    return NO_DATA_VALUES[(this.#bits & NO_DATA_MASK) >> NO_DATA_SHIFT]!;
  }

  private set noData(noData: number) {
    this.#bits = (this.#bits & ~NO_DATA_MASK) | (NO_DATA_VALUES.indexOf(noData) << NO_DATA_SHIFT);
  }

  /** And no_inet6_data. */
  private get noInet6Data(): number {
    return NO_DATA_VALUES[(this.#bits & NO_INET6_DATA_MASK) >> NO_INET6_DATA_SHIFT]!;
  }

  private set noInet6Data(noData: number) {
    this.#bits = (this.#bits & ~NO_INET6_DATA_MASK) | (NO_DATA_VALUES.indexOf(noData) << NO_INET6_DATA_SHIFT);
  }

  /** A source's action was merge. */
  private get merge(): boolean {
    return (this.#bits & MERGE) !== 0;
  }

  /** The errno a source left with its failure (a hosts file or resolv.conf that could not be read). */
  private get errno(): number | undefined {
    const errno = this.#bits >>> ERRNO_SHIFT;
    return errno === 0 ? undefined : errno;
  }

  private set errno(errno: number) {
    this.#bits = (this.#bits & ((1 << ERRNO_SHIFT) - 1)) | (errno << ERRNO_SHIFT);
  }

  protected sources(): readonly ConfiguredSource[] {
    return this.#ctx.sources;
  }

  protected next(): boolean {
    this.#found = undefined;
    if (this.merge) {
      // The hosts database cannot merge: glibc gives up with EBUSY.
      this.#ctx.thread.hErrno = NETDB_INTERNAL;
      return false;
    }
    this.noData = 0;
    return true;
  }

  protected lacking(): void {
    this.status = "unavail";
    this.#ctx.thread.hErrno = NETDB_INTERNAL;
  }

  /** One source's lookups: byName4 for AF_UNSPEC, else byName3 for IPv6 and IPv4 as the request wants. */
  protected ask(module: HostsModule): void {
    this.#module = module;
    const family = this.#req.family;
    if (family === AF_UNSPEC) {
      this.asked = Asked.All;
      module.byName4(this.#name, this);
    } else {
      this.askByName3(family === AF_INET6 ? 6 : 4);
    }
  }

  /** What the source asked said: once all the request wants is in, the statuses of both families as one. */
  protected take(_source: ConfiguredSource, out: NssOutcome<AddrTuple[] | HostEnt>): NssStatus | typeof ASKED_AGAIN {
    if (this.asked === Asked.All) {
      this.takeAll(out as NssOutcome<AddrTuple[]>);
      return this.status;
    }
    this.takeFamily(out as NssOutcome<HostEnt>);
    const req = this.#req;
    if (this.asked === Asked.IPv6) {
      this.noInet6Data = this.noData;
      this.inet6Status = this.status;
      const wantV4 = (req.flags & AI_V4MAPPED) !== 0 && ((req.flags & AI_ALL) !== 0 || this.#found?.gotIPv6 !== true);
      if (wantV4) {
        this.askByName3(4);
        return ASKED_AGAIN;
      }
    } else if (req.family === AF_INET) {
      this.noInet6Data = this.noData;
      this.inet6Status = this.status;
    }
    this.combineStatuses();
    return this.status;
  }

  private askByName3(family: 4 | 6): void {
    this.asked = family === 6 ? Asked.IPv6 : Asked.IPv4;
    this.#module!.byName3(this.#name, family, (this.#req.flags & AI_CANONNAME) === 0, undefined, this);
  }

  /** What a source's byName4 said. */
  private takeAll(out: NssOutcome<AddrTuple[]>): void {
    const thread = this.#ctx.thread;
    recordHErrno(thread, out, true);
    this.#servers = withServers(this.#servers, out);
    this.status = out.status;
    if (out.fileErrno !== undefined) this.errno = out.fileErrno;
    if (this.status === "success") {
      // Only AF_UNSPEC comes here, so every tuple is kept as it is.
      const found = this.found();
      found.tuples = out.value!;
      if ((this.#req.flags & AI_CANONNAME) !== 0) found.canon = found.tuples[0]?.name ?? this.#name;
    } else {
      this.noData = noDataOf(thread.hErrno);
    }
    this.noInet6Data = this.noData;
  }

  /** What a source's byName3 said for one family (glibc's gethosts). */
  private found(): Found {
    return (this.#found ??= { tuples: [], gotIPv6: false });
  }

  private takeFamily(out: NssOutcome<HostEnt>): void {
    const thread = this.#ctx.thread;
    recordHErrno(thread, out, true);
    this.#servers = withServers(this.#servers, out);
    this.status = out.status;
    this.noData = 0;
    if (this.status === "success") {
      const found = this.found();
      appendHostent(found, out.value!, this.#req);
      if (out.canon !== undefined && found.canon === undefined && (this.#req.flags & AI_CANONNAME) !== 0) found.canon = out.canon;
      return;
    }
    if (thread.hErrno === NETDB_INTERNAL) throw new GaiCode(EAI_SYSTEM, this.#servers ?? [], out.fileErrno ?? EBUSY);
    this.noData = noDataOf(thread.hErrno);
  }

  private combineStatuses(): void {
    if (this.inet6Status === "success" || this.status === "success") {
      // glibc's getcanonname ends up copying the name as given.
      if ((this.#req.flags & AI_CANONNAME) !== 0 && this.found().canon === undefined) this.found().canon = this.#name;
      this.status = "success";
    } else if (this.inet6Status === "tryagain") {
      this.status = "tryagain";
    } else if (this.status === "unavail" && this.inet6Status !== "unavail") {
      this.status = this.inet6Status;
    }
  }

  protected merging(): void {
    this.#bits |= MERGE;
  }

  protected end(): Found {
    const servers = this.#servers ?? [];
    if ((this.status === "tryagain" || this.status === "unavail") && this.#ctx.thread.hErrno === NETDB_INTERNAL) {
      throw new GaiCode(EAI_SYSTEM, servers, this.errno ?? EBUSY);
    }
    if (this.noData !== 0 && this.noInet6Data !== 0) {
      throw new GaiCode(this.noData === EAI_AGAIN && this.noInet6Data === EAI_AGAIN ? EAI_AGAIN : EAI_NODATA, servers);
    }
    const found = this.#found;
    if (found === undefined || found.tuples.length === 0) throw new GaiCode(EAI_NONAME, servers);
    return found;
  }
}

/**
 * The name gaih_inet looks up: with AI_IDN, a non-ASCII host (only bytes
 * get here: CPython encodes a str first) in its ASCII form.
 */
function idnHost(host: string, req: GaihRequest): string {
  if ((req.flags & AI_IDN) === 0 || isAscii(host)) return host;
  const ascii = idnaToDnsEncoding(host);
  if (ascii === undefined) throw new GaiCode(EAI_IDN_ENCODE);
  if (ascii === "") throw new GaiCode(EAI_NONAME);
  return ascii;
}

/**
 * What calls gaih_inet (getaddrinfo): the request and its host (null for
 * none), and where the addresses found go.
 */
export interface GaihCaller extends Sink<Found> {
  readonly ctx: LookupContext;
  readonly req: GaihRequest;
  readonly host: string | null;
}

/**
 * gaih_inet's address part for `caller`, reported to it: the tuples for
 * its host (numeric ones at once), or the local ones for none. Never throws.
 */
export function findAddressesTo(caller: GaihCaller): void {
  const { ctx, host, req } = caller;
  let name: string;
  let numeric: Found | undefined;
  try {
    if (host === null) {
      numeric = { tuples: localAddresses(req), gotIPv6: false };
    } else {
      name = idnHost(host, req);
      numeric = numericHost(ctx, name, req);
    }
  } catch (err) {
    caller.failed(err);
    return;
  }
  if (numeric !== undefined) caller.done(numeric);
  else lookupName(caller, name!);
}
