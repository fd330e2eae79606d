/**
 * How a node:dns-shaped call ended, in a form two runs (node's and
 * netdb's) can be compared by deep equality: its value, the error it
 * settled with, or what it threw at once.
 */

/** A call's ending: `value`, `error` (rejected or called back) or `thrown` (at once). */
export type Outcome = { value: unknown } | { error: Record<string, unknown> } | { thrown: Record<string, unknown> };

/** The parts of an error node:dns callers look at. */
export function described(err: unknown): Record<string, unknown> {
  const e = err as Error & Record<string, unknown>;
  return {
    class: e.constructor.name, message: e.message, keys: Object.keys(e), text: String(e),
    errno: e.errno, code: e.code, syscall: e.syscall, hostname: e.hostname,
  };
}

/** How a promise-returning call settles, or what it threw at once. */
export async function promised(call: () => unknown): Promise<Outcome> {
  let pending: unknown;
  try {
    pending = call();
  } catch (err) {
    return { thrown: described(err) };
  }
  try {
    return { value: await pending };
  } catch (err) {
    return { error: described(err) };
  }
}
