/**
 * CPython's setipaddr: how gethostbyname, gethostbyname_ex and
 * gethostbyaddr turn their argument into one address before asking glibc
 * anything else.
 */
import { AF_INET, AF_INET6, AF_UNSPEC, AI_PASSIVE, SOCK_DGRAM } from "../constants.js";
import { SocketError } from "../errors.js";
import { parseIPv4, parseIPv6 } from "../inet.js";
import { getaddrinfoResults, type Result } from "./addrinfo.js";
import type { LookupContext } from "./context.js";
import { publicGaiError } from "./failures.js";

const BROADCAST = Uint8Array.of(255, 255, 255, 255);

/** The address bytes of getaddrinfo's first answer. */
function firstAddress(results: readonly Result[]): Uint8Array {
  return results[0]!.address;
}

/** The wildcard address getaddrinfo gives for no host; CPython refuses more than one. */
async function wildcardAddress(ctx: LookupContext, family: number): Promise<Uint8Array> {
  const answers = await getaddrinfoResults(ctx, { host: null, service: "0", family, socktype: SOCK_DGRAM, protocol: 0, flags: AI_PASSIVE });
  if (answers.length > 1) throw new SocketError("wildcard resolved to multiple address");
  return firstAddress(answers);
}

/**
 * The one address `name` stands for: the wildcard for "", the broadcast
 * address for "<broadcast>", numeric addresses as they are (at once), and
 * otherwise getaddrinfo's first answer for `family` (AF_INET or AF_UNSPEC).
 * Fails with GaiCode from getaddrinfo, or SocketError for CPython's own
 * failures; callers await it, so a failure found at once may be thrown.
 */
export function setipaddr(ctx: LookupContext, name: string, family: number): Uint8Array | Promise<Uint8Array> {
  if (name === "") return wildcardAddress(ctx, family);
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
  return getaddrinfoResults(ctx, { host: name, service: null, family, socktype: 0, protocol: 0, flags: 0 }).then(firstAddress);
}

/**
 * {@link setipaddr} as socket.gethostbyname, gethostbyname_ex and
 * gethostbyaddr call it: every failure, found at once or later, a
 * rejection with CPython's error for `name` (gaierror for getaddrinfo's).
 */
export function setipaddrForCall(ctx: LookupContext, name: string, family: number): Promise<Uint8Array> {
  let address: Uint8Array | Promise<Uint8Array>;
  try {
    address = setipaddr(ctx, name, family);
  } catch (err) {
    return Promise.reject(publicGaiError(err, name));
  }
  if (!(address instanceof Promise)) return Promise.resolve(address);
  return address.catch((err: unknown) => {
    throw publicGaiError(err, name);
  });
}
