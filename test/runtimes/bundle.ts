/**
 * Bundles a worker that imports netdb into one ES module for workerd
 * (esbuild): node:* modules stay imports (workerd has them, as stubs
 * where it lacks the feature). Two things Node's loader does for netdb
 * are done here instead: src/dns/packet.ts requires dns-packet through
 * `createRequire(import.meta.url)`, and workerd has no `import.meta.url`,
 * so the bundle imports dns-packet statically; and dns-packet's
 * `require("buffer")` is node:buffer.
 */
import { build, type Plugin } from "esbuild";

const forWorkerd: Plugin = {
  name: "netdb-for-workerd",
  setup(b) {
    b.onResolve({ filter: /\/packet\.js$/ }, (args) => (args.importer.includes("/src/dns/") ? { path: "netdb-packet", namespace: "netdb" } : undefined));
    b.onLoad({ filter: /^netdb-packet$/, namespace: "netdb" }, () => ({ contents: 'import packet from "dns-packet"; export function dnsPacket() { return packet; }', resolveDir: process.cwd(), loader: "js" }));
    b.onResolve({ filter: /^buffer$/ }, () => ({ path: "buffer", namespace: "netdb" }));
    b.onLoad({ filter: /^buffer$/, namespace: "netdb" }, () => ({ contents: 'export { Buffer } from "node:buffer";', loader: "js" }));
  },
};

/** Writes `entry` and what it imports as one ES module at `outfile`. */
export async function bundleForWorkerd(entry: string, outfile: string): Promise<void> {
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", external: ["node:*"], mainFields: ["module", "main"], outfile, logLevel: "error", plugins: [forWorkerd] });
}
