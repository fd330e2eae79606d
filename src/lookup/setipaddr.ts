/**
 * CPython's setipaddr: how gethostbyname, gethostbyname_ex and
 * gethostbyaddr turn their argument into one address before asking glibc
 * anything else.
 */
import { AF_INET, AF_INET6, AF_UNSPEC, AI_PASSIVE, SOCK_DGRAM } from "../constants.js";
import { SocketError } from "../errors.js";
import { parseIPv4, parseIPv6 } from "../inet.js";
import type { Result } from "./destinations.js";
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
 * One call of CPython's setipaddr, as socket.gethostbyname,
 * gethostbyname_ex and gethostbyaddr make it: the wildcard for "", the
 * broadcast address for "<broadcast>", numeric addresses as they are, and
 * otherwise getaddrinfo's first answer (the only one for the wildcard).
 * Its failures are CPython's errors for `name`: gaierror for
 * getaddrinfo's, SocketError for its own. The caller's state class
 * extends it with what it does with the address, so that a call in
 * flight holds one object for CPython's layer and glibc's getaddrinfo.
 */
export abstract class SetIpAddr extends GetaddrinfoCall {
  constructor(ctx: LookupContext, readonly name: string) {
    super(ctx);
  }

  /** The address; does not throw. */
  protected abstract resolved(address: Uint8Array): void;
  /** CPython's error; does not throw. */
  protected abstract rejected(error: unknown): void;

  /** setipaddr of {@link name} for `family` (AF_INET or AF_UNSPEC). Never throws. */
  setipaddr(family: number): void {
    const name = this.name;
    let address: Uint8Array | undefined;
    try {
      address = name === "" ? undefined : addressAtOnce(name, family);
    } catch (err) {
      this.rejected(err);
      return;
    }
    if (address !== undefined) this.resolved(address);
    else this.start(name === "" ? null : name, name === "" ? "0" : null, hintsFor(name, family));
  }

  protected results(answers: Result[]): void {
    if (this.name === "" && answers.length > 1) this.rejected(new SocketError("wildcard resolved to multiple address"));
    else this.resolved(answers[0]!.address);
  }

  failed(error: unknown): void {
    this.rejected(publicGaiError(error, this.name));
  }
}
