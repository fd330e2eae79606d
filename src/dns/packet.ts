/**
 * dns-packet, loaded on first use. netdb reads A, AAAA, CNAME and PTR
 * itself (message.ts), so a gethostbyname never needs dns-packet; it is
 * wanted only to decode other RDATA types (MX, SOA, TXT, ...) and for
 * recorded worlds. Importing it costs more than the rest of netdb together
 * (it is CommonJS with dependencies of its own, loaded through Node's CJS
 * loader), so it is required synchronously the first time one of its
 * functions is called rather than imported at the top of a module.
 */
import { createRequire } from "node:module";
import type * as DnsPacket from "dns-packet";

let loaded: typeof DnsPacket | undefined;

/** The dns-packet module, required the first time this is called. */
export function dnsPacket(): typeof DnsPacket {
  loaded ??= createRequire(import.meta.url)("dns-packet") as typeof DnsPacket;
  return loaded;
}
