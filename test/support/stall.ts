/**
 * How long the event loop went without running a timer: a 5 ms interval
 * notes the longest gap between its runs. A gap is time the loop spent in
 * one piece of work (or in several before it came back to the timers
 * phase), so under a flood it bounds how long any other callback had to
 * wait.
 *
 * On a shared machine a gap also counts time the process was not running
 * at all, so each gap is also taken as the CPU time the process used in it
 * (at most the gap): the part of the stall that was work done here, not
 * the machine's other load. Garbage collection inside a gap is taken out
 * of that part: in a whole mocha run the collector's pauses (and its
 * helper threads' CPU time, which process.cpuUsage counts) grow with the
 * suite's heap, not with the work being measured; `gcMs` reports the
 * longest collection seen.
 */
import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";

interface Gap {
  start: number;
  end: number;
  cpu: number;
}

export class StallSampler {
  static readonly PERIOD_MS = 5;
  #last = performance.now();
  #lastCpu = process.cpuUsage();
  readonly #gaps: Gap[] = [];
  readonly #collections: PerformanceEntry[] = [];
  readonly #observer = new PerformanceObserver((list) => this.#collections.push(...list.getEntries()));
  readonly #timer = setInterval(() => this.#sample(), StallSampler.PERIOD_MS);

  constructor() {
    this.#observer.observe({ entryTypes: ["gc"] });
  }

  #sample(): void {
    const now = performance.now();
    const used = process.cpuUsage(this.#lastCpu);
    this.#gaps.push({ start: this.#last, end: now, cpu: (used.user + used.system) / 1000 });
    this.#last = now;
    this.#lastCpu = process.cpuUsage();
  }

  /** Milliseconds of garbage collection between `start` and `end`. */
  #collecting(start: number, end: number): number {
    let ms = 0;
    for (const gc of this.#collections) ms += Math.max(0, Math.min(end, gc.startTime + gc.duration) - Math.max(start, gc.startTime));
    return ms;
  }

  /**
   * Stops sampling (counting the gap up to now as the last one); returns
   * the longest gap between two runs of the timers phase (`wallMs`), the
   * most CPU time spent within one gap outside garbage collection
   * (`busyMs`), and the longest collection (`gcMs`), in milliseconds.
   */
  stop(): { wallMs: number; busyMs: number; gcMs: number } {
    clearInterval(this.#timer);
    this.#sample();
    this.#collections.push(...this.#observer.takeRecords());
    this.#observer.disconnect();
    let wallMs = 0;
    let busyMs = 0;
    for (const gap of this.#gaps) {
      const wall = gap.end - gap.start;
      wallMs = Math.max(wallMs, wall);
      busyMs = Math.max(busyMs, Math.max(0, Math.min(wall, gap.cpu) - this.#collecting(gap.start, gap.end)));
    }
    const gcMs = this.#collections.reduce((most, gc) => Math.max(most, gc.duration), 0);
    return { wallMs, busyMs, gcMs };
  }
}
