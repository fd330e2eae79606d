/**
 * The crash guard (test/support/crashguard.ts) can fail: an unhandled
 * rejection or an uncaught exception is provoked in a child process, and
 * the guard must report it — in a mocha child, as a failed `after` hook of
 * the suite where it happened (even though the test itself passed), or in
 * the next suite's first hook when that suite's own after hook failed; in a
 * fuzz-runner child, as a non-zero exit naming the case.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { CRASH_EXIT_CODE } from "../support/crashguard.js";

const REPO = join(import.meta.dirname, "..", "..");

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface MochaJson {
  stats: { passes: number; failures: number };
  passes: Array<{ fullTitle: string }>;
  failures: Array<{ fullTitle: string; err: { message: string } }>;
}

describe("reliability: the crash guard fails the run", function () {
  this.timeout(60_000);

  it("in mocha: fails the suite of an unhandled rejection or an uncaught exception, naming it, and no other suite", async () => {
    const mocha = join(REPO, "node_modules", "mocha", "bin", "mocha.js");
    const { code, stdout, stderr } = await run([
      "--import", "tsx", mocha, "--no-config", "--require", "test/support/setup.ts", "--reporter", "json", "test/support/crashguard-fixture.ts",
    ]);
    expect(code, stderr).to.not.equal(0);
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as MochaJson;
    const failures = report.failures.map((f) => ({ title: f.fullTitle, message: f.err.message }));
    const guard = (suite: string) => failures.find((f) => f.title.startsWith(`fixture: ${suite}`) && f.title.includes("crash guard: none happened"));

    const rejection = guard("an unhandled rejection");
    expect(rejection, JSON.stringify(failures, null, 2)).to.not.equal(undefined);
    expect(rejection!.message).to.include('suite "fixture: an unhandled rejection" had 1 uncaught exception(s) or unhandled rejection(s)');
    expect(rejection!.message).to.include("unhandled rejection: Error: provoked rejection");
    // Mocha alone would not have failed it: the test itself passed.
    expect(report.passes.map((p) => p.fullTitle)).to.include("fixture: an unhandled rejection rejects a promise nobody awaits, then passes");

    const exception = guard("an uncaught exception");
    expect(exception, JSON.stringify(failures, null, 2)).to.not.equal(undefined);
    expect(exception!.message).to.include("uncaught exception: Error: provoked exception");

    // A suite whose own after hook failed never runs the guard's: the next suite's first before hook reports it.
    const skipped = failures.find((f) => f.title.startsWith("fixture: the suite after it") && f.title.includes("crash guard: listen"));
    expect(skipped, JSON.stringify(failures, null, 2)).to.not.equal(undefined);
    expect(skipped!.message).to.include('suite "fixture: a rejection, then an after hook that fails" (whose last after hook never ran) had 1');
    expect(skipped!.message).to.include("provoked rejection before a failing after hook");

    expect(guard("nothing happens"), "the clean suite's guard passed").to.equal(undefined);
    expect(report.passes.map((p) => p.fullTitle)).to.include("fixture: nothing happens passes");
  });

  for (const kind of ["rejection", "exception"]) {
    it(`in a fuzz-runner child: ${kind === "rejection" ? "an unhandled rejection" : "an uncaught exception"} ends it with status ${CRASH_EXIT_CODE}, naming the case`, async () => {
      const provoked = await run(
        ["--import", "tsx", "--import", "./test/support/crashguard-provoke.ts", "test/reliability/fuzz-runner.ts", "exchangelog", "7", "0", "50"],
        { CRASHGUARD_PROVOKE: kind },
      );
      expect(provoked.code, provoked.stderr).to.equal(CRASH_EXIT_CODE);
      expect(provoked.stderr).to.match(new RegExp(`crash guard: (unhandled rejection|uncaught exception) around case \\d+ \\(FUZZ_SEED=7, target exchangelog\\): Error: provoked ${kind}`));
    });
  }

  it("in a fuzz-runner child: without one, the same run exits 0 with its report", async () => {
    const clean = await run(["--import", "tsx", "test/reliability/fuzz-runner.ts", "exchangelog", "7", "0", "50"]);
    expect(clean.code, clean.stderr).to.equal(0);
    expect(JSON.parse(clean.stdout.trim().split("\n").pop()!)).to.include({ target: "exchangelog", cases: 50 });
  });
});
