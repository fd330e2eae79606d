/**
 * A module-resolution hook that swaps node:dns for netdb/dns, as a user
 * would with `module.register`: `node:dns` and `dns` resolve to
 * src/node/dns.ts, `node:dns/promises` and `dns/promises` to
 * src/node/dns-promises.ts, for every module but netdb's own (which uses
 * node:dns's getDefaultResultOrder and its types, and must get the real
 * one). Each swap is posted on the port given at registration, so the
 * test can count them. Registered by dns-swap-register.mjs after tsx; a
 * user of the built package maps to "netdb/dns" the same way.
 */
import { URL } from "node:url";

const SWAPS = {
  "node:dns": "node/dns.ts",
  dns: "node/dns.ts",
  "node:dns/promises": "node/dns-promises.ts",
  "dns/promises": "node/dns-promises.ts",
};
let srcUrl = "";
let port;

export function initialize(data) {
  srcUrl = data.srcUrl;
  port = data.port;
}

export async function resolve(specifier, context, nextResolve) {
  const target = Object.hasOwn(SWAPS, specifier) ? SWAPS[specifier] : undefined;
  if (target !== undefined && !context.parentURL?.startsWith(srcUrl)) {
    port.postMessage({ specifier, parent: context.parentURL });
    // Resolved on down the chain, so the TypeScript loader (tsx) takes it as its own.
    return nextResolve(new URL(target, srcUrl).href, context);
  }
  return nextResolve(specifier, context);
}
