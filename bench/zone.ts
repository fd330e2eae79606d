/**
 * The names every benchmarked client asks for, and the zone that answers
 * them. TTL 0 so no client can answer from a cache (c-ares >= 1.23 and
 * tangerine cache by TTL): every lookup is a packet to the server.
 */

/** The zone's origin, without trailing dot. */
export const BENCH_ORIGIN = "bench.test";

/**
 * How many distinct names the clients cycle through: four times the highest
 * concurrency, so the queries in flight are for distinct names and no
 * client gains from merging identical queries in flight (netdb does).
 */
const NAME_COUNT = 4096;

/** The names asked for, in the order they are cycled through. */
export const BENCH_NAMES: readonly string[] = Array.from({ length: NAME_COUNT }, (_, i) => `h${i}.${BENCH_ORIGIN}`);

/**
 * The interleaved harness (bench/interleaved.ts) runs every client in one
 * process for many short slices, more lookups than there are `h<i>` names;
 * it asks for names under this wildcard instead, each name once, so no
 * client or slice repeats a name another asked for.
 */
export const WILDCARD_PARENT = `w.${BENCH_ORIGIN}`;

/** The address every name under {@link WILDCARD_PARENT} resolves to. */
export const WILDCARD_ADDRESS = "198.51.100.250";

/** The k-th wildcard name, fixed-width so every client sends queries of the same size. */
export function wildcardName(k: number): string {
  return `n${String(k).padStart(8, "0")}.${WILDCARD_PARENT}`;
}

/** The address `h<i>.bench.test` resolves to (in TEST-NET-2, 198.51.100.0/24). */
export function benchAddress(i: number): string {
  return `198.51.100.${i % 256}`;
}

/** RFC 1035 text of the bench zone. */
export function benchZoneText(): string {
  const lines = [
    `$ORIGIN ${BENCH_ORIGIN}.`,
    "$TTL 0",
    "@ IN SOA ns.bench.test. hostmaster.bench.test. 1 3600 900 604800 0",
    "@ IN NS ns.bench.test.",
    "ns IN A 127.0.0.1",
  ];
  for (let i = 0; i < NAME_COUNT; i++) lines.push(`h${i} IN A ${benchAddress(i)}`);
  lines.push(`*.${WILDCARD_PARENT}. IN A ${WILDCARD_ADDRESS}`);
  return lines.join("\n") + "\n";
}
