/**
 * glibc 2.36's getaddrinfo (sysdeps/posix/getaddrinfo.c), step by step:
 * argument checks, AI_ADDRCONFIG, the service, numeric hosts, the
 * gethostbyname2_r shortcut for AF_INET, the hosts sources, the canonical
 * name, one tuple per address and socket type, and destination sorting.
 */
import {
  AF_INET, AF_INET6, AF_UNSPEC, AI_ADDRCONFIG, AI_ALL, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV,
  AI_PASSIVE, AI_V4MAPPED, EAI_ADDRFAMILY, EAI_AGAIN, EAI_BADFLAGS, EAI_FAMILY, EAI_IDN_ENCODE, EAI_NODATA, EAI_NONAME,
  EAI_SYSTEM, NO_DATA, TRY_AGAIN,
} from "../constants.js";
import { formatAddress, parseInetAtonExact, parseIPv6, requireCInt, splitScope } from "../inet.js";
import type { NssStatus } from "../files/nsswitch.js";
import { toGaiHost, toGaiPort } from "./args.js";
import type { LookupContext } from "./context.js";
import type { InterfaceAddress } from "./network.js";
import { EAFNOSUPPORT, EBUSY, EINVAL, GaiCode, publicGaiError } from "./failures.js";
import { gethostbyname2R, type HostLookup } from "./gethostby.js";
import { NETDB_INTERNAL, type AddrTuple, type HostEnt, type NssOutcome } from "./hostent.js";
import { decodeIdnaName, idnaToDnsEncoding, isAscii } from "./idna.js";
import { isV4Mapped, v4Mapped } from "./mapped.js";
import { scopeIdFromText } from "./scope.js";
import { parseServiceNumber, servTuples, type Service, type ServTuple } from "./servtuples.js";
import { orderDestinations } from "./destinations.js";
import { recordHErrno, type ConfiguredSource, type HostsModule, type NssResult } from "./sources.js";

/** AI_IDN, AI_CANONIDN and the two retired IDN flags glibc still accepts. */
export const AI_IDN = 0x0040;
export const AI_CANONIDN = 0x0080;
const AI_DEPRECATED_IDN = 0x0300;
const KNOWN_FLAGS = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_ADDRCONFIG | AI_V4MAPPED | AI_IDN
  | AI_CANONIDN | AI_DEPRECATED_IDN | AI_NUMERICSERV | AI_ALL;

/** A socket address as Python shows it: `[address, port]` or `[address, port, flowinfo, scope_id]`. */
export type SockAddr = [address: string, port: number] | [address: string, port: number, flowinfo: number, scopeId: number];

/** One getaddrinfo result: `[family, type, proto, canonname, sockaddr]`. */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: SockAddr];

/** The C arguments of getaddrinfo, after CPython's conversions. */
export interface AddrInfoRequest {
  host: string | null;
  service: string | null;
  family: number;
  socktype: number;
  protocol: number;
  flags: number;
}

/** The addresses found for a name, before tuples are made. */
interface Found {
  tuples: AddrTuple[];
  canon?: string;
  gotIPv6: boolean;
}

/** One result before it becomes an AddrInfo. */
export interface Result {
  family: 4 | 6;
  socktype: number;
  protocol: number;
  address: Uint8Array;
  port: number;
  scopeId: number;
  canonname: string | undefined;
}

/**
 * glibc's __check_pf over interface addresses: a family counts when some
 * address of it is not the loopback address itself (exactly 127.0.0.1 or
 * ::1; another 127/8 address counts). Also used by src/node/happy-eyeballs.ts.
 */
export function familiesOf(addresses: readonly InterfaceAddress[]): { v4: boolean; v6: boolean } {
  return {
    v4: addresses.some((a) => a.family === 4 && a.address !== "127.0.0.1"),
    v6: addresses.some((a) => a.family === 6 && a.address !== "::1"),
  };
}

