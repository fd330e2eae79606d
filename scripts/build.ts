/**
 * Builds the published package: tsc writes dist/'s .d.ts files (the types
 * stay one file per module, as the source is), and esbuild bundles
 * src/index.ts and src/cli.ts into a few ESM files beside them.
 *
 *   npm run build
 *
 * Bundling is for import time: Node's ESM loader pays for every module it
 * resolves, reads and links, and netdb's ~90 modules cost more to load
 * than their code costs to run (docs/benchmarks.md, "Import and cold
 * start"). dns-packet and Node's builtins stay external imports, as a
 * user's node_modules provides them.
 */
import { chmodSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Bundles src/index.ts and src/cli.ts into `outdir` (ESM, shared code in a chunk); dist/cli.js is the bin. */
export async function bundleNetdb(outdir: string, sourcemap = true): Promise<void> {
  await build({
    entryPoints: [join(ROOT, "src/index.ts"), join(ROOT, "src/cli.ts"), join(ROOT, "src/node/dns.ts"), join(ROOT, "src/node/dns-promises.ts")],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap,
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
  chmodSync(join(outdir, "cli.js"), 0o755);
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
