/**
 * getnameinfo as CPython's socket.getnameinfo does it: the sockaddr tuple
 * becomes a socket address through getaddrinfo(AI_NUMERICHOST,
 * SOCK_DGRAM), then glibc 2.36's getnameinfo (inet/getnameinfo.c) turns
 * it into host and service text.
 */
import {
  AF_UNSPEC, AI_NUMERICHOST, EAI_AGAIN, EAI_BADFLAGS, EAI_NONAME, EAI_SYSTEM, NI_DGRAM, NI_NAMEREQD,
  NI_NOFQDN, NI_NUMERICHOST, NI_NUMERICSERV, SOCK_DGRAM, TRY_AGAIN,
} from "../constants.js";
import { SocketError } from "../errors.js";
import { formatAddress, requireCInt } from "../inet.js";
import { getaddrinfoResults } from "./getaddrinfo.js";
import { toSockaddrArgument, type SockaddrArgument } from "./args.js";
import type { LookupContext } from "./context.js";
import { GaiCode, publicGaiError } from "./failures.js";
import { gethostbyaddrR, gethostbyname2R } from "./gethostby.js";
import { NETDB_INTERNAL } from "./hostent.js";
import { decodeIdnaName } from "./idna.js";
import { isLinkLocal, isMulticastLinkLocal } from "./scope.js";

/** NI_IDN, and the two retired IDN flags glibc still accepts. */
export const NI_IDN = 32;
const NI_DEPRECATED_IDN = 192;
const KNOWN_FLAGS = NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM | NI_IDN | NI_DEPRECATED_IDN;

/**
 * nrl_domainname: the local domain NI_NOFQDN strips, taken from the name of
 * "localhost", else the host name, else what the host name resolves to,
 * else the name of 127.0.0.1. glibc works it out once per process; the
 * caller keeps it likewise.
 */
export async function localDomain(ctx: LookupContext): Promise<string | undefined> {
  const afterDot = (name: string | undefined): string | undefined => {
    const dot = name?.indexOf(".") ?? -1;
    return dot === -1 ? undefined : name!.slice(dot + 1);
  };
  const localhost = await gethostbyname2R(ctx, "localhost", 4, false);
  const fromLocalhost = afterDot(localhost.host?.name);
  if (fromLocalhost !== undefined) return fromLocalhost;
  const hostname = ctx.hostname();
  const fromHostname = afterDot(hostname);
  if (fromHostname !== undefined) return fromHostname;
  const self = await gethostbyname2R(ctx, hostname, 4, false);
  const fromSelf = afterDot(self.host?.name);
  if (fromSelf !== undefined) return fromSelf;
  const loopback = await gethostbyaddrR(ctx, Uint8Array.of(127, 0, 0, 1), false);
  return afterDot(loopback.host?.name);
}

/** The socket address getnameinfo works on. */
interface SocketAddress {
  family: 4 | 6;
  address: Uint8Array;
  port: number;
  scopeId: number;
}

/** gni_host_inet_numeric: address text, with `%scope` for a scoped IPv6 address. */
function numericHost(sa: SocketAddress, ctx: LookupContext): string {
  const text = formatAddress(sa.address);
  if (sa.family === 4 || sa.scopeId === 0) return text;
  if (isLinkLocal(sa.address) || isMulticastLinkLocal(sa.address)) {
    const name = ctx.network.nameOf(sa.scopeId);
    if (name !== undefined) return `${text}%${name}`;
  }
  return `${text}%${sa.scopeId}`;
}

/** gni_host_inet: the host part. */
async function hostPart(ctx: LookupContext, sa: SocketAddress, flags: number, domain: () => Promise<string | undefined>): Promise<string> {
  if ((flags & NI_NUMERICHOST) === 0) {
    const found = await gethostbyaddrR(ctx, sa.address, false);
    if (found.host !== undefined) {
      let name = found.host.name;
      if ((flags & NI_NOFQDN) !== 0) {
        const local = await domain();
        const at = local === undefined ? -1 : name.indexOf(local);
        if (at > 0 && name[at - 1] === ".") name = name.slice(0, at - 1);
      }
      if ((flags & NI_IDN) !== 0) name = decodeIdnaName(name) ?? name;
      return name;
    }
    if (found.herrno === NETDB_INTERNAL) throw new GaiCode(EAI_SYSTEM, found.servers);
    if (found.herrno === TRY_AGAIN) throw new GaiCode(EAI_AGAIN, found.servers);
  }
  if ((flags & NI_NAMEREQD) !== 0) throw new GaiCode(EAI_NONAME);
  return numericHost(sa, ctx);
}

/** gni_serv_inet: the service name for the port and protocol, or the number. */
function servicePart(ctx: LookupContext, sa: SocketAddress, flags: number): string {
  if ((flags & NI_NUMERICSERV) === 0) {
    const entry = ctx.services().byPort(sa.port, (flags & NI_DGRAM) !== 0 ? "udp" : "tcp");
    if (entry !== undefined) return entry.name;
  }
  return String(sa.port);
}

/**
 * getnameinfo for a checked sockaddr argument and flags. Rejects with
 * {@link GaiCode} for glibc's EAI failures and with SocketError for
 * CPython's own ("IPv4 sockaddr must be 2 tuple").
 */
export async function getnameinfoCore(
  ctx: LookupContext,
  sockaddr: SockaddrArgument,
  flags: number,
  domain: () => Promise<string | undefined>,
): Promise<[host: string, service: string]> {
  const [info] = await getaddrinfoResults(ctx, {
    host: sockaddr.host, service: String(sockaddr.port), family: AF_UNSPEC, socktype: SOCK_DGRAM, protocol: 0, flags: AI_NUMERICHOST,
  });
  const { family, address, port } = info!;
  if (family === 4 && sockaddr.length !== 2) throw new SocketError("IPv4 sockaddr must be 2 tuple");
  const sa: SocketAddress = { family, address, port, scopeId: family === 4 ? 0 : sockaddr.scopeId };
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new GaiCode(EAI_BADFLAGS);
  const host = await hostPart(ctx, sa, flags, domain);
  return [host, servicePart(ctx, sa, flags)];
}

/**
 * socket.getnameinfo: flags as a C int, the sockaddr tuple checked as
 * CPython checks it, then getnameinfo; `domain` gives NI_NOFQDN's local
 * domain (see {@link localDomain}).
 */
export async function getnameinfo(
  ctx: LookupContext, sockaddr: unknown, flags: unknown, domain: () => Promise<string | undefined>,
): Promise<[host: string, service: string]> {
  if (flags === undefined) throw new TypeError("getnameinfo() takes exactly 2 arguments (1 given)");
  const checkedFlags = requireCInt(flags);
  const sa = toSockaddrArgument(sockaddr);
  try {
    return await getnameinfoCore(ctx, sa, checkedFlags, domain);
  } catch (err) {
    throw publicGaiError(err, sa.host);
  }
}
