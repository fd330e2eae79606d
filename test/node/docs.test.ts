import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { codeExamples } from "../support/markdown.js";

/**
 * Every ```ts example of README.md, docs/node.md and docs/testing.md runs, and prints exactly
 * the ```text block that follows it. "netdb" and other packages are mapped
 * to this repository's files, so the examples are the ones users copy.
 */
const DOCS = ["README.md", "docs/node.md", "docs/testing.md"].map((name) => ({ name, path: fileURLToPath(new URL(`../../${name}`, import.meta.url)) }));
const INDEX = new URL("../../src/index.ts", import.meta.url).href;
const TESTING = new URL("../../src/testing/index.ts", import.meta.url).href;
const PACKAGE_JSON = new URL("../../package.json", import.meta.url).href;
const require = createRequire(import.meta.url);

/** Rewrites package imports (and `import.meta.resolve("netdb/package.json")`) to files of this repository. */
function resolvable(code: string): string {
  return code
    .replace(/import\.meta\.resolve\("netdb\/package\.json"\)/g, JSON.stringify(PACKAGE_JSON))
    .replace(/from "([^".][^"]*)"/g, (whole, specifier: string) => {
      if (specifier.startsWith("node:")) return whole;
      if (specifier === "netdb") return `from ${JSON.stringify(INDEX)}`;
      if (specifier === "netdb/testing") return `from ${JSON.stringify(TESTING)}`;
      return `from ${JSON.stringify(pathToFileURL(require.resolve(specifier)).href)}`;
    });
}

for (const doc of DOCS) {
  describe(`${doc.name} examples`, function () {
    this.timeout(20_000);
    const list = codeExamples(readFileSync(doc.path, "utf8"), doc.name);
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "netdb-docs-"));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("has examples", () => {
      expect(list.length).to.be.greaterThan(1);
    });

    for (const example of list) {
      it(`the example at line ${example.line} prints its output`, async () => {
        // .mts: an ES module wherever it is, so top-level await works.
        const file = join(dir, `example-${example.line}.mts`);
        writeFileSync(file, resolvable(example.code));
        const printed: string[] = [];
        const log = console.log;
        console.log = (...args: unknown[]) => printed.push(args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" "));
        try {
          await import(pathToFileURL(file).href);
        } finally {
          console.log = log;
        }
        expect(printed.join("\n") + "\n").to.equal(example.output);
      });
    }
  });
}
