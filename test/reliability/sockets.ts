/**
 * Watches how many sockets are open while something runs, as the kernel
 * sees them: the file descriptors of this process that are sockets
 * (/proc/self/fd). Handle counts would overstate: a closed socket's fd is
 * released at once, its libuv handle only later in the loop's close phase.
 */
import { readdirSync, readlinkSync } from "node:fs";

/** Sockets this process holds open now. */
export function openSockets(): number {
  let sockets = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith("socket:")) sockets++;
    } catch {
      // closed between the listing and the look
    }
  }
  return sockets;
}

/** Samples open sockets until {@link SocketSampler.stop}; keeps the maximum. */
export class SocketSampler {
  #max = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 5) {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  #sample(): void {
    this.#max = Math.max(this.#max, openSockets());
  }

  /** Stops sampling; the most sockets seen open at once. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#max;
  }
}
