/**
 * The deadlines of many exchanges on one Node timer.
 *
 * A timer per exchange costs a Timeout object, a closure and (since each
 * exchange's remaining time differs by a fraction of a millisecond) often
 * a new list in Node's timer queue, for every query. Here the exchanges
 * sit in a binary min-heap by deadline, each knowing its place in it so
 * that an answered one leaves in O(log n), and one timer is armed for the
 * earliest deadline. The timer keeps the process alive while any deadline
 * is pending, and is cleared when none is.
 *
 * Answers are read before deadlines are judged. Node runs timers before it
 * polls sockets, so a deadline judged when its timer fires would pass over
 * an answer already waiting in a socket's buffer (a loop busy for a while
 * finds both due at once). So the timer only schedules the judgement for
 * after the next poll (`setImmediate`), and when that poll read datagrams
 * (the `reads` counter moved) it waits one more poll, as libuv reads at
 * most 32 datagrams per socket per poll: up to {@link MAX_READ_ROUNDS}
 * polls, so a flood of datagrams cannot put the judgement off for ever.
 * The judgement then ends only the items whose deadline had passed when
 * that last poll was scheduled: other callbacks of the same turn may hold
 * the loop up between the poll and the judgement, and an answer that
 * arrived meanwhile, before a later deadline, is read by the next poll
 * before that deadline is judged.
 */

/** Something with a deadline: `expire` is called once it has passed. */
export interface Expiring {
  /** When, on the `performance.now()` clock. */
  deadline: number;
  /** Its place in the heap; -1 when it is in none. Owned by {@link Deadlines}. */
  heapIndex: number;
  expire(): void;
}

/** Polls a judgement waits for at most while datagrams keep being read. */
export const MAX_READ_ROUNDS = 16;

/** A min-heap of {@link Expiring} items with one timer for the earliest. */
export class Deadlines {
  readonly #heap: Expiring[] = [];
  readonly #reads: () => number;
  /**
   * Armed for the earliest deadline, or an earlier one. Once the heap is
   * empty it is left armed but unreferenced, and referenced again by the
   * next item, whose deadline is later than it in the usual case (the
   * same timeout from a later start): one timer then serves the queries
   * of a whole timeout instead of one each.
   */
  #timer: NodeJS.Timeout | undefined;
  readonly #onTimer = (): void => this.#fire();
  #judging: NodeJS.Immediate | undefined;
  /** The deadline the timer is armed for (Infinity when it is not armed). */
  #armedFor = Infinity;

  /** `reads` counts the datagrams read so far by whoever answers the items (0 for none). */
  constructor(reads: () => number = () => 0) {
    this.#reads = reads;
  }

  /** Items waiting for their deadline. */
  get size(): number {
    return this.#heap.length;
  }

  add(item: Expiring): void {
    const heap = this.#heap;
    item.heapIndex = heap.length;
    heap.push(item);
    this.#up(item.heapIndex);
    if (item.deadline < this.#armedFor) this.#arm();
    else if (heap.length === 1) this.#timer?.ref();
  }

  /** Takes `item` out (nothing happens if it is not in). */
  remove(item: Expiring): void {
    const at = item.heapIndex;
    if (at < 0) return;
    item.heapIndex = -1;
    const heap = this.#heap;
    const last = heap.pop()!;
    if (last !== item) {
      heap[at] = last;
      last.heapIndex = at;
      this.#down(at);
      this.#up(last.heapIndex);
    }
    // An earlier deadline leaving does not re-arm: the timer fires early, finds nothing due, and re-arms.
    if (heap.length === 0) this.#idle();
  }

  #arm(): void {
    if (this.#judging !== undefined) return;
    clearTimeout(this.#timer);
    const first = this.#heap[0]!;
    this.#armedFor = first.deadline;
    this.#timer = setTimeout(this.#onTimer, Math.max(0, first.deadline - performance.now()));
  }

  /** Nothing waits: nothing keeps the process alive, and the timer stays for the next items (see {@link #timer}). */
  #idle(): void {
    clearImmediate(this.#judging);
    this.#judging = undefined;
    if (this.#timer === undefined) this.#armedFor = Infinity;
    else this.#timer.unref();
  }

  /** The timer: judge after the next poll (see the module comment). */
  #fire(): void {
    this.#timer = undefined;
    if (this.#heap.length === 0) {
      this.#armedFor = Infinity;
      return;
    }
    this.#armedFor = -Infinity;
    this.#afterPoll(this.#reads(), 1, performance.now());
  }

  #afterPoll(readsBefore: number, round: number, before: number): void {
    this.#judging = setImmediate(() => {
      this.#judging = undefined;
      const reads = this.#reads();
      if (reads !== readsBefore && round < MAX_READ_ROUNDS) this.#afterPoll(reads, round + 1, performance.now());
      else this.#judge(before);
    });
  }

  /** Ends the items due by `before`, a time before the poll that just ran (see the module comment). */
  #judge(before: number): void {
    this.#armedFor = Infinity;
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]!.deadline <= before) {
      const due = heap[0]!;
      this.remove(due);
      due.expire();
    }
    if (heap.length > 0 && this.#timer === undefined && this.#judging === undefined) this.#arm();
  }

  #up(at: number): void {
    const heap = this.#heap;
    const item = heap[at]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt]!;
      if (parent.deadline <= item.deadline) break;
      heap[at] = parent;
      parent.heapIndex = at;
      at = parentAt;
    }
    heap[at] = item;
    item.heapIndex = at;
  }

  #down(at: number): void {
    const heap = this.#heap;
    const item = heap[at]!;
    const n = heap.length;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.deadline < heap[child]!.deadline) child++;
      if (heap[child]!.deadline >= item.deadline) break;
      heap[at] = heap[child]!;
      heap[at]!.heapIndex = at;
      at = child;
    }
    heap[at] = item;
    item.heapIndex = at;
  }
}
