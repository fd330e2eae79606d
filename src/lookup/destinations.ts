/**
 * The I/O half of getaddrinfo's sorting: the source address of each
 * destination (what connect() on a UDP socket would pick) and the
 * interface facts about it, handed to the pure sort in sort.ts.
 */
import { formatAddress, isV4Mapped, parseIPv4, parseIPv6 } from "../inet.js";
import type { LookupContext } from "./context.js";
import type { InterfaceAddress } from "./network.js";
import { describeCandidate, destinationOrder, type SortCandidate, type SourceInfo } from "./sort.js";

/** One result before it becomes an AddrInfo. */
export interface Result {
  family: 4 | 6;
  socktype: number;
  protocol: number;
  address: Uint8Array;
  port: number;
  scopeId: number;
  canonname: string | undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The bytes of a source address in the destination's family (IPv6 sockets give IPv4-mapped text for IPv4). */
function sourceBytes(text: string, family: 4 | 6): Uint8Array | undefined {
  if (family === 4) {
    const v4 = parseIPv4(text);
    if (v4 !== null) return v4;
    const mapped = parseIPv6(text);
    return mapped !== null && isV4Mapped(mapped) ? mapped.slice(12) : undefined;
  }
  return parseIPv6(text) ?? undefined;
}

/** What glibc finds about a source address in the interface list (its in6ai lookup). */
function describeSource(address: Uint8Array, interfaces: readonly InterfaceAddress[]): SourceInfo {
  // glibc looks up any 127/8 IPv4 source as 127.0.0.1, the address lo has.
  const key = address.length === 4 && address[0] === 127 ? "127.0.0.1" : formatAddress(address);
  const family = address.length === 4 ? 4 : 6;
  const match = interfaces.find((i) => {
    if (i.family !== family) return false;
    const bytes = family === 4 ? parseIPv4(i.address) : parseIPv6(i.address);
    return bytes !== null && formatAddress(bytes) === key;
  });
  return {
    address,
    prefixlen: match?.prefixlen ?? 0,
    index: match?.index,
    deprecated: match?.deprecated ?? false,
    homeAddress: match?.homeAddress ?? false,
    native: match?.native ?? true,
  };
}

/**
 * The results in the order glibc returns them. Consecutive results with
 * the same socket address share one source probe, as in glibc.
 */
export async function orderDestinations(ctx: LookupContext, results: readonly Result[]): Promise<Result[]> {
  const interfaces = ctx.network.addresses();
  const candidates: SortCandidate[] = [];
  let previous: { result: Result; source: SourceInfo | undefined } | undefined;
  for (const result of results) {
    let source: SourceInfo | undefined;
    if (previous !== undefined && previous.result.family === result.family && previous.result.port === result.port
      && previous.result.scopeId === result.scopeId && sameBytes(previous.result.address, result.address)) {
      source = previous.source;
    } else {
      const text = await ctx.network.sourceFor({
        family: result.family, address: formatAddress(result.address), port: result.port, scopeId: result.scopeId,
      });
      const bytes = text === null ? undefined : sourceBytes(text, result.family);
      source = bytes === undefined ? undefined : describeSource(bytes, interfaces);
    }
    candidates.push({ address: result.address, source });
    previous = { result, source };
  }
  const order = destinationOrder(candidates, ctx.policy());
  ctx.tracer?.({ kind: "sort", before: candidates.map(describeCandidate), after: order.map((i) => describeCandidate(candidates[i]!)) });
  const sorted = order.map((i) => ({ ...results[i]! }));
  // The canonical name moves to whatever result comes first.
  const canon = results.find((r) => r.canonname !== undefined)?.canonname;
  for (const r of sorted) r.canonname = undefined;
  if (sorted[0] !== undefined && canon !== undefined) sorted[0].canonname = canon;
  return sorted;
}
