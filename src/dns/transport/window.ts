/**
 * How many UDP queries one server gets at once, learned from what it does.
 *
 * glibc has no such limit: each lookup sends its own datagrams. A burst of
 * thousands at once overflows a server's receive buffer (Knot's and most
 * servers' hold a few hundred small datagrams), and every dropped query
 * then costs its lookup a whole try timeout. A fixed limit is either too
 * small for a fast server or too large for a slow one, so each server gets
 * a window that it sets by answering:
 *
 * - **Presumed lost.** A query unanswered for one retransmission timeout
 *   (RTO) no longer counts against the window; it is still awaited until
 *   its try's deadline, and nothing is re-sent because of it (re-sending
 *   stays res_send's, on glibc's schedule). The RTO is RFC 6298's: smoothed
 *   round trip plus four times its variance, from round trips measured
 *   from the datagram leaving to its answer being read — so a client too
 *   busy to read its answers does not take its own backlog for losses.
 *   Each datagram has its own ID and socket, so every sample is
 *   unambiguous (Karn's rule holds by construction). Losses back the RTO
 *   off (double it, at most once per RTO, within the bounds) until the
 *   next answer. An answer that comes after all takes its loss back, if
 *   its epoch is still being counted.
 * - **The window** is judged once per window's worth of outcomes (an
 *   "epoch": answers plus presumed losses). An epoch with more than
 *   `lossTolerance` of its queries lost is congestion: the window halves.
 *   Light random loss (a lossy path: a few percent) is below that and
 *   holds the window where it is, since halving would only slow the
 *   lookups down without sparing the server anything. An epoch without
 *   loss grows the window: it doubles until the first congestion (slow
 *   start), then grows by `increase` per epoch (additive increase).
 * - **After a pause** (nothing sent for a second and four RTOs) the window
 *   starts again from at least `initial`, since what was learned about
 *   the server's load is stale.
 */

/** The bounds a {@link FlowWindow} works within. */
export interface WindowLimits {
  /** Queries in flight to a server before anything is known of it. */
  initial: number;
  /** Never fewer queries in flight than this. */
  min: number;
  /** Never more queries in flight than this. */
  max: number;
  /** Queries added to the window per loss-free epoch after the first congestion. */
  increase: number;
  /** Fraction of an epoch's queries that may be lost before it counts as congestion. */
  lossTolerance: number;
  /** RTO before the first answer, in milliseconds. */
  initialRtoMs: number;
  /** Smallest RTO, in milliseconds (clock granularity and scheduling jitter). */
  minRtoMs: number;
  /** Largest RTO, in milliseconds. */
  maxRtoMs: number;
}

/** The defaults of every server's window. */
export const WINDOW_LIMITS: Readonly<WindowLimits> = {
  initial: 128,
  min: 32,
  max: 256,
  increase: 16,
  lossTolerance: 0.2,
  initialRtoMs: 100,
  minRtoMs: 50,
  maxRtoMs: 1000,
};

/** One server's RTO estimator and congestion window; see the module comment. */
export class FlowWindow {
  readonly #limits: WindowLimits;
  #size: number;
  #slowStart = true;
  #srtt = 0;
  #rttvar = 0;
  #rto: number;
  /** Multiplier of the RTO after losses without an answer since (RFC 6298 section 5.5). */
  #backoff = 1;
  /** When the RTO was last backed off: at most once per RTO, however many queries were lost together. */
  #backedOffAt = -Infinity;
  #epochAnswers = 0;
  #epochLosses = 0;
  #lastSent = -Infinity;

  constructor(limits: WindowLimits = WINDOW_LIMITS) {
    this.#limits = limits;
    this.#size = limits.initial;
    this.#rto = limits.initialRtoMs;
  }

  /** Queries that may be in flight now. */
  get size(): number {
    return Math.floor(this.#size);
  }

  /** How long an unanswered query counts as in flight, in milliseconds. */
  get rto(): number {
    return Math.min(this.#limits.maxRtoMs, this.#rto * this.#backoff);
  }

  /** Smoothed round-trip time in milliseconds, 0 before the first answer. */
  get srtt(): number {
    return this.#srtt;
  }

  /** A query leaves at `now`: after a pause, the window starts again from `initial`. */
  sending(now: number): void {
    if (now - this.#lastSent > Math.max(1000, 4 * this.rto)) {
      this.#size = Math.max(this.#size, this.#limits.initial);
      this.#slowStart = true;
      this.#epochAnswers = 0;
      this.#epochLosses = 0;
    }
    this.#lastSent = now;
  }

  /** An answer read `rtt` milliseconds after its query left. */
  answered(rtt: number): void {
    this.#sample(rtt);
    this.#backoff = 1;
    this.#epochAnswers++;
    this.#judge();
  }

  /**
   * An answer to a query already presumed lost: a round trip to learn
   * from, and the loss taken back if its epoch is still open — a client
   * too busy to read its answers in time (thousands of lookups started at
   * once) must not take them for a full server.
   */
  answeredLate(rtt: number): void {
    this.#sample(rtt);
    this.#backoff = 1;
    if (this.#epochLosses > 0) {
      this.#epochLosses--;
      this.#epochAnswers++;
    }
  }

  /** A query went unanswered for an RTO (noticed at `now`). */
  lost(now: number): void {
    if (now - this.#backedOffAt >= this.rto) {
      this.#backoff = Math.min(this.#backoff * 2, 64);
      this.#backedOffAt = now;
    }
    this.#epochLosses++;
    this.#judge();
  }

  /** RFC 6298 section 2: alpha 1/8, beta 1/4, K 4, and the bounds. */
  #sample(rtt: number): void {
    if (this.#srtt === 0) {
      this.#srtt = rtt;
      this.#rttvar = rtt / 2;
    } else {
      this.#rttvar += (Math.abs(this.#srtt - rtt) - this.#rttvar) / 4;
      this.#srtt += (rtt - this.#srtt) / 8;
    }
    const { minRtoMs, maxRtoMs } = this.#limits;
    this.#rto = Math.min(maxRtoMs, Math.max(minRtoMs, this.#srtt + 4 * this.#rttvar));
  }

  /** At the end of an epoch, grows, holds or halves the window. */
  #judge(): void {
    const outcomes = this.#epochAnswers + this.#epochLosses;
    if (outcomes < this.#size) return;
    const { min, max, increase, lossTolerance } = this.#limits;
    if (this.#epochLosses > lossTolerance * outcomes) {
      this.#size = Math.max(min, this.#size / 2);
      this.#slowStart = false;
    } else if (this.#epochLosses === 0) {
      this.#size = Math.min(max, this.#slowStart ? this.#size * 2 : this.#size + increase);
    }
    this.#epochAnswers = 0;
    this.#epochLosses = 0;
  }
}
