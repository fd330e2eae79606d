/**
 * The leak check of the whole test run: every top-level suite (one test
 * file, usually) gets a first `before` hook that counts what keeps the
 * event loop alive — sockets, servers, timers, child processes — and a last
 * `after` hook that counts again once the suite's own `after` hooks have
 * closed what they opened, and fails that suite, naming what is left.
 *
 * Wired as a root `beforeAll` hook in test/support/setup.ts, which runs
 * after every test file has been loaded and before any suite starts:
 *
 * ```ts
 * beforeAll(this: Mocha.Context) { installLeakChecks(this.test!.parent!); },
 * ```
 */
import { leakedResources, resourceBaseline } from "./handles.js";

/**
 * The hooks that bracket one suite: `start` takes the count, `end` throws on
 * leaks. Both are asynchronous and count after a turn of the event loop, so
 * mocha's timer for the running hook (started once a hook returns a promise)
 * is counted by both alike.
 */
export function leakCheck(what: string): { start(): Promise<void>; end(): Promise<void> } {
  let before = new Map<string, number>();
  return {
    async start() {
      before = await resourceBaseline();
    },
    async end() {
      const leaked = await leakedResources(before);
      if (leaked.length > 0) throw new Error(`${what} left active resources behind: ${leaked.join(", ")}`);
    },
  };
}

/** Mocha keeps a suite's hooks in these arrays, in running order. */
interface SuiteHooks {
  _beforeAll: Mocha.Hook[];
}

/** Brackets every direct child suite of `root` with {@link leakCheck} hooks. */
export function installLeakChecks(root: Mocha.Suite): void {
  for (const suite of root.suites) {
    const check = leakCheck(`suite "${suite.title}"`);
    suite.beforeAll("leak check: count active resources", check.start);
    // First of all its before hooks, so the count is taken before the suite opens anything.
    const hooks = (suite as unknown as SuiteHooks)._beforeAll;
    hooks.unshift(hooks.pop()!);
    suite.afterAll("leak check: nothing left active", check.end);
  }
}
