/**
 * docs/api/ (the public API reference, scripts/api-docs.ts) is what
 * TypeDoc writes from today's sources: written again to a temporary
 * directory, every file is the same and none is missing or extra.
 */
import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_DOCS, writeApiDocs } from "../../scripts/api-docs.js";

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe("docs/api (the API reference)", function () {
  this.timeout(120_000);
  let fresh: string;
  before(async () => {
    fresh = join(mkdtempSync(join(tmpdir(), "netdb-api-")), "api");
    await writeApiDocs(fresh);
  });
  after(() => rmSync(join(fresh, ".."), { recursive: true, force: true }));

  it("has the files TypeDoc writes today (run `npm run docs:api` after changing the public API)", () => {
    expect(filesUnder(API_DOCS)).to.deep.equal(filesUnder(fresh));
  });

  it("says what TypeDoc says today, file by file (run `npm run docs:api` after changing the public API or its TSDoc)", () => {
    for (const file of filesUnder(fresh)) {
      expect(readFileSync(join(API_DOCS, file), "utf8"), `docs/api/${file}`).to.equal(readFileSync(join(fresh, file), "utf8"));
    }
  });
});
