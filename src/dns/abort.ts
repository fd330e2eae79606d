/**
 * Many calls watching one caller's AbortSignal through a single listener.
 *
 * A Resolver's `signal` option, or a PromisesResolver's `cancel()`, is one
 * signal shared by every lookup in flight; a listener per lookup makes
 * Node print MaxListenersExceededWarning past ten, and costs an entry per
 * lookup in the signal's listener list. Here a signal gets one listener,
 * added with the first watcher and removed with the last, that calls the
 * watchers in the order they came.
 */

interface Watch {
  readonly watchers: Set<() => void>;
  readonly listener: () => void;
}

const WATCHES = new WeakMap<AbortSignal, Watch>();

/** Calls `onAbort` once when `signal` aborts, until {@link unwatchAbort}. */
export function watchAbort(signal: AbortSignal, onAbort: () => void): void {
  let watch = WATCHES.get(signal);
  if (watch === undefined) {
    const watchers = new Set<() => void>();
    const listener = (): void => {
      WATCHES.delete(signal);
      for (const watcher of [...watchers]) watcher();
    };
    watch = { watchers, listener };
    WATCHES.set(signal, watch);
    signal.addEventListener("abort", listener, { once: true });
  }
  watch.watchers.add(onAbort);
}

/** Stops calling `onAbort`; the signal's listener goes with its last watcher. */
export function unwatchAbort(signal: AbortSignal, onAbort: () => void): void {
  const watch = WATCHES.get(signal);
  if (watch === undefined) return;
  watch.watchers.delete(onAbort);
  if (watch.watchers.size > 0) return;
  WATCHES.delete(signal);
  signal.removeEventListener("abort", watch.listener);
}
