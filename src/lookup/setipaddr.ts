/**
 * CPython's setipaddr: how gethostbyname, gethostbyname_ex and
 * gethostbyaddr turn their argument into one address before asking glibc
 * anything else.
 */
import { attempt } from "../attempt.js";
import { AF_INET, AF_INET6, AF_UNSPEC, AI_PASSIVE, SOCK_DGRAM } from "../constants.js";
import { SocketError } from "../errors.js";
import { parseIPv4, parseIPv6 } from "../inet.js";
import type { Result } from "./destinations.js";
import { getaddrinfoResults, type AddrInfoRequest } from "./getaddrinfo.js";
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

/** The wildcard address getaddrinfo gives for no host; CPython refuses more than one. */
function wildcardAddress(answers: readonly Result[]): Uint8Array {
  if (answers.length > 1) throw new SocketError("wildcard resolved to multiple address");
  return answers[0]!.address;
}

/**
 * CPython's setipaddr, then `use` on the address, as socket.gethostbyname,
 * gethostbyname_ex and gethostbyaddr call it. The address: the wildcard for
 * "", the broadcast address for "<broadcast>", numeric addresses as they
 * are, and otherwise getaddrinfo's first answer for `family` (AF_INET or
 * AF_UNSPEC). setipaddr's failures reject with CPython's error for `name`:
 * gaierror for getaddrinfo's, SocketError for its own; `use`'s rejections
 * stay as they are. Never throws.
 *
 * `use` is taken here so that a lookup in flight waits on one promise step
 * from getaddrinfo's answer to the caller's next one, not on three (memory
 * per lookup in flight).
 */
export function setipaddr<T>(ctx: LookupContext, name: string, family: number, use: (address: Uint8Array) => T | Promise<T>): Promise<T> {
  return attempt(() => {
    const address = name === "" ? undefined : addressAtOnce(name, family);
    if (address !== undefined) return Promise.resolve(address).then(use);
    const wildcard = name === "";
    const request: AddrInfoRequest = wildcard
      ? { host: null, service: "0", family, socktype: SOCK_DGRAM, protocol: 0, flags: AI_PASSIVE }
      : { host: name, service: null, family, socktype: 0, protocol: 0, flags: 0 };
    return getaddrinfoResults(ctx, request).then(
      (answers) => use(wildcard ? wildcardAddress(answers) : answers[0]!.address),
      (err: unknown) => {
        throw publicGaiError(err, name);
      },
    );
  });
}
