/**
 * Watches how many sockets are open while something runs, as the kernel
 * sees them: the file descriptors of this process that are sockets
 * (/proc/self/fd). Handle counts would overstate: a closed socket's fd is
 * released at once, its libuv handle only later in the loop's close phase.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

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

/**
 * The IPv4 UDP sockets on this machine bound to `port` or connected to it
 * (a server's, and its clients'), from the kernel's table: octets waiting
 * to be read, and datagrams dropped since they opened (a full receive
 * buffer).
 */
export function udpQueues(port: number): { queued: number; drops: number } {
  let queued = 0;
  let drops = 0;
  for (const line of readFileSync("/proc/net/udp", "utf8").split("\n").slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
    const fields = line.trim().split(/\s+/);
    if (fields.length < 13) continue;
    const local = parseInt(fields[1]!.split(":")[1]!, 16);
    const remote = parseInt(fields[2]!.split(":")[1]!, 16);
    if (local !== port && remote !== port) continue;
    queued += parseInt(fields[4]!.split(":")[1]!, 16);
    drops += Number(fields[12]);
  }
  return { queued, drops };
}

/**
 * Resolves once every datagram sent to or from these ports has been read
 * (see {@link udpQueues}): a server in this process reads only when the
 * event loop polls, so what it counts is final only then. Rejects after
 * `withinMs`.
 */
export async function allRead(ports: number[], withinMs = 5000): Promise<void> {
  const until = performance.now() + withinMs;
  while (ports.some((port) => udpQueues(port).queued > 0)) {
    if (performance.now() > until) throw new Error(`datagrams still unread on ports ${ports.join(", ")} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
