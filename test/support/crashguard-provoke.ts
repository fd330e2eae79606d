/**
 * Preloaded (`--import`) into a child process by
 * test/reliability/crashguard.test.ts: once the child has installed a
 * handler for it (its crash guard), provokes what CRASHGUARD_PROVOKE says —
 * an unhandled rejection ("rejection") or an uncaught exception
 * ("exception") — as a bug in the code under test would.
 */
const kind = process.env.CRASHGUARD_PROVOKE;
const event = kind === "rejection" ? "unhandledRejection" : "uncaughtException";
const poll = setInterval(() => {
  if (process.listenerCount(event) === 0) return;
  clearInterval(poll);
  if (kind === "rejection") void Promise.reject(new Error("provoked rejection"));
  else setImmediate(() => {
    throw new Error("provoked exception");
  });
}, 1);
