/**
 * Module hooks that hand netdb's own modules (those under src/) a node:fs
 * whose every function throws, and records each call in
 * `globalThis.netdbFsCalls` (a catch inside netdb cannot hide it). Other
 * modules (tsx, the test script, dependencies) get the real node:fs.
 * Registered by fs-trap-register.mjs; used by test/node/no-fs.test.ts.
 */
const TRAPPED = new Set(["fs", "node:fs", "fs/promises", "node:fs/promises"]);
const SCHEME = "netdb-fs-trap:";
let srcUrl = "";

export function initialize(data) {
  srcUrl = data.srcUrl;
}

export async function resolve(specifier, context, nextResolve) {
  if (TRAPPED.has(specifier) && context.parentURL?.startsWith(srcUrl)) {
    return { url: `${SCHEME}${specifier.replace(/^node:/, "")}`, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith(SCHEME)) return nextLoad(url, context);
  const name = url.slice(SCHEME.length);
  const real = await import(`node:${name}`);
  const exports = Object.keys(real)
    .filter((key) => key !== "default")
    .map((key) => (typeof real[key] === "function" ? `export const ${key} = trap(${JSON.stringify(key)});` : `export const ${key} = real[${JSON.stringify(key)}];`));
  const source = `
    import * as real from "node:${name}";
    const calls = (globalThis.netdbFsCalls ??= []);
    const trap = (fn) => (...args) => {
      calls.push("node:${name}." + fn + "(" + String(args[0]) + ")");
      throw new Error("node:${name}." + fn + " called from netdb: fs access is trapped");
    };
    ${exports.join("\n")}
    export default new Proxy({}, { get: (_, key) => trap(String(key)) });
  `;
  return { format: "module", source, shortCircuit: true };
}
