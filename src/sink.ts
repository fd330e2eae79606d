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

/**
 * A sink shared by many calls: each call hands the layer below the reader
 * and its own state `to`, and the reader is told about `to`, so that the
 * state of a call in flight needs no adapter object of the layer's (one
 * reader per kind of caller, made once). The same rules as {@link Sink}.
 */
export interface Reader<T, S> {
  done(value: T, to: S): void;
  failed(error: unknown, to: S): void;
}

/** The reader of a plain {@link Sink}: what it is told goes to the sink. */
const TO_SINK: Reader<unknown, Sink<unknown>> = {
  done: (value, to) => to.done(value),
  failed: (error, to) => to.failed(error),
};

/** {@link TO_SINK} for a sink of `T`. */
export function toSink<T>(): Reader<T, Sink<T>> {
  return TO_SINK as Reader<T, Sink<T>>;
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
