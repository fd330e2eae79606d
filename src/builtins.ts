/**
 * Node's builtins whose ES module import costs at start-up, got the first
 * time one of their functions is called. An `import` of node:crypto,
 * node:net, node:fs or node:dns makes Node build the module's
 * whole ES namespace, and with it what its lazy getters load (node:fs's
 * promises and streams, node:crypto's webcrypto, ...): about 10 ms
 * together in a fresh process, before netdb runs a line (docs/benchmarks.md,
 * "Import and cold start"). The functions here have the builtins' own
 * signatures and call the builtin's own object, got with
 * `process.getBuiltinModule` (Node 20.16+, Bun, Deno, workerd) or, on an
 * older Node 20, required; a builtin is one instance however it is got.
 * node:os, node:dgram, node:path, node:url and node:util cost little and are imported
 * where they are used; node:tls, node:http2 and node:https are the
 * encrypted transports' (src/dns/transport/builtins.ts).
 */
import { createRequire } from "node:module";
import type * as Crypto from "node:crypto";
import type * as Dns from "node:dns";
import type * as Fs from "node:fs";
import type * as Net from "node:net";

type GetBuiltin = (id: string) => unknown;

/** The builtin module `id`, by `process.getBuiltinModule` where there is one. */
function builtin<T>(id: string): T {
  const get = (process as { getBuiltinModule?: GetBuiltin }).getBuiltinModule;
  return (get === undefined ? createRequire(import.meta.url)(id) : get(id)) as T;
}

let crypto: typeof Crypto | undefined;
let dns: typeof Dns | undefined;
let fs: typeof Fs | undefined;
let net: typeof Net | undefined;

const cryptoModule = (): typeof Crypto => (crypto ??= builtin<typeof Crypto>("node:crypto"));
const dnsModule = (): typeof Dns => (dns ??= builtin<typeof Dns>("node:dns"));
const fsModule = (): typeof Fs => (fs ??= builtin<typeof Fs>("node:fs"));
/** node:net (the TCP transport's sockets). */
export const netModule = (): typeof Net => (net ??= builtin<typeof Net>("node:net"));

/** crypto.randomInt(min, max). */
export const randomInt = (min: number, max: number): number => cryptoModule().randomInt(min, max);
/** crypto.randomFillSync(buffer). */
export const randomFillSync = <T extends NodeJS.ArrayBufferView>(buffer: T): T => cryptoModule().randomFillSync(buffer);

/** dns.getDefaultResultOrder(). */
export const getDefaultResultOrder = (): "verbatim" | "ipv4first" | "ipv6first" => dnsModule().getDefaultResultOrder();

/** fs.readFileSync. */
export const readFileSync = ((...args: Parameters<typeof Fs.readFileSync>) => fsModule().readFileSync(...args)) as typeof Fs.readFileSync;
/** fs.statSync. */
export const statSync = ((...args: Parameters<typeof Fs.statSync>) => fsModule().statSync(...args)) as typeof Fs.statSync;
/** fs.readdirSync. */
export const readdirSync = ((...args: Parameters<typeof Fs.readdirSync>) => fsModule().readdirSync(...args)) as typeof Fs.readdirSync;
/** fs.realpathSync. */
export const realpathSync = ((...args: Parameters<typeof Fs.realpathSync>) => fsModule().realpathSync(...args)) as typeof Fs.realpathSync;
/** fs.existsSync. */
export const existsSync = (path: Fs.PathLike): boolean => fsModule().existsSync(path);
/** fs.mkdirSync. */
export const mkdirSync = ((...args: Parameters<typeof Fs.mkdirSync>) => fsModule().mkdirSync(...args)) as typeof Fs.mkdirSync;
/** fs.writeFileSync. */
export const writeFileSync: typeof Fs.writeFileSync = (...args) => fsModule().writeFileSync(...args);
/** fs.appendFileSync. */
export const appendFileSync: typeof Fs.appendFileSync = (...args) => fsModule().appendFileSync(...args);
/** fs.copyFileSync. */
export const copyFileSync: typeof Fs.copyFileSync = (...args) => fsModule().copyFileSync(...args);

/** net.isIP. */
export const isIP = (input: string): number => netModule().isIP(input);
