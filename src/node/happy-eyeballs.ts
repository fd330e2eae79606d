/**
 * Dual-stack helpers for code that connects itself: the order in which to
 * try addresses (RFC 8305 section 4, "Happy Eyeballs v2") and the
 * AI_ADDRCONFIG rule for dropping a family the machine cannot use.
 */
import type { InterfaceAddress, NetworkEnvironment } from "../lookup/network.js";
import { systemNetwork } from "../lookup/network.js";

/** Anything with a family: `{ address, family }` from `lookup(..., { all: true })`. */
export interface Familied {
  family: number;
}

/**
 * Interleaves address families as RFC 8305 section 4 asks: keep the sorted
 * order within each family, start with `firstFamilyCount` addresses of the
 * family of the first address (the one the sort prefers), then alternate
 * one of the other family, one of the preferred, until both run out.
 * With `firstFamilyCount` 2, `[6a, 6b, 6c, 4a, 4b]` becomes
 * `[6a, 6b, 4a, 6c, 4b]`.
 */
export function interleaveFamilies<T extends Familied>(addresses: readonly T[], firstFamilyCount = 1): T[] {
  if (!Number.isInteger(firstFamilyCount) || firstFamilyCount < 1) {
    throw new RangeError(`firstFamilyCount must be a positive integer, not ${firstFamilyCount}`);
  }
  const first = addresses[0];
  if (first === undefined) return [];
  const preferred = addresses.filter((a) => a.family === first.family);
  const other = addresses.filter((a) => a.family !== first.family);
  const out = preferred.splice(0, firstFamilyCount);
  while (preferred.length > 0 || other.length > 0) {
    const next = other.shift();
    if (next !== undefined) out.push(next);
    const again = preferred.shift();
    if (again !== undefined) out.push(again);
  }
  return out;
}

/** Which families have a configured address, by glibc's AI_ADDRCONFIG rule. */
export interface ConfiguredFamilies {
  ipv4: boolean;
  ipv6: boolean;
}

/**
 * glibc's `__check_pf`: a family counts as configured when some interface
 * has an address of it other than the loopback address itself (exactly
 * 127.0.0.1 or ::1; another 127/8 address counts).
 */
export function configuredFamilies(addresses: readonly InterfaceAddress[]): ConfiguredFamilies {
  return {
    ipv4: addresses.some((a) => a.family === 4 && a.address !== "127.0.0.1"),
    ipv6: addresses.some((a) => a.family === 6 && a.address !== "::1"),
  };
}

/**
 * Drops the addresses of a family the machine has no address of, as
 * getaddrinfo with AF_UNSPEC and AI_ADDRCONFIG does: only when exactly one
 * family is configured is the other dropped; with both or neither,
 * everything stays. `network` defaults to the running machine's (read
 * through node:os, /proc and /sys when called).
 */
export function filterAddrconfig<T extends Familied>(addresses: readonly T[], network: NetworkEnvironment = systemNetwork): T[] {
  const { ipv4, ipv6 } = configuredFamilies(network.addresses());
  if (ipv4 === ipv6) return [...addresses];
  const keep = ipv4 ? 4 : 6;
  return addresses.filter((a) => a.family === keep);
}
