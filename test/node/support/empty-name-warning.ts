/**
 * Run by lookup.test.ts in a child process (the warning is once per
 * process): which warnings node:dns's lookup and netdb's emit for the
 * empty name, asked twice each. The empty name never reaches a resolver.
 */
import dns from "node:dns";
import { createLookup } from "../../../src/node/lookup.js";

const which = process.argv[2];
const warnings: string[] = [];
process.on("warning", (w: Error & { code?: string }) => warnings.push(`${w.name} ${w.code} ${w.message}`));
const lookup = (which === "node" ? dns.lookup : createLookup(() => {
  throw new Error("not reached");
})) as (hostname: string, callback: () => void) => unknown;
for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => lookup("", () => resolve()));
await new Promise((resolve) => setImmediate(resolve));
process.stdout.write(JSON.stringify(warnings));
