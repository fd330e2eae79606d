/**
 * Wrong arguments to `lookup`, shared by the test and the child process
 * that asks the real dns.lookup (see lookup-args.test.ts). Every host name
 * is an IP literal or not a string, so dns.lookup cannot reach a resolver
 * with any of them.
 */
const noop = (): void => undefined;
export const CASES: Array<[string, unknown[]]> = [
  ["hostname a number", [42, noop]],
  ["hostname an object", [{}, noop]],
  ["hostname an array", [[1, 2], noop]],
  ["hostname a named function", [function named() {}, noop]],
  ["hostname a symbol", [Symbol("x"), noop]],
  ["hostname a bigint", [10n, noop]],
  ["hostname a null-prototype object", [Object.create(null), noop]],
  ["no callback", ["127.0.0.1"]],
  ["options but no callback", ["127.0.0.1", {}]],
  ["family but no callback", ["127.0.0.1", 4]],
  ["options a string", ["127.0.0.1", "x", noop]],
  ["options a long string", ["127.0.0.1", "a very long string that goes past the limit", noop]],
  ["a string instead of the callback", ["127.0.0.1", "x"]],
  ["callback not a function", ["127.0.0.1", {}, 42]],
  ["family 5", ["127.0.0.1", 5, noop]],
  ["options.family 5", ["127.0.0.1", { family: 5 }, noop]],
  ["options.family 'ipv4'", ["127.0.0.1", { family: "ipv4" }, noop]],
  ["options.family very long", ["127.0.0.1", { family: "x".repeat(200) }, noop]],
  ["options.hints not a flag", ["127.0.0.1", { hints: 1 }, noop]],
  ["options.hints -1", ["127.0.0.1", { hints: -1 }, noop]],
  ["options.hints 1.5", ["127.0.0.1", { hints: 1.5 }, noop]],
  ["options.hints a string", ["127.0.0.1", { hints: "32" }, noop]],
  ["options.all a string", ["127.0.0.1", { all: "yes" }, noop]],
  ["options.verbatim a number", ["127.0.0.1", { verbatim: 1 }, noop]],
  ["options.order unknown", ["127.0.0.1", { order: "random" }, noop]],
];

/** The error `f` throws, as plain data to compare. */
export function thrown(f: () => unknown): Record<string, unknown> {
  try {
    f();
  } catch (err) {
    const e = err as Error & { code?: unknown };
    return { class: e.constructor.name, name: e.name, code: e.code, message: e.message, string: String(e), keys: Object.keys(e) };
  }
  return { class: "no error" };
}
