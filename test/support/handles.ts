/**
 * Counting what keeps the event loop alive, to prove an operation left
 * nothing behind: sockets, servers, timers (process.getActiveResourcesInfo),
 * and abort listeners on a signal.
 */
import { getEventListeners } from "node:events";

/**
 * A baseline for {@link assertNoLeaks}, taken after one turn of the event
 * loop. Take it in an async `beforeEach` and check in an async `afterEach`
 * (or both inside one test): mocha arms its own timeout timer for an async
 * hook once the hook has returned its promise, so both sides then count
 * exactly one mocha timer.
 */
export async function resourceBaseline(): Promise<Map<string, number>> {
  await new Promise((resolve) => setImmediate(resolve));
  return activeResources();
}

/** How many active resources of each kind there are now ("UDPWrap", "TCPSocketWrap", "Timeout", ...). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * The kinds of which there are more now than in `before`, as
 * "UDPWrap +1" texts. A handle whose close() has been called is released
 * only in the close phase of the event loop, after the "close" event, so
 * this first lets the loop go round a few times.
 */
export async function leakedResources(before: Map<string, number>): Promise<string[]> {
  let leaks: string[] = [];
  for (let turn = 0; turn < 5; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    leaks = [];
    for (const [kind, count] of activeResources()) {
      const extra = count - (before.get(kind) ?? 0);
      if (extra > 0) leaks.push(`${kind} +${extra}`);
    }
    if (leaks.length === 0) break;
  }
  return leaks;
}

/** Throws if anything in {@link leakedResources} is left, naming it. */
export async function assertNoLeaks(before: Map<string, number>, what = "operation"): Promise<void> {
  const leaks = await leakedResources(before);
  if (leaks.length > 0) throw new Error(`${what} left active resources behind: ${leaks.join(", ")}`);
}

/** Abort listeners currently registered on a signal. */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, "abort").length;
}
