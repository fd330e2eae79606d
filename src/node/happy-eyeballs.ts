/**
 * Dual-stack helpers for code that connects itself: the order in which to
 * try addresses (RFC 8305 section 4, "Happy Eyeballs v2") and the
 * AI_ADDRCONFIG rule for dropping a family the machine cannot use.
 */
import { familiesOf, systemNetwork, type NetworkEnvironment } from "../lookup/network.js";

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

/** Which families have a configured address, by glibc's AI_ADDRCONFIG rule (`__check_pf`). */
export { familiesOf as configuredFamilies };

/**
 * Drops the addresses of a family the machine has no address of, as
 * getaddrinfo with AF_UNSPEC and AI_ADDRCONFIG does: only when exactly one
 * family is configured is the other dropped; with both or neither,
 * everything stays. `network` defaults to the running machine's (read
 * through node:os, /proc and /sys when called).
 */
export function filterAddrconfig<T extends Familied>(addresses: readonly T[], network: NetworkEnvironment = systemNetwork): T[] {
  const { v4, v6 } = familiesOf(network.addresses());
  if (v4 === v6) return [...addresses];
  const keep = v4 ? 4 : 6;
  return addresses.filter((a) => a.family === keep);
}
