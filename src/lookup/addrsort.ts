/**
 * resolv.conf's `sortlist`, as glibc 2.36's nss_dns applies it
 * (resolv/nss_dns/dns-host.c, addrsort): to the IPv4 addresses of a
 * gethostbyname3_r answer from DNS, which is what gethostbyname(_ex) and
 * getaddrinfo(AF_INET) read; never to getaddrinfo(AF_UNSPEC), whose
 * gethostbyname4_r does not sort, nor to the hosts file.
 */
import type { SortlistEntry } from "../files/resolvconf.js";

/** glibc's MAX_NR_ADDRS: addresses past the 48th keep their place. */
const MAX_SORTED = 48;

/** The rank of an address: the index of the first entry whose network it is in, or the number of entries. */
function rank(address: Uint8Array, sortlist: readonly SortlistEntry[]): number {
  const value = ((address[0]! << 24) | (address[1]! << 16) | (address[2]! << 8) | address[3]!) >>> 0;
  // glibc compares the entry's address itself with the masked address: an entry with host bits set matches nothing.
  const i = sortlist.findIndex((e) => ((value & e.mask) >>> 0) === e.address);
  return i === -1 ? sortlist.length : i;
}

/**
 * The addresses in sortlist order, as glibc's addrsort moves them: from
 * the first address ranked before its predecessor on, each is moved back
 * past those of a higher rank (a stable insertion sort of the first 48).
 * The same array when nothing moves.
 */
export function addrsort(addresses: Uint8Array[], sortlist: readonly SortlistEntry[]): Uint8Array[] {
  if (sortlist.length === 0) return addresses;
  const out = addresses.slice();
  const num = Math.min(out.length, MAX_SORTED);
  const ranks = out.slice(0, num).map((a) => rank(a, sortlist));
  let needsort = 0;
  for (let i = 1; i < num && needsort === 0; i++) if (ranks[i]! < ranks[i - 1]!) needsort = i;
  if (needsort === 0) return addresses;
  while (needsort++ < num) {
    for (let j = needsort - 2; j >= 0 && ranks[j]! > ranks[j + 1]!; j--) {
      [ranks[j], ranks[j + 1]] = [ranks[j + 1]!, ranks[j]!];
      [out[j], out[j + 1]] = [out[j + 1]!, out[j]!];
    }
  }
  return out;
}
