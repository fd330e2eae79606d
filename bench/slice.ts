/**
 * One slice of the interleaved harness (bench/interleaved.ts): the closed
 * loop of bench/measure.ts cut short, run many times per client with the
 * other clients' slices in between, its figures summed over the slices.
 * Each slice is drained before it returns, so the next client's slice
 * starts with nothing of this one still in flight.
 */
import { percentile, sleep } from "./measure.js";

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
 * Runs one slice of `lookup` with `concurrency` lookups in flight, each of
 * a fresh name from `nextName`, and adds what its window saw to `tally`.
 */
export async function runSlice(lookup: (name: string) => Promise<unknown>, nextName: () => string, concurrency: number, limits: SliceLimits, tally: SliceTally): Promise<void> {
  let measuring = false;
  let stopped = false;
  let inflight = 0;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const name = nextName();
      const t0 = performance.now();
      inflight++;
      try {
        await lookup(name);
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
