/**
 * What tests compare between runs of the same lookups (over UDP and over
 * DoT or DoH, in Node and in workerd): each call's outcome as plain data,
 * and a fixed network, so no run reads interfaces or connects a UDP socket
 * to learn source addresses for sorting.
 */
import type { ResolverOptions } from "../../src/resolver.js";

/** No interfaces, `lo` as index 1, no source addresses. */
export const fixedNetwork: NonNullable<ResolverOptions["network"]> = { addresses: () => [], indexOf: (n) => (n === "lo" ? 1 : 0), nameOf: (i) => (i === 1 ? "lo" : undefined), sourceFor: async () => null };

/** What a promise gives: its value, or its error's class, errno and message. */
export async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await p };
  } catch (err) {
    const e = err as { name?: string; errno?: number; message?: string };
    return { error: e.name, errno: e.errno, message: e.message };
  }
}
