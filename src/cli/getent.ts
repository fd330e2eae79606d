/**
 * getent's reading of keys and its output lines, as glibc 2.36's
 * nss/getent.c prints them, so `netdb hosts x` and `getent hosts x` can be
 * compared byte for byte. Pure functions.
 */
import { formatIPv4, formatIPv6, parseInetAtonExact, parseIPv4, parseIPv6 } from "../inet.js";
import type { NetworkEntry } from "../files/networks.js";
import type { ProtocolEntry } from "../files/protocols.js";
import type { ServiceEntry } from "../files/services.js";

/** `printf("%-15s %s", address, name)` and ` alias` for each alias. */
export function hostsLine(address: string, name: string, aliases: readonly string[]): string {
  return `${address.padEnd(15)} ${name}${aliases.map((a) => ` ${a}`).join("")}`;
}

/** getent's names for socket types; other types print as their number. */
const SOCKET_TYPE_NAMES: Readonly<Record<number, string>> = { 1: "STREAM", 2: "DGRAM", 3: "RAW", 4: "RDM", 5: "SEQPACKET", 6: "DCCP", 10: "PACKET" };

/**
 * One `ahosts` line: the address, its `%scope` when the scope ID is not 0,
 * padded together to 15 columns, then the socket type in 6 and the
 * canonical name (empty after the first line). getent pads the scope to
 * `15 - len(address) - len(scope)` columns, so a scoped address comes out
 * shorter than 15; that is kept.
 */
export function ahostsLine(address: string, scopeId: number, socktype: number, canonname: string): string {
  const scope = scopeId === 0 ? "" : `%${scopeId}`;
  const pad = Math.max(0, 15 - address.length - scope.length);
  const type = SOCKET_TYPE_NAMES[socktype] ?? String(socktype);
  return `${address}${scope.padEnd(pad)} ${type.padEnd(6)} ${canonname}`;
}

/** `printf("%-21s %d/%s", name, port, proto)` and ` alias` for each alias. */
export function servicesLine(entry: ServiceEntry): string {
  return `${entry.name.padEnd(21)} ${entry.port}/${entry.proto}${entry.aliases.map((a) => ` ${a}`).join("")}`;
}

/** `printf("%-21s %d", name, number)` and ` alias` for each alias. */
export function protocolsLine(entry: ProtocolEntry): string {
  return `${entry.name.padEnd(21)} ${entry.number}${entry.aliases.map((a) => ` ${a}`).join("")}`;
}

/** What getent asks for a `hosts` key. */
export type HostsKey =
  | { kind: "address"; family: 4 | 6; address: string }
  | { kind: "name"; name: string };

/**
 * An IPv6 address (inet_pton) or an IPv4 address (inet_pton, so strictly
 * dotted-quad) is looked up by address; anything else by name.
 */
export function readHostsKey(key: string): HostsKey {
  const v6 = parseIPv6(key);
  if (v6 !== null) return { kind: "address", family: 6, address: formatIPv6(v6) };
  const v4 = parseIPv4(key);
  if (v4 !== null) return { kind: "address", family: 4, address: formatIPv4(v4) };
  return { kind: "name", name: key };
}

/** What getent asks for a `services` key. */
export type ServicesKey = { port: number; proto?: string } | { name: string; proto?: string };

/**
 * `NAME`, `PORT`, `NAME/PROTO` or `PORT/PROTO`, split at the first `/`
 * (`http/` asks for the protocol ""). A key is a port when it starts with
 * a digit, is all decimal digits (strtol base 10 must use it all) and is at
 * most 65535; otherwise it is a name, even `99999`.
 */
export function readServicesKey(key: string): ServicesKey {
  const slash = key.indexOf("/");
  const head = slash === -1 ? key : key.slice(0, slash);
  const proto = slash === -1 ? {} : { proto: key.slice(slash + 1) };
  if (/^\d+$/.test(head) && Number(head) <= 65535) return { port: Number(head), ...proto };
  return { name: head, ...proto };
}

/** What getent asks for a `protocols` key. */
export type ProtocolsKey = { number: number } | { name: string };

/**
 * A key starting with a digit is a number, read as `atol` reads it (the
 * leading digits, saturating at LONG_MAX) and passed to getprotobynumber
 * as a C int (the low 32 bits: `4294967302` is 6); any other key is a name.
 */
export function readProtocolsKey(key: string): ProtocolsKey {
  const digits = /^\d+/.exec(key);
  if (digits === null) return { name: key };
  const long = BigInt(digits[0]);
  return { number: Number(BigInt.asIntN(32, long > LONG_MAX ? LONG_MAX : long)) };
}

const LONG_MAX = 2n ** 63n - 1n;

/** `printf("%-21s %s", name, inet_ntoa(htonl(net)))` and ` alias` for each alias. */
export function networksLine(entry: NetworkEntry): string {
  const { net } = entry;
  const address = formatIPv4(Uint8Array.of(net >>> 24, (net >>> 16) & 0xff, (net >>> 8) & 0xff, net & 0xff));
  return `${entry.name.padEnd(21)} ${address}${entry.aliases.map((a) => ` ${a}`).join("")}`;
}

/** What getent asks for a `networks` key. */
export type NetworksKey = { net: number } | { name: string };

/**
 * A key starting with a digit is an address, read with inet_addr (so
 * `127` is 0.0.0.127 and text inet_aton rejects is 255.255.255.255) and
 * passed to getnetbyaddr in host byte order with AF_UNSPEC; any other key
 * is a name for getnetbyname.
 */
export function readNetworksKey(key: string): NetworksKey {
  if (!/^\d/.test(key)) return { name: key };
  const bytes = parseInetAtonExact(key);
  if (bytes === null) return { net: 0xffffffff };
  return { net: ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0 };
}
