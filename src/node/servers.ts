/**
 * Name server lists as node:dns's `setServers` reads them and `getServers`
 * prints them (lib/internal/dns/utils.js): `"192.0.2.1"`, `"192.0.2.1:53"`,
 * `"2001:db8::1"`, `"[2001:db8::1]:5353"`; port 53 is left out when
 * printing, and an IPv6 address with a port gets brackets.
 */
import { isIP } from "../builtins.js";
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6, splitScope } from "../inet.js";
import type { NameServer } from "../dns/server.js";
import { formatHostPort } from "../dns/server.js";
import { invalidIpAddress, validateArray, validateString } from "./validate.js";

const DNS_PORT = 53;
const BRACKETED = /^\[([^[\]]*)\]/;
const ADDRESS_PORT = /(^.+?)(?::(\d+))?$/;

/**
 * Reads `setServers`' argument, duplicates merged, throwing node:dns's errors: a TypeError
 * ERR_INVALID_ARG_TYPE for a non-array or non-string entry,
 * ERR_INVALID_IP_ADDRESS for an entry that is no address. Port 0 means 53,
 * as in c-ares.
 */
export function parseServers(servers: unknown): NameServer[] {
  validateArray(servers, "servers");
  return mergeDuplicates(servers.map((entry, index) => {
    validateString(entry, `servers[${index}]`);
    if (isIP(entry) !== 0) return nameServer(entry, DNS_PORT);
    const bracketed = BRACKETED.exec(entry);
    if (bracketed !== null && isIP(bracketed[1]!) !== 0) {
      return nameServer(bracketed[1]!, Number.parseInt(entry.replace(ADDRESS_PORT, "$2"), 10) || DNS_PORT);
    }
    const split = ADDRESS_PORT.exec(entry);
    if (split !== null && isIP(split[1]!) !== 0) return nameServer(split[1]!, Number.parseInt(split[2] ?? String(DNS_PORT), 10) || DNS_PORT);
    throw invalidIpAddress(entry);
  }));
}

/** An address node:net accepts as a name server of the resolver's shape. */
function nameServer(text: string, port: number): NameServer {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { address: formatIPv4(v4), port, family: 4 };
  const { address, scope } = splitScope(text);
  const v6 = parseIPv6(address)!;
  const server: NameServer = { address: formatIPv6(v6), port, family: 6 };
  if (scope !== undefined) server.scope = scope;
  return server;
}

/** `getServers`' text for one server: c-ares keeps no zone of a scoped address to print. */
export function formatServer(server: NameServer): string {
  return formatHostPort({ address: server.address, port: server.port, family: server.family }, DNS_PORT);
}

/**
 * The list as c-ares holds it: a server already in the list (same
 * address, zone aside, and port) is not added again, so `getServers()`
 * prints each once and each is asked once.
 */
export function mergeDuplicates(servers: readonly NameServer[]): NameServer[] {
  const seen = new Set<string>();
  return servers.filter((server) => {
    const key = formatServer(server);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
