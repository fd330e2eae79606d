/**
 * The package as users get it: `npm run build`, `npm pack`, and the
 * tarball installed into a new project with `npm install --offline`
 * (dns-packet and the examples' other packages from the npm cache, which
 * `npm ci` filled). There the README's and docs/node.md's examples (taken
 * from the documents, so the test fails when they drift) are type-checked
 * by tsc against the shipped .d.ts files and run by node, each printing
 * the text block after it; a CommonJS `.cts` consumer (fixtures/package/)
 * type-checks and runs; every subpath package.json exports loads through
 * both `import` and `require` with the same names and has types; the
 * README's links, the source maps' sources, LICENSE and the executable
 * bin are in the package.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { codeExamples, importedPackages, relativeLinks, type Example } from "../support/markdown.js";
import { REPO } from "../cli/process.js";

const DOCS = ["README.md", "docs/node.md"];
const TSC = join(REPO, "node_modules/typescript/bin/tsc");

interface Manifest {
  name: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
}

interface PackedFile {
  path: string;
  mode: number;
}

/** Runs a command; resolves its output and exit status (a non-numeric failure rejects). */
function run(file: string, args: string[], cwd: string, timeout = 120_000): Promise<{ stdout: string; stderr: string; status: number }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") reject(error);
      else resolve({ stdout, stderr, status: error === null ? 0 : (error.code as number) });
    });
  });
}