/** get_local_addresses: the loopback or wildcard addresses for a null host. */
function localAddresses(req: AddrInfoRequest): AddrTuple[] {
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
function numericHost(ctx: LookupContext, name: string, req: AddrInfoRequest): Found | undefined {
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
function appendHostent(found: Found, host: HostEnt, req: AddrInfoRequest): void {
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
function lookupName(ctx: LookupContext, name: string, req: AddrInfoRequest): Found | Promise<Found> {
  if (req.family !== AF_INET || (req.flags & AI_CANONNAME) !== 0) return sourceLookup(ctx, name, req);
  return gethostbyname2R(ctx, name, 4, true).then((r) => simpleLookupFound(ctx, name, req, r));
}

/** try_simple_gethostbyname's reading of gethostbyname2_r's outcome. */
function simpleLookupFound(ctx: LookupContext, name: string, req: AddrInfoRequest, r: HostLookup): Found | Promise<Found> {
  if (r.status === "success") {
    const found: Found = { tuples: [], gotIPv6: false };
    appendHostent(found, r.host!, req);
    return found.tuples.length > 0 ? found : sourceLookup(ctx, name, req);
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

/** `then` on what a source returns: at once for an answer given at once, else once it comes. */
function whenAnswered<T, R>(outcome: NssResult<T>, then: (answered: NssOutcome<T>) => R | Promise<R>): R | Promise<R> {
  return outcome instanceof Promise ? outcome.then(then) : then(outcome);
}

/**
 * get_nss_addresses: the hosts sources in order, glibc's status and
 * no_data bookkeeping included. Throws GaiCode for a failure found at once.
 */
function sourceLookup(ctx: LookupContext, name: string, req: AddrInfoRequest): Found | Promise<Found> {
  if (ctx.nsswitchError !== undefined) throw new GaiCode(EAI_SYSTEM, [], ctx.nsswitchErrno ?? EINVAL);
  return new NssAddresses(ctx, name, req).askFrom(0);
}

/**
 * The state of one get_nss_addresses loop. Not an async function: a
 * lookup waiting on a source holds this object and one promise reaction,
 * not a suspended generator (memory per lookup in flight).
 */
class NssAddresses {
  readonly #ctx: LookupContext;
  readonly #name: string;
  readonly #req: AddrInfoRequest;
  readonly #servers: string[] = [];
  #found: Found = { tuples: [], gotIPv6: false };
  #status: NssStatus = "unavail";
  #inet6Status: NssStatus = "unavail";
  #noData = 0;
  #noInet6Data = 0;
  #merge = false;
  /** The errno a source left with its failure (a hosts file or resolv.conf that could not be read). */
  #errno: number | undefined;

  constructor(ctx: LookupContext, name: string, req: AddrInfoRequest) {
    this.#ctx = ctx;
    this.#name = name;
    this.#req = req;
  }

  /** Asks the sources from `index` on: the addresses, or a promise of them once a source answers later. */
  askFrom(index: number): Found | Promise<Found> {
    const sources = this.#ctx.sources;
    for (let i = index; i < sources.length; i++) {
      const source = sources[i]!;
      this.#found = { tuples: [], gotIPv6: false };
      if (this.#merge) {
        // The hosts database cannot merge: glibc gives up with EBUSY.
        this.#ctx.thread.hErrno = NETDB_INTERNAL;
        break;
      }
      this.#noData = 0;
      const asked = this.#ask(source.module);
      if (asked instanceof Promise) return this.#afterAnswer(asked, source, i + 1);
      if (!this.#goesOn(source)) break;
    }
    return this.#end();
  }

  /** Goes on from `next` once `source` has answered. */
  #afterAnswer(asked: Promise<void>, source: ConfiguredSource, next: number): Promise<Found> {
    return asked.then(() => (this.#goesOn(source) ? this.askFrom(next) : this.#end()));
  }

  /** One source's lookups: byName4 for AF_UNSPEC, else byName3 for IPv6 and IPv4 as the request wants. */
  #ask(module: HostsModule | undefined): void | Promise<void> {
    if (module === undefined) {
      this.#status = "unavail";
      this.#ctx.thread.hErrno = NETDB_INTERNAL;
      return;
    }
    if (this.#req.family === AF_UNSPEC) return whenAnswered(module.byName4(this.#name), (out) => this.#takeAll(out));
    if (this.#req.family !== AF_INET6) return this.#askIPv4(module);
    return whenAnswered(this.#byName3(module, 6), (out) => {
      this.#takeFamily(out);
      this.#noInet6Data = this.#noData;
      this.#inet6Status = this.#status;
      return this.#askIPv4(module);
    });
  }

  /** The IPv4 lookup, when the request wants one, then the statuses of both families as one. */
  #askIPv4(module: HostsModule): void | Promise<void> {
    const req = this.#req;
    const wantV4 = req.family === AF_INET
      || ((req.flags & AI_V4MAPPED) !== 0 && ((req.flags & AI_ALL) !== 0 || !this.#found.gotIPv6));
    if (!wantV4) {
      this.#combineStatuses();
      return;
    }
    return whenAnswered(this.#byName3(module, 4), (out) => {
      this.#takeFamily(out);
      if (req.family === AF_INET) {
        this.#noInet6Data = this.#noData;
        this.#inet6Status = this.#status;
      }
      this.#combineStatuses();
    });
  }

  #byName3(module: HostsModule, family: 4 | 6): NssResult<HostEnt> {
    return module.byName3(this.#name, family, (this.#req.flags & AI_CANONNAME) === 0);
  }

  /** What a source's byName4 said. */
  #takeAll(out: NssOutcome<AddrTuple[]>): void {
    const thread = this.#ctx.thread;
    recordHErrno(thread, out, true);
    this.#servers.push(...(out.servers ?? []));
    this.#status = out.status;
    if (out.fileErrno !== undefined) this.#errno = out.fileErrno;
    if (this.#status === "success") {
      // Only AF_UNSPEC comes here, so every tuple is kept as it is.
      this.#found.tuples = out.value!;
      if ((this.#req.flags & AI_CANONNAME) !== 0) this.#found.canon = this.#found.tuples[0]?.name ?? this.#name;
    } else {
      this.#noData = noDataOf(thread.hErrno);
    }
    this.#noInet6Data = this.#noData;
  }

  /** What a source's byName3 said for one family (glibc's gethosts). */
  #takeFamily(out: NssOutcome<HostEnt>): void {
    const thread = this.#ctx.thread;
    const found = this.#found;
    recordHErrno(thread, out, true);
    this.#servers.push(...(out.servers ?? []));
    this.#status = out.status;
    this.#noData = 0;
    if (this.#status === "success") {
      appendHostent(found, out.value!, this.#req);
      if (out.canon !== undefined && found.canon === undefined && (this.#req.flags & AI_CANONNAME) !== 0) found.canon = out.canon;
      return;
    }
    if (thread.hErrno === NETDB_INTERNAL) throw new GaiCode(EAI_SYSTEM, this.#servers, out.fileErrno ?? (out.errno === "EAFNOSUPPORT" ? EAFNOSUPPORT : EBUSY));
    this.#noData = noDataOf(thread.hErrno);
  }

  #combineStatuses(): void {
    if (this.#inet6Status === "success" || this.#status === "success") {
      // glibc's getcanonname ends up copying the name as given.
      if ((this.#req.flags & AI_CANONNAME) !== 0 && this.#found.canon === undefined) this.#found.canon = this.#name;
      this.#status = "success";
    } else if (this.#inet6Status === "tryagain") {
      this.#status = "tryagain";
    } else if (this.#status === "unavail" && this.#inet6Status !== "unavail") {
      this.#status = this.#inet6Status;
    }
  }

  /** The source's action for the status: false when it is to return; a merge is noted for the next source. */
  #goesOn(source: ConfiguredSource): boolean {
    const action = source.actions[this.#status];
    if (action === "return") return false;
    if (action === "merge") this.#merge = true;
    return true;
  }

  #end(): Found {
    const servers = this.#servers;
    if ((this.#status === "tryagain" || this.#status === "unavail") && this.#ctx.thread.hErrno === NETDB_INTERNAL) {
      throw new GaiCode(EAI_SYSTEM, servers, this.#errno ?? EBUSY);
    }
    if (this.#noData !== 0 && this.#noInet6Data !== 0) {
      throw new GaiCode(this.#noData === EAI_AGAIN && this.#noInet6Data === EAI_AGAIN ? EAI_AGAIN : EAI_NODATA, servers);
    }
    if (this.#found.tuples.length === 0) throw new GaiCode(EAI_NONAME, servers);
    return this.#found;
  }
}

/**
 * The name gaih_inet looks up: with AI_IDN, a non-ASCII host (only bytes
 * get here: CPython encodes a str first) in its ASCII form.
 */
function idnHost(host: string, req: AddrInfoRequest): string {
  if ((req.flags & AI_IDN) === 0 || isAscii(host)) return host;
  const ascii = idnaToDnsEncoding(host);
  if (ascii === undefined) throw new GaiCode(EAI_IDN_ENCODE);
  if (ascii === "") throw new GaiCode(EAI_NONAME);
  return ascii;
}

/** gaih_inet's address part: the tuples for a host (numeric ones at once), or the local ones for none. */
function findAddresses(ctx: LookupContext, host: string | null, req: AddrInfoRequest): Found | Promise<Found> {
  if (host === null) return { tuples: localAddresses(req), gotIPv6: false };
  const name = idnHost(host, req);
  return numericHost(ctx, name, req) ?? lookupName(ctx, name, req);
}

/** generate_addrinfo: one result per usable address and service tuple, the canonical name on the first. */
function generate(found: Found, tuples: ServTuple[], req: AddrInfoRequest): { results: Result[]; naddrs: number } {
  const results: Result[] = [];
  let naddrs = 0;
  let canon = found.canon;
  for (const at of found.tuples) {
    if (at.family === 6 && found.gotIPv6 && (req.flags & (AI_V4MAPPED | AI_ALL)) === AI_V4MAPPED && isV4Mapped(at.address)) continue;
    for (const st of tuples) {
      results.push({
        family: at.family, socktype: st.socktype, protocol: st.protocol, address: at.address,
        port: st.port, scopeId: at.scopeId, canonname: canon,
      });
      canon = undefined;
    }
    naddrs++;
  }
  return { results, naddrs };
}

/** A result as the tuple CPython builds. */
function toAddrInfo(r: Result): AddrInfo {
  const address = formatAddress(r.address);
  const sockaddr: SockAddr = r.family === 4 ? [address, r.port] : [address, r.port, 0, r.scopeId];
  return [r.family === 4 ? AF_INET : AF_INET6, r.socktype, r.protocol, r.canonname ?? "", sockaddr];
}

function toAddrInfos(results: readonly Result[]): AddrInfo[] {
  return results.map(toAddrInfo);
}

/** A getaddrinfo call past its argument checks: what the addresses found are made into results with. */
interface Checked {
  ctx: LookupContext;
  /** The request, its family narrowed by AI_ADDRCONFIG. */
  req: AddrInfoRequest;
  host: string | null;
  tuples: ServTuple[];
}

/** getaddrinfo's checks of its arguments, AI_ADDRCONFIG and the service, before any address is looked up. */
function checkRequest(ctx: LookupContext, request: AddrInfoRequest): Checked {
  let req = request;
  const host = req.host === "*" ? null : req.host;
  const serviceText = req.service === "*" ? null : req.service;
  if (host === null && serviceText === null) throw new GaiCode(EAI_NONAME);
  if ((req.flags & ~KNOWN_FLAGS) !== 0) throw new GaiCode(EAI_BADFLAGS);
  if ((req.flags & AI_CANONNAME) !== 0 && host === null) throw new GaiCode(EAI_BADFLAGS);
  if (req.family !== AF_UNSPEC && req.family !== AF_INET && req.family !== AF_INET6) throw new GaiCode(EAI_FAMILY);

  if ((req.flags & AI_ADDRCONFIG) !== 0) {
    const seen = familiesOf(ctx.network.addresses());
    if (req.family === AF_UNSPEC && (seen.v4 || seen.v6)) {
      if (seen.v4 !== seen.v6) {
        req = { ...req, family: seen.v4 ? AF_INET : AF_INET6 };
        ctx.tracer?.({ kind: "note", text: `AI_ADDRCONFIG: no ${seen.v4 ? "IPv6" : "IPv4"} address configured, only ${seen.v4 ? "IPv4 (A)" : "IPv6 (AAAA)"} looked up` });
      }
    } else if ((req.family === AF_INET && !seen.v4) || (req.family === AF_INET6 && !seen.v6)) {
      const family = req.family === AF_INET ? "IPv4" : "IPv6";
      ctx.tracer?.({ kind: "note", text: `AI_ADDRCONFIG: no ${family} address configured (loopback does not count), so nothing is looked up: EAI_NONAME` });
      throw new GaiCode(EAI_NONAME);
    }
  }

  let service: Service | null = null;
  if (serviceText !== null && serviceText !== "") {
    const num = parseServiceNumber(serviceText);
    if (num === undefined && (req.flags & AI_NUMERICSERV) !== 0) throw new GaiCode(EAI_NONAME);
    service = { name: serviceText, num: num ?? -1 };
  }

  const tuples = servTuples(service, req, ctx.services);
  if (typeof tuples === "number") throw new GaiCode(tuples);
  return { ctx, req, host, tuples };
}

/** getaddrinfo's results for the addresses found: canonical name, one result per address and service, sorted. */
function resultsOf(checked: Checked, found: Found): Result[] | Promise<Result[]> {
  const { req, host } = checked;
  if ((req.flags & AI_CANONNAME) !== 0) {
    // AI_CANONNAME comes with a host, and the canonical name defaults to it as given.
    const canon = found.canon ?? host!;
    found.canon = (req.flags & AI_CANONIDN) !== 0 ? decodeIdnaName(canon) ?? canon : canon;
  }
  const { results, naddrs } = generate(found, checked.tuples, req);
  // Every address dropped (IPv4-mapped ones next to IPv6 ones): glibc has nothing to return.
  if (results.length === 0) throw new GaiCode(EAI_NONAME);
  return naddrs > 1 ? orderDestinations(checked.ctx, results) : results;
}

/**
 * getaddrinfo(3) over C arguments, its results still holding address
 * bytes (setipaddr and getnameinfo read those). Rejects with
 * {@link GaiCode} carrying the EAI code glibc returns; never throws.
 * Not an async function: a lookup waiting for its addresses holds the
 * checked request and one reaction, not a suspended generator (memory
 * per lookup in flight).
 */
export function getaddrinfoResults(ctx: LookupContext, request: AddrInfoRequest): Promise<Result[]> {
  let checked: Checked;
  let found: Found | Promise<Found>;
  try {
    checked = checkRequest(ctx, request);
    found = findAddresses(ctx, checked.host, checked.req);
  } catch (err) {
    return Promise.reject(err);
  }
  return Promise.resolve(found).then((addresses) => resultsOf(checked, addresses));
}

/** getaddrinfo(3) over C arguments, as CPython's tuples; rejects as {@link getaddrinfoResults} does. */
export function getaddrinfoCore(ctx: LookupContext, request: AddrInfoRequest): Promise<AddrInfo[]> {
  return getaddrinfoResults(ctx, request).then(toAddrInfos);
}

/**
 * socket.getaddrinfo: CPython's argument conversions (family, type, proto
 * and flags as C ints, then the host, then the port), glibc's getaddrinfo,
 * and gaierror for its failures.
 */
export function getaddrinfo(
  ctx: LookupContext, host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0,
): Promise<AddrInfo[]> {
  let request: AddrInfoRequest;
  try {
    request = {
      host: null, service: null, family: requireCInt(family), socktype: requireCInt(type), protocol: requireCInt(proto), flags: requireCInt(flags),
    };
    request.host = toGaiHost(host);
    request.service = toGaiPort(port);
  } catch (err) {
    // Conversion errors are CPython's own TypeError or OverflowError, as they are.
    return Promise.reject(err);
  }
  const hostname = request.host ?? undefined;
  return getaddrinfoResults(ctx, request).then(toAddrInfos, (err: unknown) => {
    throw publicGaiError(err, hostname);
  });
}
