/**
 * The callback form of the lookup layers (docs/internal-contracts.md,
 * "Sinks"): a layer reports to its caller's state object, and the one
 * promise of a call is made at the Resolver's method.
 */

/**
 * Where a layer reports: exactly one of the two methods, once, perhaps
 * before the call that was given the sink returns; neither throws. An
 * object, so that the caller's own state can be the sink.
 */
export interface Sink<T> {
  done(value: T): void;
  failed(error: unknown): void;
}

/** The sink of a call's one promise. */
class PromiseSink<T> implements Sink<T> {
  constructor(readonly done: (value: T) => void, readonly failed: (error: unknown) => void) {}
}

/**
 * The one promise of a call: `start` runs at once with the promise's sink;
 * what it throws rejects the promise (a hot path never throws:
 * docs/internal-contracts.md, "Hot paths").
 */
export function viaSink<T>(start: (sink: Sink<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const sink = new PromiseSink<T>(resolve, reject);
    try {
      start(sink);
    } catch (err) {
      reject(err);
    }
  });
}

/** Reports what `promise` settles with to `sink` (the edges where a layer below still answers with a promise). */
export function settleTo<T>(promise: Promise<T>, sink: Sink<T>): void {
  promise.then((value) => sink.done(value), (err: unknown) => sink.failed(err));
}
