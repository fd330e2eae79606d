/**
 * node:dns's and netdb/dns's answers to the same `lookup` and
 * `lookupService` calls, asked in a private network namespace (run under
 * `unshare --net` by dns-module.test.ts): node:dns's lookups are the C
 * library's, which asks the machine's name server for what /etc/hosts
 * lacks, and there no packet can leave the machine; netdb/dns reads the
 * same /etc files and meets the same empty network. Prints, as JSON, each
 * call's outcome through each face (the callback, `util.promisify`,
 * `dns.promises`) for both modules.
 *
 *   lookup-answers-child.ts '[["lookup", ["localhost", {"all": true}]], ...]'
 */
import nodeDns from "node:dns";
import { promisify } from "node:util";
import netdbDns from "../../../src/node/dns.js";
import { described, promised, type Outcome } from "./outcome.js";

type Fn = (...args: unknown[]) => unknown;
function calledBack(call: (callback: (err: unknown, ...results: unknown[]) => void) => unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    try {
      call((err, ...results) => resolve(err ? { error: described(err) } : { value: results }));
    } catch (err) {
      resolve({ thrown: described(err) });
    }
  });
}

async function answers(dns: Record<string, unknown> & { promises: Record<string, unknown> }, calls: Array<[string, unknown[]]>): Promise<unknown[]> {
  const out = [];
  for (const [fn, args] of calls) {
    out.push({
      callback: await calledBack((cb) => (dns[fn] as Fn)(...args, cb)),
      promisify: await promised(() => (promisify(dns[fn] as Fn) as Fn)(...args)),
      promises: await promised(() => (dns.promises[fn] as Fn)(...args)),
    });
  }
  return out;
}

const calls = JSON.parse(process.argv[2]!) as Array<[string, unknown[]]>;
type AnyDns = Record<string, unknown> & { promises: Record<string, unknown> };
console.log(JSON.stringify({
  node: await answers(nodeDns as unknown as AnyDns, calls),
  netdb: await answers(netdbDns as unknown as AnyDns, calls),
}));
