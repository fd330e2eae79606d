/**
 * Scope ids of scoped IPv6 addresses (`fe80::1%eth0`), as glibc's
 * __inet6_scopeid_pton reads them, and back (getnameinfo's `%eth0`).
 */
import type { NetworkEnvironment } from "./network.js";

/** fe80::/10. */
export function isLinkLocal(address: Uint8Array): boolean {
  return address[0] === 0xfe && (address[1]! & 0xc0) === 0x80;
}

/** ff02::/16-like: a multicast address of link-local scope. */
export function isMulticastLinkLocal(address: Uint8Array): boolean {
  return address[0] === 0xff && (address[1]! & 0x0f) === 0x02;
}

function isMulticastNodeLocal(address: Uint8Array): boolean {
  return address[0] === 0xff && (address[1]! & 0x0f) === 0x01;
}

const UINT32_MAX = 0xffffffff;

/**
 * The scope id for the text after `%`: for a link-local or node/link-local
 * multicast address, an interface name if one has that name; otherwise a
 * decimal number up to 2^32-1. Undefined when it is neither.
 */
export function scopeIdFromText(address: Uint8Array, scope: string, network: NetworkEnvironment): number | undefined {
  if (isLinkLocal(address) || isMulticastNodeLocal(address) || isMulticastLinkLocal(address)) {
    const index = network.indexOf(scope);
    if (index !== 0) return index;
  }
  if (!/^[0-9]+$/.test(scope)) return undefined;
  const value = Number(scope);
  return value <= UINT32_MAX ? value : undefined;
}
