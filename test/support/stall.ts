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
 * the machine's other load.
 */
export class StallSampler {
  static readonly PERIOD_MS = 5;
  #last = performance.now();
  #lastCpu = process.cpuUsage();
  #wall = 0;
  #busy = 0;
  readonly #timer = setInterval(() => this.#sample(), StallSampler.PERIOD_MS);

  #sample(): void {
    const now = performance.now();
    const used = process.cpuUsage(this.#lastCpu);
    const gap = now - this.#last;
    this.#wall = Math.max(this.#wall, gap);
    this.#busy = Math.max(this.#busy, Math.min(gap, (used.user + used.system) / 1000));
    this.#last = now;
    this.#lastCpu = process.cpuUsage();
  }

  /**
   * Stops sampling (counting the gap up to now as the last one); returns
   * the longest gap between two runs of the timers phase (`wallMs`) and the
   * most CPU time spent within one gap (`busyMs`), in milliseconds.
   */
  stop(): { wallMs: number; busyMs: number } {
    clearInterval(this.#timer);
    this.#sample();
    return { wallMs: this.#wall, busyMs: this.#busy };
  }
}
