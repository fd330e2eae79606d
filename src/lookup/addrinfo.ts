/**
 * glibc 2.36's getaddrinfo (sysdeps/posix/getaddrinfo.c), step by step:
 * argument checks, AI_ADDRCONFIG, the service, numeric hosts, the
 * gethostbyname2_r shortcut for AF_INET, the hosts sources, the canonical
 * name, one tuple per address and socket type, and destination sorting.
 */
import { domainToASCII } from "node:url";
import {
  AF_INET, AF_INET6, AF_UNSPEC, AI_ADDRCONFIG, AI_ALL, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV,
  AI_PASSIVE, AI_V4MAPPED, EAI_ADDRFAMILY, EAI_AGAIN, EAI_BADFLAGS, EAI_FAMILY, EAI_NODATA, EAI_NONAME,
  EAI_SYSTEM, NO_DATA, TRY_AGAIN,
} from "../constants.js";
import { formatAddress, parseInetAtonExact, parseIPv6, requireCInt, splitScope } from "../inet.js";
import type { NssStatus } from "../types.js";
import { toGaiHost, toGaiPort } from "./args.js";
import type { LookupContext } from "./context.js";
import type { InterfaceAddress } from "./network.js";
import { EAFNOSUPPORT, EBUSY, EINVAL, GaiCode, publicGaiError } from "./failures.js";
import { gethostbyname2R, type HostLookup } from "./gethostby.js";
import { NETDB_INTERNAL, type AddrTuple, type HostEnt } from "./hostent.js";
import { decodeIdnaName, isAscii } from "./idna.js";
import { isV4Mapped, v4Mapped } from "./mapped.js";
import { scopeIdFromText } from "./scope.js";
import { parseServiceNumber, servTuples, type Service, type ServTuple } from "./servtuples.js";
import { orderDestinations } from "./destinations.js";
import { recordHErrno } from "./sources.js";

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
function lookupName(ctx: LookupContext, name: string, req: AddrInfoRequest): Promise<Found> {
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
  // TRY_AGAIN (EAGAIN) or an internal error; TRYAGAIN always returns EAGAIN.
  const herrno = ctx.thread.hErrno;
  const failed = r.status === "tryagain" || (r.status === "unavail" && (herrno === TRY_AGAIN || herrno === NETDB_INTERNAL));
  if (!failed) throw new GaiCode(herrno === NO_DATA ? EAI_NODATA : EAI_NONAME, r.servers);
  if (herrno === NETDB_INTERNAL) throw new GaiCode(EAI_SYSTEM, r.servers, r.errno ?? EBUSY);
  throw new GaiCode(herrno === TRY_AGAIN ? EAI_AGAIN : EAI_NODATA, r.servers);
}

/** The no_data bookkeeping of get_nss_addresses: EAI_AGAIN, 1 (no data) or 0. */
function noDataOf(herrno: number): number {
  if (herrno === TRY_AGAIN) return EAI_AGAIN;
  return herrno === NO_DATA ? 1 : 0;
}

/** get_nss_addresses: the hosts sources in order, glibc's status and no_data bookkeeping included. */
async function sourceLookup(ctx: LookupContext, name: string, req: AddrInfoRequest): Promise<Found> {
  if (ctx.nsswitchError !== undefined) throw new GaiCode(EAI_SYSTEM, [], EINVAL);
  const thread = ctx.thread;
  const servers: string[] = [];
  let found: Found = { tuples: [], gotIPv6: false };
  let status: NssStatus = "unavail";
  let inet6Status: NssStatus = "unavail";
  let noData = 0;
  let noInet6Data = 0;
  let merge = false;

  for (const source of ctx.sources) {
    found = { tuples: [], gotIPv6: false };
    if (merge) {
      // The hosts database cannot merge: glibc gives up with EBUSY.
      thread.hErrno = NETDB_INTERNAL;
      break;
    }
    noData = 0;
    const module = source.module;
    if (module === undefined) {
      status = "unavail";
      thread.hErrno = NETDB_INTERNAL;
    } else if (req.family === AF_UNSPEC) {
      const out = await module.byName4(name);
      recordHErrno(thread, out, true);
      servers.push(...(out.servers ?? []));
      status = out.status;
      if (status === "success") {
        // Only AF_UNSPEC comes here, so every tuple is kept as it is.
        found.tuples = out.value!;
        if ((req.flags & AI_CANONNAME) !== 0) found.canon = found.tuples[0]?.name ?? name;
      } else {
        noData = noDataOf(thread.hErrno);
      }
      noInet6Data = noData;
    } else {
      const gethosts = async (family: 4 | 6): Promise<void> => {
        const out = await module.byName3(name, family, (req.flags & AI_CANONNAME) === 0);
        recordHErrno(thread, out, true);
        servers.push(...(out.servers ?? []));
        status = out.status;
        noData = 0;
        if (status === "success") {
          appendHostent(found, out.value!, req);
          if (out.canon !== undefined && found.canon === undefined && (req.flags & AI_CANONNAME) !== 0) found.canon = out.canon;
          return;
        }
        if (thread.hErrno === NETDB_INTERNAL) throw new GaiCode(EAI_SYSTEM, servers, out.errno === "EAFNOSUPPORT" ? EAFNOSUPPORT : EBUSY);
        noData = noDataOf(thread.hErrno);
      };
      if (req.family === AF_INET6) {
        await gethosts(6);
        noInet6Data = noData;
        inet6Status = status;
      }
      const wantV4 = req.family === AF_INET
        || ((req.flags & AI_V4MAPPED) !== 0 && ((req.flags & AI_ALL) !== 0 || !found.gotIPv6));
      if (wantV4) {
        await gethosts(4);
        if (req.family === AF_INET) {
          noInet6Data = noData;
          inet6Status = status;
        }
      }
      if (inet6Status === "success" || status === "success") {
        // glibc's getcanonname ends up copying the name as given.
        if ((req.flags & AI_CANONNAME) !== 0 && found.canon === undefined) found.canon = name;
        status = "success";
      } else if (inet6Status === "tryagain") {
        status = "tryagain";
      } else if (status === "unavail" && inet6Status !== "unavail") {
        status = inet6Status;
      }
    }
    const action = source.actions[status];
    if (action === "return") break;
    if (action === "merge") merge = true;
  }

  if ((status === "tryagain" || status === "unavail") && thread.hErrno === NETDB_INTERNAL) {
    throw new GaiCode(EAI_SYSTEM, servers, EBUSY);
  }
  if (noData !== 0 && noInet6Data !== 0) {
    throw new GaiCode(noData === EAI_AGAIN && noInet6Data === EAI_AGAIN ? EAI_AGAIN : EAI_NODATA, servers);
  }
  if (found.tuples.length === 0) throw new GaiCode(EAI_NONAME, servers);
  return found;
}

/** The name gaih_inet looks up: with AI_IDN, a non-ASCII host in its ASCII form. */
function idnHost(host: string, req: AddrInfoRequest): string {
  if ((req.flags & AI_IDN) === 0 || isAscii(host)) return host;
  const ascii = domainToASCII(host);
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
      if (seen.v4 !== seen.v6) req = { ...req, family: seen.v4 ? AF_INET : AF_INET6 };
    } else if ((req.family === AF_INET && !seen.v4) || (req.family === AF_INET6 && !seen.v6)) {
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