/** Runs a command that must succeed; resolves its stdout. */
async function ok(file: string, args: string[], cwd: string): Promise<string> {
  const { stdout, stderr, status } = await run(file, args, cwd);
  if (status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${status}:\n${stdout}\n${stderr}`);
  return stdout;
}

interface LockEntry {
  version: string;
  dependencies?: Record<string, string>;
  dev?: boolean;
  [field: string]: unknown;
}

/**
 * The consumer project's package-lock.json: `tarball` as netdb, and the
 * entries of this repository's lock for `packages` and everything they
 * (and netdb) depend on, so `npm install --offline` needs nothing but the
 * tarballs `npm ci` put in the cache (the lock names versions and
 * integrity, so no registry metadata is asked for).
 */
function consumerLock(tarball: string, packages: string[]): { lock: object; dependencies: Record<string, string> } {
  const repoLock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const entries: Record<string, LockEntry> = {};
  const add = (name: string, from = ""): void => {
    const path = [`${from}/node_modules/${name}`, `node_modules/${name}`].find((p) => repoLock.packages[p] !== undefined);
    if (path === undefined) throw new Error(`package-lock.json has no ${name}`);
    if (entries[path] !== undefined) return;
    const { dev: _dev, ...entry } = repoLock.packages[path]!;
    entries[path] = entry as LockEntry;
    for (const dep of Object.keys(entry.dependencies ?? {})) add(dep, path);
  };
  const netdbDeps = (repoLock.packages[""]!.dependencies ?? {}) as Record<string, string>;
  for (const name of [...Object.keys(netdbDeps), ...packages]) add(name);
  const dependencies: Record<string, string> = { [manifest.name]: `file:${tarball}` };
  for (const name of packages) dependencies[name] = entries[`node_modules/${name}`]!.version;
  const netdbEntry = { version: repoLock.packages[""]!.version, resolved: `file:${tarball}`, dependencies: netdbDeps, bin: manifest.bin };
  return {
    lock: { name: "netdb-consumer", lockfileVersion: 3, requires: true, packages: { "": { name: "netdb-consumer", dependencies }, [`node_modules/${manifest.name}`]: netdbEntry, ...entries } },
    dependencies,
  };
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

/** `"."` to `"netdb"`, `"./dns"` to `"netdb/dns"`. */
function specifierOf(name: string, subpath: string): string {
  return subpath === "." ? name : `${name}/${subpath.slice(2)}`;
}

const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Manifest;
const subpaths = Object.keys(manifest.exports).filter((subpath) => subpath !== "./package.json");
const examples: Array<Example & { doc: string; file: string }> = DOCS.flatMap((doc) =>
  codeExamples(readFileSync(join(REPO, doc), "utf8"), doc).map((example) => ({
    ...example,
    doc,
    file: `${doc.replace(/\W/g, "-")}-${example.line}`,
  })),
);

describe("the packed package, installed offline in a new project", function () {
  this.timeout(300_000);
  let tmp: string;
  let project: string;
  let installed: string;
  let packed: PackedFile[];
  let typecheck: { stdout: string; stderr: string; status: number };

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), "netdb-pack-"));
    project = join(tmp, "project");
    mkdirSync(project);
    await ok("npm", ["run", "build", "--silent"], REPO);
    const [pack] = JSON.parse(await ok("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], REPO)) as Array<{
      filename: string;
      files: PackedFile[];
    }>;
    packed = pack!.files;

    const others = [...new Set(examples.flatMap((e) => importedPackages(e.code)))].filter((p) => p !== manifest.name);
    const { lock, dependencies } = consumerLock(`../${pack!.filename}`, [...others, "@types/node"]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "netdb-consumer", private: true, dependencies }, null, 2));
    writeFileSync(join(project, "package-lock.json"), JSON.stringify(lock, null, 2));
    await ok("npm", ["install", "--offline", "--no-audit", "--no-fund"], project);
    installed = join(project, "node_modules", manifest.name);

    // The sources tsc checks: every example (.mts: ES modules with top-level
    // await), the CommonJS consumer, and a .cts and an .mts for each subpath.
    mkdirSync(join(project, "src"));
    for (const example of examples) writeFileSync(join(project, "src", `${example.file}.mts`), example.code);
    copyFileSync(join(REPO, "fixtures/package/consumer.cts"), join(project, "src/consumer.cts"));
    subpaths.forEach((subpath, i) => {
      const specifier = JSON.stringify(specifierOf(manifest.name, subpath));
      writeFileSync(join(project, "src", `subpath-${i}.cts`), `import m = require(${specifier});\nexport const names: string[] = Object.keys(m);\n`);
      writeFileSync(join(project, "src", `subpath-${i}.mts`), `import * as m from ${specifier};\nexport const names: string[] = Object.keys(m);\n`);
    });
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          types: ["node"],
          outDir: "out",
          rootDir: "src",
          // The shipped .d.ts files are checked too, as a strict consumer's build would.
          skipLibCheck: false,
        },
        include: ["src"],
      }),
    );
    typecheck = await run(process.execPath, [TSC, "-p", project], project);
  });

  after(() => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it("type-checks the examples, the CommonJS consumer and every subpath against the shipped types", () => {
    expect(typecheck.status, typecheck.stdout + typecheck.stderr).to.equal(0);
  });

  for (const example of examples) {
    it(`runs the ${example.doc} example at line ${example.line} from the installed package and prints its output`, async () => {
      const { stdout, stderr, status } = await run(process.execPath, [join("out", `${example.file}.mjs`)], project);
      expect(status, stderr).to.equal(0);
      expect(stdout).to.equal(example.output);
    });
  }

  it("runs the CommonJS consumer: require(\"netdb\") is the package, as its types say", async () => {
    const { stdout, stderr, status } = await run(process.execPath, ["out/consumer.cjs"], project);
    expect(status, stderr).to.equal(0);
    expect(stderr).to.equal("");
    expect(stdout).to.equal(
      [
        "{ address: '192.0.2.7', family: 4 }",
        "[ 'build.internal', [ 'build' ], [ '192.0.2.7' ] ]",
        "EAI_NONAME -2 true",
        "function 443 127.0.0.1",
        "",
      ].join("\n"),
    );
  });

  for (const [i, subpath] of subpaths.entries()) {
    it(`loads export ${subpath} through require and import, with the same names`, async () => {
      const required = JSON.parse(
        await ok(process.execPath, ["-e", `console.log(JSON.stringify(require("./out/subpath-${i}.cjs").names))`], project),
      ) as string[];
      const imported = JSON.parse(
        await ok(process.execPath, ["--input-type=module", "-e", `const m = await import("./out/subpath-${i}.mjs"); console.log(JSON.stringify(m.names));`], project),
      ) as string[];
      expect(imported.length).to.be.greaterThan(0);
      expect(required.filter((n) => n !== "__esModule" && n !== "module.exports")).to.deep.equal(imported);
    });
  }

  it("ships LICENSE (MIT, as package.json says), README.md and the API reference", () => {
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).to.match(/^MIT License\n/);
    expect(existsSync(join(installed, "README.md"))).to.equal(true);
    expect(existsSync(join(installed, "docs/api/README.md"))).to.equal(true);
  });

  it("resolves every link of README.md in the repository and in the installed package", () => {
    const links = relativeLinks(readFileSync(join(REPO, "README.md"), "utf8"));
    expect(links.length).to.be.greaterThan(5);
    expect(links.filter((link) => !existsSync(join(REPO, link))), "missing in the repository").to.deep.equal([]);
    expect(links.filter((link) => !existsSync(join(installed, link))), "missing in the package").to.deep.equal([]);
  });

  it("ships the sources every source map names", () => {
    const maps = filesUnder(installed).filter((file) => file.endsWith(".map"));
    expect(maps.length).to.be.greaterThan(0);
    const missing = maps.flatMap((map) => {
      const { sources, sourceRoot } = JSON.parse(readFileSync(join(installed, map), "utf8")) as { sources: string[]; sourceRoot?: string };
      return sources.map((source) => join(installed, dirname(map), sourceRoot ?? "", source)).filter((path) => !existsSync(path));
    });
    expect(missing).to.deep.equal([]);
  });

  it("packs every bin with mode 755 and runs it from node_modules/.bin", async () => {
    for (const target of Object.values(manifest.bin)) {
      const file = packed.find((f) => f.path === target.replace(/^\.\//, ""));
      expect(file?.mode.toString(8), target).to.equal("755");
      expect(statSync(join(installed, target)).mode & 0o777).to.equal(0o755);
    }
    const { stdout, status } = await run(join(project, "node_modules/.bin", Object.keys(manifest.bin)[0]!), ["services", "https"], project);
    expect(status).to.equal(0);
    expect(stdout).to.equal("https                 443/tcp\n");
  });
});
