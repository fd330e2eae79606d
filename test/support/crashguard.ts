/**
 * The crash guard: an uncaught exception or an unhandled rejection is a
 * bug wherever it comes from (a socket callback of the transport, a timer,
 * a promise nobody awaits), even when the test that was running passes.
 *
 * - In the mocha process, every top-level suite is bracketed (wired in
 *   test/support/setup.ts, like the leak check): a first `before` hook
 *   starts listening for both events, a last `after` hook stops and fails
 *   the suite, naming each one. Mocha fails the running test on an
 *   uncaught exception by itself, but an unhandled rejection it hands back
 *   to the process, and one that happens between tests or in a suite's
 *   hooks is easily blamed on the wrong test; the guard names the suite.
 * - In a child process (fuzz-runner.ts, the namespace children),
 *   {@link exitOnCrash} prints the first one with what the child was doing
 *   and exits with {@link CRASH_EXIT_CODE}, so the parent test fails.
 */
import { inspect } from "node:util";

/** The exit status of a child that had an uncaught exception or unhandled rejection. */
export const CRASH_EXIT_CODE = 70;

function describeThrown(value: unknown): string {
  return value instanceof Error ? (value.stack ?? String(value)) : inspect(value);
}

interface Check {
  what: string;
  caught: string[];
}

/** The suite being watched; undefined between suites. */
let active: Check | undefined;
// Mocha re-emits a rejection it did not cause: the same reason would be heard twice.
const seen = new WeakSet<object>();

function onException(err: unknown): void {
  active?.caught.push(`uncaught exception: ${describeThrown(err)}`);
}

function onRejection(reason: unknown): void {
  if (typeof reason === "object" && reason !== null) {
    if (seen.has(reason)) return;
    seen.add(reason);
  }
  active?.caught.push(`unhandled rejection: ${describeThrown(reason)}`);
}

function detach(): Check | undefined {
  const check = active;
  active = undefined;
  process.off("uncaughtException", onException);
  process.off("unhandledRejection", onRejection);
  return check;
}

function report(check: Check | undefined, how: string): void {
  if (check === undefined || check.caught.length === 0) return;
  throw new Error(`crash guard: ${check.what}${how} had ${check.caught.length} uncaught exception(s) or unhandled rejection(s):\n${check.caught.join("\n\n")}`);
}

/**
 * The hooks that bracket one suite: `start` listens, `end` stops listening
 * and throws if anything was caught in between. Listening stops between
 * suites, so that outside them mocha's and Node's own handling is as
 * without the guard. When a suite's `end` never ran (mocha skips the
 * remaining `after` hooks of a suite once one fails), the next `start`, or
 * {@link finishCrashChecks}, reports what that suite caught.
 */
export function crashCheck(what: string): { start(): void; end(): void } {
  return {
    start() {
      report(detach(), " (whose last after hook never ran)");
      active = { what, caught: [] };
      process.on("uncaughtException", onException);
      process.on("unhandledRejection", onRejection);
    },
    end() {
      report(detach(), "");
    },
  };
}

/** For the end of the run: reports what a suite whose `end` never ran caught. */
export function finishCrashChecks(): void {
  report(detach(), " (whose last after hook never ran)");
}

/** Mocha keeps a suite's hooks in these arrays, in running order. */
interface SuiteHooks {
  _beforeAll: Mocha.Hook[];
}

/** Brackets every direct child suite of `root` with {@link crashCheck} hooks. */
export function installCrashChecks(root: Mocha.Suite): void {
  for (const suite of root.suites) {
    const check = crashCheck(`suite "${suite.title}"`);
    suite.beforeAll("crash guard: listen for uncaught exceptions and unhandled rejections", check.start);
    const hooks = (suite as unknown as SuiteHooks)._beforeAll;
    hooks.unshift(hooks.pop()!);
    suite.afterAll("crash guard: none happened", check.end);
  }
}

let exiting = false;

/**
 * For a child process: on the first uncaught exception or unhandled
 * rejection, print it to stderr with `where()` (what the child was doing)
 * and exit with {@link CRASH_EXIT_CODE}.
 */
export function exitOnCrash(where: () => string): void {
  const crash = (kind: string) => (value: unknown): void => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(`crash guard: ${kind} ${where()}: ${describeThrown(value)}\n`);
    process.exit(CRASH_EXIT_CODE);
  };
  process.on("uncaughtException", crash("uncaught exception"));
  process.on("unhandledRejection", crash("unhandled rejection"));
}
