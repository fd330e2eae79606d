/**
 * Run as a child process by lookup-args.test.ts: prints, as JSON, what
 * node:dns's own lookup throws for each case of lookup-arg-cases.ts. It
 * runs outside mocha because the network guard replaces dns.lookup; every
 * case is checked to be an IP literal or not a string before it is tried.
 */
import dns from "node:dns";
import net from "node:net";
import { CASES, thrown } from "./lookup-arg-cases.js";

const results = CASES.map(([, args]) => {
  if (typeof args[0] === "string" && net.isIP(args[0]) === 0) throw new Error(`case with a resolvable name: ${args[0]}`);
  return thrown(() => (dns.lookup as unknown as (...a: unknown[]) => unknown)(...args));
});
process.stdout.write(JSON.stringify(results));
