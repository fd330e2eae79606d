/**
 * `lookupService(address, port, callback)`: node:dns's reverse lookup of
 * an address and port into a host name and service name, answered by
 * netdb's getnameinfo as cares_wrap.cc calls the C library's (flags
 * NI_NAMEREQD, so an address without a name fails with `getnameinfo
 * ENOTFOUND address`; a port without a service name comes back as its
 * number). The checks are Node 20's lib/dns.js's, in its order.
 */
import { isIP } from "../builtins.js";
import type { promisify } from "node:util";
import { PROMISIFY_CUSTOM } from "../builtins.js";
import { NI_NAMEREQD } from "../constants.js";
import type { NodeDnsError } from "./errors.js";
import { gaiFailure } from "./lookup.js";
import { invalidArgValue, missingArgs, validateFunction, validatePort } from "./validate.js";

/** What `lookupService` needs of a netdb Resolver: its getnameinfo. */
export interface NameInfoSource {
  getnameinfo(sockaddr: [string, number] | [string, number, number, number], flags: number): Promise<[string, string]>;
}

type ServiceCallback = (err: NodeDnsError | null, hostname?: string, service?: string) => void;

/** `dns.lookupService`'s shape. */
export interface LookupService {
  (address: string, port: number, callback: ServiceCallback): void;
  /** `util.promisify(lookupService)`: resolves `{ hostname, service }`. */
  [promisify.custom]: LookupServicePromise;
}

/** `dns.promises.lookupService`'s shape. */
export type LookupServicePromise = (address: string, port: number) => Promise<{ hostname: string; service: string }>;

/** Builds `dns.lookupService` over `source()`'s getnameinfo. */
export function createLookupService(source: () => NameInfoSource): LookupService {
  function lookupService(address: unknown, port: unknown, callback: unknown): void {
    if (arguments.length !== 3) throw missingArgs("address", "port", "callback");
    const checkedPort = checkAddressPort(address, port);
    validateFunction(callback, "callback");
    const done = callback as ServiceCallback;
    nameInfo(source, address as string, checkedPort, address as string).then(
      ({ hostname, service }) => process.nextTick(done, null, hostname, service),
      (err: unknown) => process.nextTick(done, err),
    );
  }
  const promised: LookupServicePromise = (address, port) =>
    new Promise((resolve, reject) => {
      lookupService(address, port, (err: NodeDnsError | null, hostname?: string, service?: string) => {
        if (err) reject(err);
        else resolve({ hostname: hostname!, service: service! });
      });
    });
  Object.defineProperty(lookupService, PROMISIFY_CUSTOM, { value: promised, enumerable: false });
  return lookupService as unknown as LookupService;
}

/** Builds `dns.promises.lookupService`: the same checks, thrown at once, and a promise of `{ hostname, service }`. */
export function createLookupServicePromise(source: () => NameInfoSource): LookupServicePromise {
  return function lookupService(address: unknown, port: unknown) {
    if (arguments.length !== 2) throw missingArgs("address", "port");
    // Node 20's promise of a failed lookupService names no hostname in its error (the callback's does).
    return nameInfo(source, address as string, checkAddressPort(address, port), "");
  } as LookupServicePromise;
}

/** Node 20's checks: `address` an IP address (a non-string is an invalid one), `port` a valid port; gives the port as a number. */
function checkAddressPort(address: unknown, port: unknown): number {
  if (isIP(address as string) === 0) throw invalidArgValue("address", address);
  validatePort(port);
  return +(port as number | string);
}

/** getnameinfo as cares_wrap.cc asks it; a failure is node:dns's error naming `errorHostname` (none when empty). */
async function nameInfo(source: () => NameInfoSource, address: string, port: number, errorHostname: string): Promise<{ hostname: string; service: string }> {
  const sockaddr: [string, number] | [string, number, number, number] = isIP(address) === 6 ? [address, port, 0, 0] : [address, port];
  try {
    const [hostname, service] = await source().getnameinfo(sockaddr, NI_NAMEREQD);
    return { hostname, service };
  } catch (err) {
    throw gaiFailure(err, "getnameinfo", errorHostname);
  }
}
