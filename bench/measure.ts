/**
 * The closed-loop driver: keeps `concurrency` lookups in flight for a fixed
 * time and reports throughput and latency percentiles. Bounded both by time
 * and by count, so a stalled client cannot hang the benchmark.
 */

/** What one measured run produced. */
export interface RunResult {
  concurrency: number;
  /** Lookups that resolved during the measured window. */
  completed: number;
  /** Lookups that rejected during the measured window. */
  errors: number;
  /** First error message seen, if any. */
  firstError?: string;
  /** Completed lookups per second. */
  qps: number;
  /** Latency percentiles over completed lookups, in milliseconds. */
  p50: number;
  p99: number;
  /** Length of the measured window in milliseconds. */
  elapsedMs: number;
  /**
   * CPU time (user + system) of the client's process per completed lookup,
   * in microseconds: steadier than qps on a machine that is busy with
   * other work, since it does not count time spent waiting for a CPU.
   */
  cpuUs: number;
}

/** Limits of one run. */
export interface RunLimits {
  /** Unmeasured lookups before the window opens (JIT, socket setup). */
  warmupMs: number;
  /** Length of the measured window. */
  durationMs: number;
  /** How long to wait for in-flight lookups after the window closed. */
  drainMs: number;
}

/** A lookup of the i-th name; resolves when answered. */
export type Lookup = (i: number) => Promise<unknown>;

/** The p-th percentile (0..100) of the first `n` values of `samples` (sorted in place). */
export function percentile(samples: Float64Array, n: number, p: number): number {
  if (n === 0) return NaN;
  const sorted = samples.subarray(0, n).sort();
  return sorted[Math.min(n - 1, Math.floor((p / 100) * n))]!;
}

/**
 * Runs `lookup` with `concurrency` lookups in flight: each of `concurrency`
 * loops starts its next lookup when its last one settles.
 */
export async function runClosedLoop(lookup: Lookup, concurrency: number, limits: RunLimits): Promise<RunResult> {
  let latencies = new Float64Array(1 << 16);
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  let measuring = false;
  let stopped = false;

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const i = next++;
      const t0 = performance.now();
      try {
        await lookup(i);
        if (measuring && !stopped) {
          if (completed === latencies.length) {
            const grown = new Float64Array(latencies.length * 2);
            grown.set(latencies);
            latencies = grown;
          }
          latencies[completed++] = performance.now() - t0;
        }
      } catch (err) {
        if (measuring && !stopped) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }
  };

  const loops = Array.from({ length: concurrency }, loop);
  await sleep(limits.warmupMs);
  measuring = true;
  const windowStart = performance.now();
  const cpuStart = process.cpuUsage();
  await sleep(limits.durationMs);
  stopped = true;
  const elapsedMs = performance.now() - windowStart;
  const cpu = process.cpuUsage(cpuStart);
  // In-flight lookups are not counted; wait for them only so the client is
  // quiet before the next run, and never longer than drainMs.
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(loops), new Promise((resolve) => (drainTimer = setTimeout(resolve, limits.drainMs)))]);
  clearTimeout(drainTimer);
  return {
    concurrency,
    completed,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    qps: (completed / elapsedMs) * 1000,
    p50: percentile(latencies, completed, 50),
    p99: percentile(latencies, completed, 99),
    elapsedMs,
    cpuUs: (cpu.user + cpu.system) / completed,
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
