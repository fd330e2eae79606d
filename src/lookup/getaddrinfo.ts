/**
 * glibc 2.36's getaddrinfo (sysdeps/posix/getaddrinfo.c) over C
 * arguments: argument checks, AI_ADDRCONFIG, the service, gaih_inet's
 * addresses (gaih.ts), the canonical name, one result per address and
 * socket type (generate_addrinfo), and destination sorting.
 */
import {
  AF_INET, AF_INET6, AF_UNSPEC, AI_ADDRCONFIG, AI_ALL, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV,
  AI_PASSIVE, AI_V4MAPPED, EAI_BADFLAGS, EAI_FAMILY, EAI_NONAME,
} from "../constants.js";
import { settleTo, viaSink, type Sink } from "../sink.js";
import type { LookupContext } from "./context.js";
import { orderDestinations, type Result } from "./destinations.js";
import { GaiCode } from "./failures.js";
import { AI_CANONIDN, AI_IDN, findAddressesTo, type Found } from "./gaih.js";
import { decodeIdnaName } from "./idna.js";
import { isV4Mapped } from "../inet.js";
import { familiesOf } from "./network.js";
import { parseServiceNumber, servTuples, type Service, type ServTuple } from "./servtuples.js";

/** The retired IDN flags glibc still accepts. */
const AI_DEPRECATED_IDN = 0x0300;
const KNOWN_FLAGS = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_ADDRCONFIG | AI_V4MAPPED | AI_IDN
  | AI_CANONIDN | AI_DEPRECATED_IDN | AI_NUMERICSERV | AI_ALL;

/** getaddrinfo's hints: the same object for every lookup of a caller that always gives the same ones (setipaddr's). */
export interface AddrInfoHints {
  family: number;
  socktype: number;
  protocol: number;
  flags: number;
}

/** The C arguments of getaddrinfo, after CPython's conversions. */
export interface AddrInfoRequest extends AddrInfoHints {
  host: string | null;
  service: string | null;
}

/** generate_addrinfo: one result per usable address and service tuple, the canonical name on the first. */
function generate(found: Found, tuples: ServTuple[], req: AddrInfoHints): { results: Result[]; naddrs: number } {
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

/**
 * A getaddrinfo call past its argument checks, waiting for gaih_inet's
 * addresses: what they are made into results with, and where those go.
 */
class Checked implements Sink<Found> {
  constructor(
    readonly ctx: LookupContext,
    /** The hints, the family narrowed by AI_ADDRCONFIG. */
    readonly req: AddrInfoHints,
    readonly host: string | null,
    readonly tuples: ServTuple[],
    readonly sink: Sink<Result[]>,
  ) {}

  /** getaddrinfo's results for the addresses found: canonical name, one result per address and service, sorted. */
  done(found: Found): void {
    let results: Result[];
    let naddrs: number;
    try {
      ({ results, naddrs } = resultsOf(this, found));
    } catch (err) {
      this.sink.failed(err);
      return;
    }
    if (naddrs > 1) settleTo(orderDestinations(this.ctx, results), this.sink);
    else this.sink.done(results);
  }

  failed(error: unknown): void {
    this.sink.failed(error);
  }
}

/** getaddrinfo's checks of its arguments, AI_ADDRCONFIG and the service, before any address is looked up. */
function checkRequest(ctx: LookupContext, hostArg: string | null, serviceArg: string | null, hints: AddrInfoHints, sink: Sink<Result[]>): Checked {
  let req = hints;
  const host = hostArg === "*" ? null : hostArg;
  const serviceText = serviceArg === "*" ? null : serviceArg;
  if (host === null && serviceText === null) throw new GaiCode(EAI_NONAME);
  if ((req.flags & ~KNOWN_FLAGS) !== 0) throw new GaiCode(EAI_BADFLAGS);
  if ((req.flags & AI_CANONNAME) !== 0 && host === null) throw new GaiCode(EAI_BADFLAGS);
  if (req.family !== AF_UNSPEC && req.family !== AF_INET && req.family !== AF_INET6) throw new GaiCode(EAI_FAMILY);

  if ((req.flags & AI_ADDRCONFIG) !== 0) {
    const seen = familiesOf(ctx.network.addresses());
    if (req.family === AF_UNSPEC && (seen.v4 || seen.v6)) {
      if (seen.v4 !== seen.v6) {
        req = { family: seen.v4 ? AF_INET : AF_INET6, socktype: req.socktype, protocol: req.protocol, flags: req.flags };
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
  return new Checked(ctx, req, host, tuples, sink);
}

/** The results for the addresses found, before sorting, and how many addresses they have. */
function resultsOf(checked: Checked, found: Found): { results: Result[]; naddrs: number } {
  const { req, host } = checked;
  if ((req.flags & AI_CANONNAME) !== 0) {
    // AI_CANONNAME comes with a host, and the canonical name defaults to it as given.
    const canon = found.canon ?? host!;
    found.canon = (req.flags & AI_CANONIDN) !== 0 ? decodeIdnaName(canon) ?? canon : canon;
  }
  const generated = generate(found, checked.tuples, req);
  // Every address dropped (IPv4-mapped ones next to IPv6 ones): glibc has nothing to return.
  if (generated.results.length === 0) throw new GaiCode(EAI_NONAME);
  return generated;
}

/**
 * getaddrinfo(3) over C arguments, reporting to `sink` its results still
 * holding address bytes (setipaddr and getnameinfo read those), or a
 * {@link GaiCode} carrying the EAI code glibc returns. Never throws (a hot
 * path: docs/internal-contracts.md, "Hot paths").
 */
export function getaddrinfoResultsTo(ctx: LookupContext, host: string | null, service: string | null, hints: AddrInfoHints, sink: Sink<Result[]>): void {
  let checked: Checked;
  try {
    checked = checkRequest(ctx, host, service, hints, sink);
  } catch (err) {
    sink.failed(err);
    return;
  }
  findAddressesTo(ctx, checked.host, checked.req, checked);
}

/** {@link getaddrinfoResultsTo} as a promise, for the lookups that are no hot path. */
export function getaddrinfoResults(ctx: LookupContext, request: AddrInfoRequest): Promise<Result[]> {
  return viaSink((sink) => getaddrinfoResultsTo(ctx, request.host, request.service, request, sink));
}
