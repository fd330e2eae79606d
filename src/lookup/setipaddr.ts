/**
 * CPython's setipaddr: how gethostbyname, gethostbyname_ex and
 * gethostbyaddr turn their argument into one address before asking glibc
 * anything else.
 */
import { AF_INET, AF_INET6, AF_UNSPEC, AI_PASSIVE, SOCK_DGRAM } from "../constants.js";
import { SocketError } from "../errors.js";
import { parseIPv4, parseIPv6 } from "../inet.js";
import type { Result } from "./destinations.js";
import type { Sink } from "../sink.js";
import { GetaddrinfoCall, type AddrInfoHints } from "./getaddrinfo.js";
import type { LookupContext } from "./context.js";
import { publicGaiError } from "./failures.js";

const BROADCAST = Uint8Array.of(255, 255, 255, 255);

/**
 * The address of a name setipaddr needs no lookup for: the broadcast
 * address for "<broadcast>", numeric addresses as they are; undefined for
 * the others. Throws CPython's SocketError for a family mismatch.
 */
function addressAtOnce(name: string, family: number): Uint8Array | undefined {
  if (name === "255.255.255.255" || name === "<broadcast>") {
    if (family !== AF_INET && family !== AF_UNSPEC) throw new SocketError("address family mismatched");
    return BROADCAST;
  }
  if (family === AF_UNSPEC || family === AF_INET) {
    const v4 = parseIPv4(name);
    if (v4 !== null) return v4;
  }
  if ((family === AF_UNSPEC || family === AF_INET6) && !name.includes("%")) {
    const v6 = parseIPv6(name);
    if (v6 !== null) return v6;
  }
  return undefined;
}

/** The hints setipaddr asks getaddrinfo with for a name, by family (AF_INET or AF_UNSPEC): made once, not per lookup. */
const NAME_HINTS: ReadonlyMap<number, AddrInfoHints> = new Map([AF_INET, AF_UNSPEC].map((family) => [family, { family, socktype: 0, protocol: 0, flags: 0 }]));
/** And for "", the wildcard. */
const WILDCARD_HINTS: ReadonlyMap<number, AddrInfoHints> = new Map([AF_INET, AF_UNSPEC].map((family) => [family, { family, socktype: SOCK_DGRAM, protocol: 0, flags: AI_PASSIVE }]));

/** getaddrinfo's hints for setipaddr's lookup of `name`. */
function hintsFor(name: string, family: number): AddrInfoHints {
  const shared = (name === "" ? WILDCARD_HINTS : NAME_HINTS).get(family);
  if (shared !== undefined) return shared;
  return name === "" ? { family, socktype: SOCK_DGRAM, protocol: 0, flags: AI_PASSIVE } : { family, socktype: 0, protocol: 0, flags: 0 };
}

/**
 * setipaddr's getaddrinfo call: the first answer (the only one for the
 * wildcard), made into what the caller wants by `use` (a conversion that
 * does not throw), goes to `sink`; failures as CPython's errors for `name`.
 */
class SetIpAddr<T> extends GetaddrinfoCall {
  constructor(ctx: LookupContext, readonly name: string, readonly use: (address: Uint8Array) => T, readonly sink: Sink<T>) {
    super(ctx);
  }

  protected results(answers: Result[]): void {
    if (this.name === "" && answers.length > 1) this.sink.failed(new SocketError("wildcard resolved to multiple address"));
    else this.sink.done(this.use(answers[0]!.address));
  }

  failed(error: unknown): void {
    this.sink.failed(publicGaiError(error, this.name));
  }
}

/**
 * CPython's setipaddr, as socket.gethostbyname, gethostbyname_ex and
 * gethostbyaddr call it, reporting `use` of the address to `sink` (`use`
 * is taken here so that gethostbyname needs no object of its own): the wildcard
 * for "", the broadcast address for "<broadcast>", numeric addresses as
 * they are, and otherwise getaddrinfo's first answer for `family`
 * (AF_INET or AF_UNSPEC). Its failures are CPython's errors for `name`:
 * gaierror for getaddrinfo's, SocketError for its own. Never throws.
 */
export function setipaddrTo<T>(ctx: LookupContext, name: string, family: number, use: (address: Uint8Array) => T, sink: Sink<T>): void {
  let address: Uint8Array | undefined;
  try {
    address = name === "" ? undefined : addressAtOnce(name, family);
  } catch (err) {
    sink.failed(err);
    return;
  }
  if (address !== undefined) sink.done(use(address));
  else new SetIpAddr(ctx, name, use, sink).start(name === "" ? null : name, name === "" ? "0" : null, hintsFor(name, family));
}
