/**
 * `node --import` this to trap node:fs for netdb's modules: those that
 * import it get the hooks' trapped module (fs-trap-hooks.mjs), and those
 * that get it from `process.getBuiltinModule` (src/builtins.ts) get the
 * same trap here, decided by the caller's file. Every call of a trapped
 * function throws and is recorded in `globalThis.netdbFsCalls`.
 */
import { register } from "node:module";
import { fileURLToPath, URL } from "node:url";

const srcUrl = new URL("../../../src/", import.meta.url).href;
register("./fs-trap-hooks.mjs", import.meta.url, { data: { srcUrl } });

const TRAPPED = new Set(["fs", "node:fs", "fs/promises", "node:fs/promises"]);
const srcPath = fileURLToPath(srcUrl);

/** True when the frame that called getBuiltinModule is in src/. */
function calledFromSrc() {
  const frames = (new Error().stack ?? "").split("\n").slice(3);
  const caller = frames[0] ?? "";
  return caller.includes(srcUrl) || caller.includes(srcPath);
}

/** `real` with every function replaced by one that records the call and throws. */
function trapped(id, real) {
  const name = id.replace(/^node:/, "");
  const calls = (globalThis.netdbFsCalls ??= []);
  return new Proxy(real, {
    get(target, key) {
      const value = target[key];
      if (typeof value !== "function") return value;
      return (...args) => {
        calls.push(`node:${name}.${String(key)}(${String(args[0])})`);
        throw new Error(`node:${name}.${String(key)} called from netdb: fs access is trapped`);
      };
    },
  });
}

const { process } = globalThis;
const getBuiltinModule = process.getBuiltinModule?.bind(process);
if (getBuiltinModule !== undefined) {
  process.getBuiltinModule = (id) => {
    const real = getBuiltinModule(id);
    return TRAPPED.has(id) && calledFromSrc() ? trapped(id, real) : real;
  };
}
