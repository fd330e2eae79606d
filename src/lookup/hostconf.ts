/**
 * What host.conf's `reorder` and `trim` do to an answer (glibc 2.36's
 * resolv/res_hconf.c: _res_hconf_reorder_addrs, _res_hconf_trim_domains);
 * the file itself is read by src/files/hostconf.ts.
 */
import type { HostConf } from "../files/hostconf.js";
import type { HostEnt } from "./hostent.js";
import type { InterfaceAddress } from "./network.js";

/** _res_hconf_trim_domain: the name without the first trim domain it ends with (ASCII case ignored). */
function trimName(name: string, domains: readonly string[]): string {
  for (const domain of domains) {
    if (name.length > domain.length && name.slice(name.length - domain.length).toLowerCase() === domain.toLowerCase()) {
      return name.slice(0, name.length - domain.length);
    }
  }
  return name;
}

/** _res_hconf_trim_domains: gethostbyaddr's answer with the trim domains cut off its names. */
export function trimDomains(host: HostEnt, conf: HostConf): HostEnt {
  if (conf.trimDomains.length === 0) return host;
  return { ...host, name: trimName(host.name, conf.trimDomains), aliases: host.aliases.map((a) => trimName(a, conf.trimDomains)) };
}

/**
 * _res_hconf_reorder_addrs: with `reorder`, an IPv4 answer's first address
 * on the subnet of a local interface swaps places with the first address.
 * The interfaces are asked for only then: listing them is not free.
 */
export function reorderAddresses(host: HostEnt, conf: HostConf, interfaces: () => readonly InterfaceAddress[]): HostEnt {
  if (!conf.reorder || host.family !== 4) return host;
  const nets = interfaces().filter((i) => i.family === 4).map((i) => {
    const address = i.address.split(".").reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
    const mask = i.prefixlen === 0 ? 0 : (0xffffffff << (32 - i.prefixlen)) >>> 0;
    return { address, mask };
  });
  const index = host.addresses.findIndex((bytes) => {
    const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    return nets.some((net) => (((value ^ net.address) & net.mask) >>> 0) === 0);
  });
  if (index <= 0) return host;
  const addresses = [...host.addresses];
  [addresses[0], addresses[index]] = [addresses[index]!, addresses[0]!];
  return { ...host, addresses };
}
