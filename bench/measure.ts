/**
 * The closed-loop driver: keeps `concurrency` lookups in flight for a fixed
 * time and reports throughput and latency percentiles. Bounded both by time
 * and by count, so a stalled client cannot hang the benchmark. One run is
 * one slice ({@link runSlice}); the interleaved harness (interleaved.ts)
 * sums many slices per client, each drained before the next client's, so
 * no slice starts with another's lookups still in flight.
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
 * loops starts its next lookup when its last one settles. In-flight lookups
 * at the end are not counted; they are waited for only so the client is
 * quiet before the next run, and never longer than drainMs.
 */
export async function runClosedLoop(lookup: Lookup, concurrency: number, limits: RunLimits): Promise<RunResult> {
  const tally = new SliceTally();
  let next = 0;
  await runSlice(() => lookup(next++), concurrency, { leadInMs: limits.warmupMs, windowMs: limits.durationMs, drainMs: limits.drainMs }, tally);
  return tallyResult(concurrency, tally);
}

/** A tally's figures as one run's: rates over the summed windows, CPU per lookup completed in them. */
export function tallyResult(concurrency: number, tally: SliceTally): RunResult {
  const { completed, errors, firstError, windowMs } = tally;
  return {
    concurrency,
    completed,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    qps: (completed / windowMs) * 1000,
    p50: tally.percentile(50),
    p99: tally.percentile(99),
    elapsedMs: windowMs,
    cpuUs: tally.cpuMicros / completed,
  };
}

/** Timing of one slice. */
export interface SliceLimits {
  /** Unmeasured lookups first, so the window opens with `concurrency` in flight, as in a long run. */
  leadInMs: number;
  /** The measured window. */
  windowMs: number;
  /** How long to wait for the lookups in flight when the window closes (longer than the clients' timeout). */
  drainMs: number;
}

/** What one client's slices at one concurrency add up to. */
export class SliceTally {
  completed = 0;
  errors = 0;
  firstError: string | undefined;
  /** Summed length of the measured windows (ms). */
  windowMs = 0;
  /** Summed process CPU (user + system, µs) over the measured windows. */
  cpuMicros = 0;
  slices = 0;
  /** Lookups still in flight when a drain gave up (0 when every slice drained). */
  undrained = 0;
  private latencies = new Float64Array(1 << 14);

  /** Records one lookup completed in a window, `ms` after it started. */
  addLatency(ms: number): void {
    if (this.completed === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.completed++] = ms;
  }

  /** Records one lookup that rejected in a window. */
  addError(err: unknown): void {
    this.errors++;
    this.firstError ??= err instanceof Error ? err.message : String(err);
  }

  /** The `p`-th latency percentile (ms) over every slice's completed lookups. */
  percentile(p: number): number {
    return percentile(this.latencies, this.completed, p);
  }
}

/**
 * The closed loop, once: keeps `concurrency` lookups in flight (each loop
 * calls `start` for its next one when its last settles) through a lead-in
 * and a measured window, adds what the window saw to `tally`, then waits
 * for the lookups in flight at most `drainMs`. A whole run
 * ({@link runClosedLoop}) is one slice; the interleaved harness sums many.
 */
export async function runSlice(start: () => Promise<unknown>, concurrency: number, limits: SliceLimits, tally: SliceTally): Promise<void> {
  let measuring = false;
  let stopped = false;
  let inflight = 0;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const t0 = performance.now();
      inflight++;
      try {
        await start();
        if (measuring && !stopped) tally.addLatency(performance.now() - t0);
      } catch (err) {
        if (measuring && !stopped) tally.addError(err);
      } finally {
        inflight--;
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await sleep(limits.leadInMs);
  measuring = true;
  const windowStart = performance.now();
  const cpuStart = process.cpuUsage();
  await sleep(limits.windowMs);
  stopped = true;
  const cpu = process.cpuUsage(cpuStart);
  tally.windowMs += performance.now() - windowStart;
  tally.cpuMicros += cpu.user + cpu.system;
  tally.slices++;
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(loops), new Promise((resolve) => (drainTimer = setTimeout(resolve, limits.drainMs)))]);
  clearTimeout(drainTimer);
  tally.undrained += inflight;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
