/**
 * How long the event loop went without running a timer: a 5 ms interval
 * notes the longest gap between its runs beyond its own period. A gap is
 * time the loop spent in one piece of work (or in several before it came
 * back to the timers phase), so under a flood it bounds how long any other
 * callback had to wait.
 */
export class StallSampler {
  static readonly PERIOD_MS = 5;
  #last = performance.now();
  #longest = 0;
  readonly #timer = setInterval(() => {
    const now = performance.now();
    this.#longest = Math.max(this.#longest, now - this.#last - StallSampler.PERIOD_MS);
    this.#last = now;
  }, StallSampler.PERIOD_MS);

  /** Stops sampling; returns the longest stall seen, in milliseconds (including one last one up to now). */
  stop(): number {
    clearInterval(this.#timer);
    return Math.max(this.#longest, performance.now() - this.#last - StallSampler.PERIOD_MS);
  }
}
