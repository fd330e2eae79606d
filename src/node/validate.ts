/**
 * Argument checks with the errors Node's own validators throw
 * (lib/internal/validators.js, lib/internal/errors.js): the same class,
 * `code` and message text, so a drop-in fails exactly where node:dns
 * fails and says the same thing.
 */
import { inspect } from "../builtins.js";

/** A TypeError or RangeError carrying Node's `code`, printed as Node prints it. */
export type NodeArgumentError = (TypeError | RangeError) & { code: string };

function nodeError(Base: typeof TypeError | typeof RangeError, code: string, message: string): NodeArgumentError {
  const err = new Base(message) as NodeArgumentError;
  err.code = code;
  // Node's errors print as `TypeError [ERR_X]: message`.
  Object.defineProperty(err, "toString", { value: () => `${err.name} [${code}]: ${err.message}`, enumerable: false });
  return err;
}

/** A TypeError with a `code` and nothing else, as Node's C++ side throws them (`TypeError: message`). */
export function codedTypeError(code: string, message: string): NodeArgumentError {
  const err = new TypeError(message) as NodeArgumentError;
  err.code = code;
  return err;
}

/** "argument" for a plain name, "property" for a dotted path (Node's rule). */
function kindOf(name: string): string {
  return name.includes(".") ? "property" : "argument";
}

/** How Node 20's ERR_INVALID_ARG_TYPE describes the value it got (determineSpecificType). */
function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case "bigint":
      return `type bigint (${value}n)`;
    case "number":
      return `type number (${Object.is(value, -0) ? "-0" : String(value)})`;
    case "boolean":
    case "symbol":
      return `type ${typeof value} (${String(value)})`;
    case "function":
      return `function ${value.name}`;
    case "object": {
      const ctor = (value as { constructor?: object }).constructor;
      if (ctor && "name" in ctor) return `an instance of ${String(ctor.name)}`;
      return inspect(value, { depth: -1 });
    }
  }
  // What is left is a string.
  const text = String(value);
  const shown = text.length > 28 ? `${text.slice(0, 25)}...` : text;
  return shown.includes("'") ? `type string (${JSON.stringify(shown)})` : `type string ('${shown}')`;
}

/** ERR_INVALID_ARG_TYPE; `expected` is Node's phrase: "of type string", "an instance of Array". */
export function invalidArgType(name: string, expected: string, value: unknown): NodeArgumentError {
  return nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `The "${name}" ${kindOf(name)} must be ${expected}. Received ${describeReceived(value)}`);
}

/** ERR_INVALID_ARG_VALUE. */
export function invalidArgValue(name: string, value: unknown, reason = "is invalid"): NodeArgumentError {
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`;
  return nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The ${kindOf(name)} '${name}' ${reason}. Received ${inspected}`);
}

/** ERR_INVALID_IP_ADDRESS, what `setServers` throws for an entry that is no address. */
export function invalidIpAddress(text: string): NodeArgumentError {
  return nodeError(TypeError, "ERR_INVALID_IP_ADDRESS", `Invalid IP address: ${text}`);
}

/** ERR_OUT_OF_RANGE for a number, with Node's `1_000_000` grouping of big integers. */
function outOfRange(name: string, range: string, value: number): NodeArgumentError {
  const received = Number.isInteger(value) && Math.abs(value) > 2 ** 32 ? groupDigits(String(value)) : inspect(value);
  return nodeError(RangeError, "ERR_OUT_OF_RANGE", `The value of "${name}" is out of range. It must be ${range}. Received ${received}`);
}

function groupDigits(digits: string): string {
  const sign = digits.startsWith("-") ? "-" : "";
  let rest = sign === "" ? digits : digits.slice(1);
  let out = "";
  while (rest.length > 3) {
    out = `_${rest.slice(-3)}${out}`;
    rest = rest.slice(0, -3);
  }
  return `${sign}${rest}${out}`;
}

/** validateString. */
export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") throw invalidArgType(name, "of type string", value);
}

/** validateFunction. */
export function validateFunction(value: unknown, name: string): asserts value is (...args: never[]) => unknown {
  if (typeof value !== "function") throw invalidArgType(name, "of type function", value);
}

/** validateBoolean. */
export function validateBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== "boolean") throw invalidArgType(name, "of type boolean", value);
}

/** validateNumber (no range). */
export function validateNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
}

/** validateArray. */
export function validateArray(value: unknown, name: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw invalidArgType(name, "an instance of Array", value);
}

/** validateInt32 with a lower bound. */
export function validateInt32(value: unknown, name: string, min: number, max = 2 ** 31 - 1): asserts value is number {
  validateNumber(value, name);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

/** validateOneOf. */
export function validateOneOf<T>(value: unknown, name: string, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((v) => (typeof v === "string" ? `'${v}'` : String(v))).join(", ");
    throw invalidArgValue(name, value, `must be one of: ${list}`);
  }
}

/** ERR_MISSING_ARGS: `The "a", "b", and "c" arguments must be specified`. */
export function missingArgs(...names: string[]): NodeArgumentError {
  const quoted = names.map((n) => `"${n}"`);
  const list =
    quoted.length === 1 ? `${quoted[0]} argument`
    : quoted.length === 2 ? `${quoted[0]} and ${quoted[1]} arguments`
    : `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)} arguments`;
  return nodeError(TypeError, "ERR_MISSING_ARGS", `The ${list} must be specified`);
}

/** validatePort (zero allowed): a number or non-blank numeric string naming 0..65535, else ERR_SOCKET_BAD_PORT. */
export function validatePort(port: unknown, name = "Port"): asserts port is number | string {
  const bad =
    (typeof port !== "number" && typeof port !== "string") ||
    (typeof port === "string" && port.trim().length === 0) ||
    +port !== +port >>> 0 ||
    +port > 0xffff;
  if (bad) throw nodeError(RangeError, "ERR_SOCKET_BAD_PORT", `${name} should be >= 0 and < 65536. Received ${describeReceived(port)}.`);
}
