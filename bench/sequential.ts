/**
 * Timing of back-to-back calls (concurrency 1), for lookups that never
 * touch the network: bounded by a time budget and a call count.
 */
import { percentile } from "./measure.js";

/** Figures of one sequential run. */
export interface SequentialResult {
  calls: number;
  opsPerSec: number;
  /** Per-call latency percentiles in microseconds. */
  p50us: number;
  p99us: number;
  /** The first call alone (it may parse or load tables), in microseconds. */
  firstUs: number;
}

/** Calls `call` until `budgetMs` have passed or `maxCalls` calls were made. */
export async function timeSequential(call: () => unknown, budgetMs: number, maxCalls: number): Promise<SequentialResult> {
  const t0 = performance.now();
  await call();
  const firstUs = (performance.now() - t0) * 1000;
  const samples = new Float64Array(maxCalls);
  let calls = 0;
  const start = performance.now();
  const end = start + budgetMs;
  while (calls < maxCalls) {
    const t = performance.now();
    if (t > end) break;
    await call();
    samples[calls++] = (performance.now() - t) * 1000;
  }
  const elapsed = performance.now() - start;
  return {
    calls,
    opsPerSec: (calls / elapsed) * 1000,
    p50us: percentile(samples, calls, 50),
    p99us: percentile(samples, calls, 99),
    firstUs,
  };
}
