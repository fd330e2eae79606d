/**
 * Node's builtins whose ES module import costs at start-up, got the first
 * time one of their functions is called. An `import` of node:crypto,
 * node:net, node:fs or node:dns makes Node build the module's
 * whole ES namespace, and with it what its lazy getters load (node:fs's
 * promises and streams, node:crypto's webcrypto, ...): about 10 ms
 * together in a fresh process, before netdb runs a line (docs/benchmarks.md,
 * "Import and cold start"); node:util, node:buffer, node:os and node:dgram
 * about 1 ms more (util's namespace loads parseArgs and MIMEType, buffer's
 * File). The functions here have the builtins' own
 * signatures and call the builtin's own object, got with
 * `process.getBuiltinModule` (Node 20.16+, Bun, Deno, workerd) or, on an
 * older Node 20, required; a builtin is one instance however it is got
 * (a test's stub on `dgram.createSocket` is seen here).
 * node:path and node:url cost nothing and are imported where they are
 * used; node:tls, node:http2 and node:https are the encrypted transports'
 * (src/dns/transport/builtins.ts); the UDP pool imports node:dgram, since
 * its code is loaded only at the first exchange (src/dns/transport/lazy-net.ts).
 */
import { createRequire } from "node:module";
import type * as BufferModule from "node:buffer";
import type * as Crypto from "node:crypto";
import type * as Dgram from "node:dgram";
import type * as Dns from "node:dns";
import type * as Fs from "node:fs";
import type * as Net from "node:net";
import type * as Os from "node:os";
import type * as Util from "node:util";

type GetBuiltin = (id: string) => unknown;

/** The builtin module `id`, by `process.getBuiltinModule` where there is one. */
function builtin<T>(id: string): T {
  const get = (process as { getBuiltinModule?: GetBuiltin }).getBuiltinModule;
  return (get === undefined ? createRequire(import.meta.url)(id) : get(id)) as T;
}

let buffer: typeof BufferModule | undefined;
let crypto: typeof Crypto | undefined;
let dgram: typeof Dgram | undefined;
let dns: typeof Dns | undefined;
let fs: typeof Fs | undefined;
let net: typeof Net | undefined;
let os: typeof Os | undefined;
let util: typeof Util | undefined;

const bufferModule = (): typeof BufferModule => (buffer ??= builtin<typeof BufferModule>("node:buffer"));
const cryptoModule = (): typeof Crypto => (crypto ??= builtin<typeof Crypto>("node:crypto"));
const dnsModule = (): typeof Dns => (dns ??= builtin<typeof Dns>("node:dns"));
const fsModule = (): typeof Fs => (fs ??= builtin<typeof Fs>("node:fs"));
const osModule = (): typeof Os => (os ??= builtin<typeof Os>("node:os"));
const utilModule = (): typeof Util => (util ??= builtin<typeof Util>("node:util"));
/** node:net (the TCP transport's sockets). */
export const netModule = (): typeof Net => (net ??= builtin<typeof Net>("node:net"));
/** node:dgram (a UDP socket connected to learn a route's source address). */
export const dgramModule = (): typeof Dgram => (dgram ??= builtin<typeof Dgram>("node:dgram"));

/** Buffer.from(arrayBuffer, byteOffset, length): a Buffer over the same memory. */
export const bufferOver = (bytes: ArrayBufferLike, byteOffset: number, length: number): Buffer => bufferModule().Buffer.from(bytes, byteOffset, length);

/** os.hostname(). */
export const hostname = (): string => osModule().hostname();
/** os.networkInterfaces(). */
export const networkInterfaces = (): ReturnType<typeof Os.networkInterfaces> => osModule().networkInterfaces();
/** os.constants.errno. */
export const errnoConstants = (): typeof Os.constants.errno => osModule().constants.errno;

/** util.inspect(value, options). */
export const inspect = (value: unknown, options?: Util.InspectOptions): string => utilModule().inspect(value, options);
/** util.getSystemErrorName(code). */
export const getSystemErrorName = (code: number): string => utilModule().getSystemErrorName(code);
/** util.promisify.custom, which Node defines as this registered symbol. */
export const PROMISIFY_CUSTOM = Symbol.for("nodejs.util.promisify.custom") as typeof Util.promisify.custom;

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
