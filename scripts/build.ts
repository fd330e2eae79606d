/**
 * Builds the published package: tsc writes dist/'s .d.ts files (the types
 * stay one file per module, as the source is), and esbuild bundles the
 * entry points into a few ESM files beside them.
 *
 *   npm run build
 *
 * The entry points are read from package.json: every `exports` target
 * `./dist/X.js` is bundled from `src/X.ts`, and so is every `bin`, which
 * is made executable. Adding a subpath export is its one entry in
 * package.json's `exports`; nothing here changes.
 *
 * Bundling is for import time: Node's ESM loader pays for every module it
 * resolves, reads and links, and netdb's ~90 modules cost more to load
 * than their code costs to run (docs/benchmarks.md, "Import and cold
 * start"). dns-packet and Node's builtins stay external imports, as a
 * user's node_modules provides them.
 */
import { chmodSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The package.json fields the build reads. */
interface Manifest {
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
}

/** `./dist/X.js` to `X`; throws for a target outside dist/ that is not package.json itself. */
function distModule(target: string): string | undefined {
  if (target === "./package.json") return undefined;
  const match = /^\.\/dist\/(.+)\.js$/.exec(target);
  if (match === null) throw new Error(`package.json: ${target} is not a ./dist/*.js module`);
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
    const module = [...new Set(runtimeTargets(entry).map(distModule))][0];
    return module === undefined ? [] : [{ specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, module }];
  });
}

/**
 * The modules to bundle (`index`, `cli`, ...: paths under src/ and dist/
 * without extension): the exported ones (the public API) and the bins.
 */
export function entryModules(manifest = readManifest()): { modules: string[]; exported: string[]; bins: string[] } {
  const bins = Object.values(manifest.bin).map((target) => distModule(target)!);
  const exported = exportedModules(manifest).map((e) => e.module);
  return { modules: [...new Set([...exported, ...bins])], exported, bins };
}

/** What both builds share: ESM for Node 20, dependencies and builtins left as imports. */
const COMMON = {
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  // Whitespace and syntax only: compiling the chunk is most of the import,
  // and V8 reads 30% less text (about 1.5 ms of 20 in a fresh process).
  // Names stay, since they are what a stack trace, `util.inspect` and a
  // class's `name` show; lines stay short, since Node prints the line of
  // an uncaught error's first frame; the source map maps back to src/.
  minifyWhitespace: true,
  minifySyntax: true,
  lineLimit: 160,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
} as const satisfies BuildOptions;

/**
 * Bundles the package's entry points (entryModules) into `outdir`; the
 * bins get mode 755. Two builds:
 *
 * - The library (the exported modules): one program's `netdb`,
 *   `netdb/dns` and `netdb/testing` must share one copy of each class, so
 *   they share chunks. Every entry point, and every module loaded lazily,
 *   is made to import src/index.ts (scripts/one-chunk.ts), so that the
 *   code `netdb` needs is one chunk: esbuild otherwise makes a chunk for
 *   each set of entry points that reach a module, and Node's loader pays
 *   about half a millisecond for each module file an import loads
 *   (docs/benchmarks.md, "Ninth pass").
 * - The bins, on their own: a command is a process of its own that shares
 *   no class with a library, and its start-up file must stay small (it
 *   turns the compile cache on before it loads the rest, src/cli.ts).
 */
export async function bundleNetdb(outdir: string, sourcemap = true): Promise<void> {
  const { exported, bins } = entryModules();
  const entries = (modules: string[]) => modules.map((m) => ({ in: join(ROOT, "src", `${m}.ts`), out: m }));
  await build({ ...COMMON, entryPoints: entries(exported), outdir, sourcemap, inject: [join(ROOT, "scripts", "one-chunk.ts")] });
  await build({ ...COMMON, entryPoints: entries(bins), outdir, sourcemap });
  for (const bin of bins) chmodSync(join(outdir, `${bin}.js`), 0o755);
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
