/**
 * The framework examples of docs/testing.md (its ```ts mocha, ```ts
 * node:test and ```ts vitest blocks) run in their frameworks, each in a
 * process of its own, with "netdb/testing" mapped to this repository's
 * file, so the examples are the ones users copy. (Its plain ```ts
 * examples run in test/node/docs.test.ts.)
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** The fenced blocks whose info string is `ts NAME`, by NAME. */
function frameworkExamples(): Map<string, string> {
  const text = readFileSync(join(REPO, "docs/testing.md"), "utf8");
  return new Map([...text.matchAll(/^```ts (\S+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Runs a command in the repository, never blocking this process. */
function run(args: string[], cwd = REPO): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : -1, output: stdout + stderr });
    });
  });
}

describe("docs/testing.md framework examples", function () {
  this.timeout(90_000);
  const examples = frameworkExamples();
  const dir = mkdtempSync(join(tmpdir(), "netdb-testing-docs-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The example with "netdb/testing" pointing at src/, written to `file` under the temporary directory. */
  const write = (name: string, file: string): string => {
    const code = examples.get(name)!.split('from "netdb/testing"').join(`from ${JSON.stringify(join(REPO, "src/testing/index.ts"))}`);
    const path = join(dir, file);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, code);
    return path;
  };

  it("has the mocha, node:test and vitest examples", () => {
    expect([...examples.keys()]).to.deep.equal(["mocha", "node:test", "vitest"]);
  });

  it("runs the mocha example under mocha", async () => {
    const file = write("mocha", "mocha/offline.test.mts");
    const result = await run([join(REPO, "node_modules/mocha/bin/mocha.js"), "--no-config", "--node-option", "import=tsx", file]);
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.contain("3 passing");
  });

  it("runs the node:test example under node --test", async () => {
    const file = write("node:test", "node-test/flaky.test.mts");
    const result = await run(["--import", "tsx", "--test", file]);
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.match(/# pass 1\n/);
  });

  it("runs the vitest example under vitest", async () => {
    write("vitest", "vitest/offline.test.ts");
    const result = await run([join(REPO, "node_modules/vitest/vitest.mjs"), "run", "--root", join(dir, "vitest")]);
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.match(/Tests\s+1 passed \(1\)/);
  });
});
