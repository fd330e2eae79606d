/**
 * Suites for test/reliability/crashguard.test.ts to run in a mocha child
 * of their own (not a *.test.ts file: the test run never loads it): one
 * provokes an unhandled rejection, one an uncaught exception from a timer,
 * one a rejection in a suite whose own after hook fails (so the guard's
 * after hook never runs there: the next suite's before hook reports it),
 * one does neither. Every test here passes by itself; only the crash
 * guard's `after` hooks (test/support/setup.ts) can fail them.
 */
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("fixture: an unhandled rejection", () => {
  it("rejects a promise nobody awaits, then passes", async () => {
    void Promise.reject(new Error("provoked rejection"));
    await settle(20);
  });
});

describe("fixture: an uncaught exception", () => {
  it("throws from a timer after it has passed", () => {
    setTimeout(() => {
      throw new Error("provoked exception");
    }, 5);
  });
  it("waits for the timer", () => settle(30));
});

describe("fixture: a rejection, then an after hook that fails", () => {
  after(() => {
    throw new Error("provoked after-hook failure");
  });
  it("rejects a promise nobody awaits, then passes", async () => {
    void Promise.reject(new Error("provoked rejection before a failing after hook"));
    await settle(20);
  });
});

describe("fixture: the suite after it", () => {
  it("passes", () => settle(5));
});

describe("fixture: nothing happens", () => {
  it("passes", () => settle(5));
});
