/**
 * Runs a fuzz target in a child process, so that a crash or an endless loop
 * in the code under test fails one test cleanly instead of taking mocha
 * down with it:
 *
 *   node --import tsx test/reliability/fuzz-runner.ts TARGET SEED FIRST COUNT
 *
 * Prints "progress N" every PROGRESS_EVERY cases and a final line of JSON
 * (a {@link FuzzReport}). Targets are in fuzz-targets.ts.
 */
import { exitOnCrash } from "../support/crashguard.js";
import { installNetGuard, takeViolations } from "../support/netguard.js";
import { FUZZ_TARGETS, type FuzzOutcome } from "./fuzz-targets.js";

/** What a fuzz run found. */
export interface FuzzReport {
  target: string;
  seed: number;
  cases: number;
  /** Faults the cases injected (mutations, damage, network errors, hostile arguments). */
  faults: number;
  /** How many cases ended in each documented way. */
  outcomes: Record<string, number>;
  /** The first few undocumented endings, with everything needed to replay them. */
  failures: string[];
}

export const PROGRESS_EVERY = 1000;
const MAX_FAILURES = 5;
/** How long an asynchronous case may take to settle; the fakes answer at once. */
const SETTLE_MS = 2000;

// Whatever a fuzzed call does, nothing may leave loopback.
installNetGuard();
const [targetName, seedText, firstText, countText] = process.argv.slice(2);
const target = FUZZ_TARGETS[targetName ?? ""];
if (target === undefined) throw new Error(`unknown fuzz target ${targetName}; known: ${Object.keys(FUZZ_TARGETS).join(", ")}`);
const seed = Number(seedText);
const first = Number(firstText);
const count = Number(countText);

const report: FuzzReport = { target: targetName!, seed, cases: 0, faults: 0, outcomes: {}, failures: [] };
const failed = (what: string): void => {
  report.outcomes.failed = (report.outcomes.failed ?? 0) + 1;
  if (report.failures.length < MAX_FAILURES) report.failures.push(what);
};
let current = first;
// An uncaught exception or unhandled rejection ends the child with a non-zero status, naming the case.
exitOnCrash(() => `around case ${current} (FUZZ_SEED=${seed}, target ${targetName})`);

/** Resolves with the outcome, or rejects if the case has not settled within SETTLE_MS. */
function settled(outcome: Promise<FuzzOutcome>): Promise<FuzzOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`did not settle within ${SETTLE_MS} ms`)), SETTLE_MS)));
  return Promise.race([outcome, late]).finally(() => clearTimeout(timer));
}

for (let i = first; i < first + count; i++) {
  current = i;
  try {
    const result = target(seed, i);
    const ended = result instanceof Promise ? await settled(result) : result;
    const outcome = typeof ended === "string" ? ended : ended.outcome;
    if (typeof ended !== "string") report.faults += ended.faults;
    report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
  } catch (err) {
    failed(`case ${i} (FUZZ_SEED=${seed}): ${(err as Error).message}`);
  }
  report.cases++;
  if ((i + 1 - first) % PROGRESS_EVERY === 0) process.stdout.write(`progress ${i + 1}\n`);
}
for (const violation of takeViolations()) failed(`FUZZ_SEED=${seed}: ${violation}`);
process.stdout.write(JSON.stringify(report) + "\n");
