/**
 * Loaded by mocha before every test file (see .mocharc.json): installs the
 * network guard and fails the run (as an "after each" hook failure naming
 * the test) when a test tried to send to a non-loopback address, even if
 * the code under test swallowed the guard's exception; and brackets every
 * top-level suite with the leak check (leakcheck.ts), which fails a suite
 * that leaves a socket, server, timer or child process behind, and with
 * the crash guard (crashguard.ts), which fails a suite during which an
 * uncaught exception or unhandled rejection happened.
 */
import { finishCrashChecks, installCrashChecks } from "./crashguard.js";
import { installLeakChecks } from "./leakcheck.js";
import { installNetGuard, takeViolations } from "./netguard.js";

installNetGuard();

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    // The crash guard first: its `after` then runs before the leak check's.
    installCrashChecks(this.test!.parent!);
    installLeakChecks(this.test!.parent!);
  },
  afterAll() {
    finishCrashChecks();
  },
  afterEach(this: Mocha.Context) {
    const seen = takeViolations();
    if (seen.length > 0) {
      throw new Error(`${this.currentTest?.fullTitle() ?? "test"} tried to leave loopback:\n${seen.join("\n")}`);
    }
  },
};
