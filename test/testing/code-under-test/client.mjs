// ES module code under test: named imports from node:dns and
// node:dns/promises, bound when this module was first imported (before any
// interception), as bundled and published packages write them.
import { lookup } from "node:dns";
import { resolveTxt } from "node:dns/promises";

/** `dns.lookup` through the named import. */
export function lookupNamed(name) {
  return new Promise((resolve, reject) => lookup(name, (err, address, family) => (err ? reject(err) : resolve({ address, family }))));
}

/** `dns.promises.resolveTxt` through the named import. */
export function txtNamed(name) {
  return resolveTxt(name);
}

/** The functions the named imports are bound to now. */
export function bindings() {
  return { lookup, resolveTxt };
}
