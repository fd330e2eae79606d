/**
 * Injected by scripts/build.ts into every module of the library build that
 * esbuild treats as an entry point (the exported modules and those loaded
 * with `import()`), so that each of them reaches every module src/index.ts
 * reaches: esbuild then puts those in one shared chunk, instead of a chunk
 * for each set of entry points that happens to reach a module. It exports
 * nothing, so it replaces no global (what `inject` is otherwise for).
 */
import "../src/index.js";
