/**
 * `netdb hosts|ahosts*|services|protocols` against glibc's `getent`: every
 * case of test/cli/golden/cases.txt, replayed from the world regen.ts
 * recorded in the same namespace where getent ran, must print getent's
 * bytes and exit with getent's status.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readCases, type GoldenCase } from "./golden/regen.js";
import { netdbAll, REPO } from "./process.js";

const GOLDEN = join(REPO, "test/cli/golden");

describe("netdb getent commands match glibc's getent", function () {
  this.timeout(60_000);

  for (const world of readCases().keys()) {
    const dir = join(GOLDEN, world);
    const cases = JSON.parse(readFileSync(join(dir, "getent.json"), "utf8")) as GoldenCase[];

    it(`in the ${world} world: ${cases.length} command lines, same output and status`, async () => {
      expect(cases.map((c) => c.args)).to.deep.equal(readCases().get(world), "getent.json is stale: run test/cli/golden/regen.ts");
      const runs = await netdbAll(cases.map((c) => ["--world", dir, ...c.args]));
      runs.forEach((run, i) => {
        const { args, stdout, status } = cases[i]!;
        expect({ stdout: run.stdout, status: run.status }, `netdb ${args.join(" ")}\n${run.stderr}`).to.deep.equal({ stdout, status });
      });
    });
  }
});
