/**
 * Writes the public API reference, docs/api/, from the TSDoc of the
 * modules package.json exports (the same list the build bundles), as
 * markdown through TypeDoc and typedoc-plugin-markdown:
 *
 *   npm run docs:api
 *
 * test/package/api-docs.test.ts writes it again to a temporary directory
 * and fails when the checked-in reference differs, so a change to the
 * public API's types or comments must come with `npm run docs:api`. A
 * public type that refers to one the package does not export is an error
 * here, so the reference has no dead ends. Union members are listed in
 * the order TypeScript's checker made them, which a change elsewhere in
 * the sources can flip: the test then asks for a rerun too.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, ReflectionKind, type TypeDocOptions } from "typedoc";
import type { PluginOptions } from "typedoc-plugin-markdown";
import { exportedModules } from "./build.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Where the checked-in reference lives. */
export const API_DOCS = join(ROOT, "docs/api");

/** Writes the API reference of the exported modules to `out` (emptied first); throws on any TypeDoc warning. */
export async function writeApiDocs(out: string): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const modules = exportedModules();
  const options: TypeDocOptions & Partial<PluginOptions> = {
    entryPoints: modules.map((m) => join(ROOT, "src", `${m.module}.ts`)),
    tsconfig: join(ROOT, "tsconfig.build.json"),
    plugin: ["typedoc-plugin-markdown"],
    out,
    readme: "none",
    // Source links would name a commit; the reference must not change with every commit.
    disableSources: true,
    outputFileStrategy: "modules",
    hidePageHeader: true,
    // netdb/dns's functions carry @types/node's comments for node:dns, whose
    // {@link}s name node:dns's own declarations, which no page here has
    // (the markdown plugin reports those as rewrittenLink).
    validation: { notExported: true, invalidLink: false, invalidPath: true, rewrittenLink: false, notDocumented: false, unusedMergeModuleWith: true },
    treatWarningsAsErrors: true,
    logLevel: "Warn",
  };
  const app = await Application.bootstrapWithPlugins(options);
  const project = await app.convert();
  if (project === undefined) throw new Error("TypeDoc could not convert the entry points");
  // Each module is named as it is imported (`netdb/dns`), not by its file (`node/dns`).
  for (const reflection of project.getReflectionsByKind(ReflectionKind.Module)) {
    const exported = modules.find((m) => m.module === reflection.name);
    if (exported !== undefined) reflection.name = exported.specifier;
  }
  await app.generateOutputs(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) throw new Error("TypeDoc reported problems (above)");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeApiDocs(API_DOCS);
}
