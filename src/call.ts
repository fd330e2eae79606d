/**
 * What every lookup method of a Resolver takes besides its own arguments:
 * a trailing options object (signal, tracer), told from positional
 * arguments by being a plain object, and the signal a call runs with.
 */
import type { Tracer } from "./trace.js";

/** The options object every lookup method accepts as its last argument. */
export interface CallOptions {
  signal?: AbortSignal;
  tracer?: Tracer;
}

/**
 * What may follow getaddrinfo's host and port: family, type, proto and
 * flags (each optional, in that order), then optionally a call options
 * object.
 */
export type GetaddrinfoRest =
  | [] | [CallOptions]
  | [family: number] | [family: number, options: CallOptions]
  | [family: number, type: number] | [family: number, type: number, options: CallOptions]
  | [family: number, type: number, proto: number] | [family: number, type: number, proto: number, options: CallOptions]
  | [family: number, type: number, proto: number, flags: number]
  | [family: number, type: number, proto: number, flags: number, options: CallOptions];

/** True for a plain object, which is how a trailing options argument is told from positional ones. */
function isCallOptions(value: unknown): value is CallOptions {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Splits a trailing options object off an argument list. */
export function splitCallOptions(args: unknown[]): [unknown[], CallOptions] {
  const last = args[args.length - 1];
  return isCallOptions(last) ? [args.slice(0, -1), last] : [args, {}];
}

/** The signal a call runs with: the Resolver's, the call's, or both. */
export function callSignal(own: AbortSignal | undefined, call: AbortSignal | undefined): AbortSignal | undefined {
  if (own !== undefined && call !== undefined) return AbortSignal.any([own, call]);
  return own ?? call;
}

/**
 * An optional argument the options object may stand in for, as
 * `getservbyname(name, { signal })`: the argument and the options.
 */
export function optionalArgument<T>(value: T | CallOptions | undefined, options: CallOptions | undefined): [T | undefined, CallOptions | undefined] {
  return options === undefined && isCallOptions(value) ? [undefined, value] : [value as T | undefined, options];
}
