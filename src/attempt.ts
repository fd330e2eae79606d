/**
 * The one way a hot-path function that is not an async function turns a
 * synchronous throw into a rejection (docs/internal-contracts.md, "Hot
 * paths").
 */

/** What `run` returns, as a promise, or a promise rejected with what it threw. */
export function attempt<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err);
  }
}
