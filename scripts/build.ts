/**
 * Builds the published package: tsc writes dist/'s .d.ts files (the types
 * stay one file per module, as the source is), and esbuild bundles the
 * library's entry points into a few ESM files beside them, and each bin
 * into CommonJS.
 *
 *   npm run build
 *
 * The entry points are read from package.json: every `exports` target
 * `./dist/X.js` is bundled from `src/X.ts`, and so is every `bin`
 * `./dist/X.cjs`, which is made executable. Adding a subpath export is its one entry in
 * package.json's `exports`; nothing here changes.
 *
 * Bundling is for import time: Node's ESM loader pays for every module it
 * resolves, reads and links, and netdb's ~90 modules cost more to load
 * than their code costs to run (docs/benchmarks.md, "Import and cold
 * start"). dns-packet and Node's builtins stay external imports, as a
 * user's node_modules provides them.
 */
import { chmodSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The package.json fields the build reads. */
interface Manifest {
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
}

/** `./dist/X.js` (or, for a bin, `./dist/X.cjs`) to `X`; throws for a target outside dist/ that is not package.json itself. */
function distModule(target: string, extension = "js"): string | undefined {
  if (target === "./package.json") return undefined;
  const match = new RegExp(`^\\./dist/(.+)\\.${extension}$`).exec(target);
  if (match === null) throw new Error(`package.json: ${target} is not a ./dist/*.${extension} module`);
  return match[1];
}

/** The JavaScript targets of an exports entry: its `default`/`import`/`require` conditions, or the entry itself. */
function runtimeTargets(entry: string | Record<string, string>): string[] {
  if (typeof entry === "string") return [entry];
  return Object.entries(entry).filter(([condition]) => condition !== "types").map(([, target]) => target);
}

function readManifest(): Manifest & { name: string } {
  return JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest & { name: string };
}

/** Each module package.json exports, with the specifier that imports it (`netdb`, `netdb/dns`, ...). */
export function exportedModules(manifest = readManifest()): Array<{ specifier: string; module: string }> {
  return Object.entries(manifest.exports).flatMap(([subpath, entry]) => {
    const module = [...new Set(runtimeTargets(entry).map((target) => distModule(target)))][0];
    return module === undefined ? [] : [{ specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, module }];
  });
}

/**
 * The modules to bundle (`index`, `cli`, ...: paths under src/ and dist/
 * without extension): the exported ones (the public API) and the bins.
 */
export function entryModules(manifest = readManifest()): { exported: string[]; bins: string[] } {
  return { exported: exportedModules(manifest).map((e) => e.module), bins: Object.values(manifest.bin).map((target) => distModule(target, "cjs")!) };
}

/** What both builds share: for Node 20, dependencies and builtins left as imports. */
const BASE = {
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  // Whitespace and syntax only: compiling the chunk is most of the import,
  // and the chunk shrinks 299 -> 216 KB (an import 15.2 -> 14.0 ms); short
  // names would shrink it to 149 KB and save nothing more. Names stay, since they are what a stack trace, `util.inspect` and a
  // class's `name` show; lines stay short, since Node prints the line of
  // an uncaught error's first frame; the source map maps back to src/.
  minifyWhitespace: true,
  minifySyntax: true,
  lineLimit: 160,
  logLevel: "warning",
} as const satisfies BuildOptions;

/**
 * The library: ES modules, shared code in chunks. Every entry point, and
 * every module loaded lazily, is made to import src/index.ts
 * (scripts/one-chunk.ts), so that the code `netdb` needs is one chunk:
 * esbuild otherwise makes a chunk for each set of entry points that reach
 * a module, and Node's loader pays about half a millisecond for each
 * module file an import loads (docs/benchmarks.md, "Ninth pass").
 */
const LIBRARY = {
  ...BASE,
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  inject: [join(ROOT, "scripts", "one-chunk.ts")],
} as const satisfies BuildOptions;

/**
 * The bins: CommonJS, since Node does not start its ES module loader for
 * a CommonJS main file, and one CommonJS file loads sooner than an ES
 * module and its chunks (a call 9-13 ms sooner on Node 22 and on a Node 20
 * without NODE_EXTRA_CA_CERTS, docs/benchmarks.md); a command is a
 * process of its own that shares no class with a library.
 * Each bin `src/X.ts` is a small start-up file (it turns the compile cache
 * on first, src/cli.ts) whose `import("./X/run.js")` becomes a require of
 * `dist/X/run.cjs`, the command's code in one file; `import.meta.url` is
 * the file's URL, as in an ES module.
 */
const BIN = {
  ...BASE,
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  supported: { "dynamic-import": false },
  define: { "import.meta.url": "importMetaUrl" },
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
} as const satisfies BuildOptions;

/** Leaves a bin's `import("./X/run.js")` to be required at run time, as `./X/run.cjs`. */
function binRest(bins: string[]): Plugin {
  const starts = new Set(bins.map((bin) => join(ROOT, "src", `${bin}.ts`)));
  return {
    name: "bin-rest",
    setup(build) {
      build.onResolve({ filter: /^\.\/[^/]+\/run\.js$/ }, (args) => (starts.has(args.importer) ? { path: args.path.replace(/\.js$/, ".cjs"), external: true } : undefined));
    },
  };
}

/** Bundles the package's entry points (entryModules) into `outdir`: the library (LIBRARY) and the bins (BIN), which get mode 755. */
export async function bundleNetdb(outdir: string, sourcemap = true): Promise<void> {
  const { exported, bins } = entryModules();
  const entries = (modules: string[]) => modules.map((m) => ({ in: join(ROOT, "src", `${m}.ts`), out: m }));
  await build({ ...LIBRARY, entryPoints: entries(exported), outdir, sourcemap });
  const binModules = bins.flatMap((bin) => (existsSync(join(ROOT, "src", bin, "run.ts")) ? [bin, `${bin}/run`] : [bin]));
  await build({ ...BIN, entryPoints: entries(binModules), outdir, sourcemap, plugins: [binRest(bins)] });
  for (const bin of bins) chmodSync(join(outdir, `${bin}.cjs`), 0o755);
}

/** Writes the .d.ts files of src/ to `outdir` with the package's build config; throws on a type error. */
export function emitDeclarations(outdir: string): void {
  const configPath = join(ROOT, "tsconfig.build.json");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, { outDir: outdir, emitDeclarationOnly: true, sourceMap: false }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (config === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram(config.fileNames, config.options);
  const result = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" }));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = join(ROOT, "dist");
  rmSync(dist, { recursive: true, force: true });
  emitDeclarations(dist);
  await bundleNetdb(dist);
}
