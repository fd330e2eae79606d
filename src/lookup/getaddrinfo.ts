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
import { viaSink, type Sink } from "../sink.js";
import type { LookupContext } from "./context.js";
import { orderDestinations, type Result } from "./destinations.js";
import { GaiCode } from "./failures.js";
import { AI_CANONIDN, AI_IDN, findAddressesTo, type Found, type GaihCaller } from "./gaih.js";
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

const NO_HINTS: AddrInfoHints = { family: AF_UNSPEC, socktype: 0, protocol: 0, flags: 0 };
const NO_TUPLES: ServTuple[] = [];

/**
 * One getaddrinfo call: its argument checks ({@link start}), then, as
 * gaih_inet's caller, the addresses found made into results. A caller of
 * getaddrinfo extends it with what it makes of the results (setipaddr,
 * socket.getaddrinfo), so that a call in flight holds one object for both
 * layers; {@link getaddrinfoResultsTo} is the form with a plain sink.
 */
export abstract class GetaddrinfoCall implements GaihCaller {
  /** The hints, the family narrowed by AI_ADDRCONFIG (set by {@link start}). */
  req = NO_HINTS;
  host: string | null = null;
  tuples = NO_TUPLES;

  constructor(readonly ctx: LookupContext) {}

  /** getaddrinfo's results, sorted; does not throw. */
  protected abstract results(results: Result[]): void;
  /** getaddrinfo failed: a {@link GaiCode}, or the signal's reason, or a bug's error; does not throw. */
  abstract failed(error: unknown): void;

  /** getaddrinfo(3) of `host` and `service` with `hints`, for this call. Never throws. */
  start(host: string | null, service: string | null, hints: AddrInfoHints): void {
    try {
      checkRequest(this, host, service, hints);
    } catch (err) {
      this.failed(err);
      return;
    }
    findAddressesTo(this);
  }

  /** getaddrinfo's results for the addresses found: canonical name, one result per address and service, sorted. */
  done(found: Found): void {
    let results: Result[];
    let naddrs: number;
    try {
      ({ results, naddrs } = resultsOf(this, found));
    } catch (err) {
      this.failed(err);
      return;
    }
    if (naddrs > 1) orderDestinations(this.ctx, results).then((sorted) => this.results(sorted), (err: unknown) => this.failed(err));
    else this.results(results);
  }
}

/** getaddrinfo's checks of its arguments, AI_ADDRCONFIG and the service, before any address is looked up: what passes is set on `call`. */
function checkRequest(call: GetaddrinfoCall, hostArg: string | null, serviceArg: string | null, hints: AddrInfoHints): void {
  const { ctx } = call;
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
  call.req = req;
  call.host = host;
  call.tuples = tuples;
}


/** The results for the addresses found, before sorting, and how many addresses they have. */
function resultsOf(checked: GetaddrinfoCall, found: Found): { results: Result[]; naddrs: number } {
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

/** A getaddrinfo call whose results go to a plain sink. */
class ToSink extends GetaddrinfoCall {
  constructor(ctx: LookupContext, readonly sink: Sink<Result[]>) {
    super(ctx);
  }

  protected results(results: Result[]): void {
    this.sink.done(results);
  }

  failed(error: unknown): void {
    this.sink.failed(error);
  }
}

/**
 * getaddrinfo(3) over C arguments, reporting to `sink` its results still
 * holding address bytes (setipaddr and getnameinfo read those), or a
 * {@link GaiCode} carrying the EAI code glibc returns. Never throws (a hot
 * path: docs/internal-contracts.md, "Hot paths").
 */
export function getaddrinfoResultsTo(ctx: LookupContext, host: string | null, service: string | null, hints: AddrInfoHints, sink: Sink<Result[]>): void {
  new ToSink(ctx, sink).start(host, service, hints);
}

/** {@link getaddrinfoResultsTo} as a promise, for the lookups that are no hot path. */
export function getaddrinfoResults(ctx: LookupContext, request: AddrInfoRequest): Promise<Result[]> {
  return viaSink((sink) => getaddrinfoResultsTo(ctx, request.host, request.service, request, sink));
}
