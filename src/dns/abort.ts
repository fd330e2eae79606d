/**
 * Many calls watching one caller's AbortSignal through a single listener.
 *
 * A Resolver's `signal` option, or a PromisesResolver's `cancel()`, is one
 * signal shared by every lookup in flight; a listener per lookup makes
 * Node print MaxListenersExceededWarning past ten, and costs an entry per
 * lookup in the signal's listener list. Here a signal gets one listener,
 * added with the first watcher and removed with the last, that calls the
 * watchers in the order they came. A watcher is the call's own state
 * object (no closure per call).
 */

/** What watches a signal: called once when it aborts, unless unwatched before. */
export interface AbortWatcher {
  callerAborted(): void;
}

interface Watch {
  readonly watchers: Set<AbortWatcher>;
  readonly listener: () => void;
}

const WATCHES = new WeakMap<AbortSignal, Watch>();

/** Calls `watcher.callerAborted()` once when `signal` aborts, until {@link unwatchAbort}. */
export function watchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  let watch = WATCHES.get(signal);
  if (watch === undefined) {
    const watchers = new Set<AbortWatcher>();
    const listener = (): void => {
      WATCHES.delete(signal);
      for (const w of [...watchers]) w.callerAborted();
    };
    watch = { watchers, listener };
    WATCHES.set(signal, watch);
    signal.addEventListener("abort", listener, { once: true });
  }
  watch.watchers.add(watcher);
}

/** Stops watching; the signal's listener goes with its last watcher. */
export function unwatchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  const watch = WATCHES.get(signal);
  if (watch === undefined) return;
  watch.watchers.delete(watcher);
  if (watch.watchers.size > 0) return;
  WATCHES.delete(signal);
  signal.removeEventListener("abort", watch.listener);
}
