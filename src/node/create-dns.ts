/**
 * `createDns(resolver)`: an object with node:dns's whole surface (Node 20's
 * lib/dns.js and lib/internal/dns/promises.js) answered by one netdb
 * Resolver, so code written for node:dns runs on netdb unchanged, and a
 * test kit or a module-resolution hook can put it where node:dns was.
 *
 * Every job has one mechanism, shared with the rest of src/node/:
 * `lookup` is createLookup's (getaddrinfo), `lookupService` netdb's
 * getnameinfo with NI_NAMEREQD as cares_wrap.cc calls it, the `resolve*`
 * family and `reverse` PromisesResolver's, and the callback `Resolver` a
 * thin callback face of a PromisesResolver (callback-resolver.ts).
 *
 * As in node:dns, the module-level `resolve*`, `reverse`, `getServers` and
 * `setServers` (callback and promises alike) go to one default resolver,
 * so `dns.setServers()` also moves `dns.promises.resolve4()`; and
 * `setDefaultResultOrder` sets the order of both `lookup`s. A `Resolver`
 * made with `new dns.Resolver()` starts from the netdb Resolver's
 * configuration, as node's start from resolv.conf.
 */
import type * as nodeDns from "node:dns";
import type * as nodeDnsPromises from "node:dns/promises";
import { getDefaultResultOrder as nodeResultOrder } from "../builtins.js";
import { Resolver } from "../resolver.js";
import { callbackQuery, callbackResolve, createCallbackResolver, promisesBehind, QUERY_METHODS, type CallbackResolver } from "./callback-resolver.js";
import { ADDRCONFIG, ALL, DNS_ERROR_CODES, V4MAPPED } from "./dns-constants.js";
import { createLookup, createLookupPromise, type ResultOrder } from "./lookup.js";
import { createLookupService, createLookupServicePromise } from "./lookup-service.js";
import { PromisesResolver, type PromisesResolverOptions } from "./promises-resolver.js";
import { validateOneOf } from "./validate.js";

/** node:dns's module object, as @types/node describes it. */
export type NodeDnsModule = typeof nodeDns;

/** node:dns/promises' module object (also `dns.promises`). */
export type NodeDnsPromisesModule = typeof nodeDnsPromises;

/** The netdb Resolver a {@link createDns} object answers from, or a function giving it at first use. */
export type DnsSource = Resolver | (() => Resolver);

const ORDERS: readonly ResultOrder[] = ["verbatim", "ipv4first", "ipv6first"];

type Methods = Record<string, (...args: unknown[]) => unknown>;

/**
 * Builds an object with node:dns's exact surface (`lookup`,
 * `lookupService`, every `resolve*`, `reverse`, `Resolver`, `promises`,
 * `setServers`/`getServers`, `setDefaultResultOrder`/`getDefaultResultOrder`,
 * the error-code constants, `ADDRCONFIG`/`V4MAPPED`/`ALL`) answered by
 * `resolver` (default: a Resolver of the system's files, built on first
 * use). Nothing is read or opened until a function is called.
 */
export function createDns(resolver?: DnsSource): NodeDnsModule {
  let built: Resolver | undefined;
  const source = (): Resolver => {
    built ??= resolver === undefined ? new Resolver() : typeof resolver === "function" ? resolver() : resolver;
    return built;
  };
  let order = nodeResultOrder() as ResultOrder;
  const getDefaultResultOrder = (): ResultOrder => order;
  const setDefaultResultOrder = (value: unknown): void => {
    validateOneOf(value, "dnsOrder", ORDERS);
    order = value;
  };

  // node:dns's two resolver classes, over the same netdb Resolver.
  const PromisesClass = class Resolver extends PromisesResolver {
    constructor(options?: { timeout?: number; tries?: number }) {
      super(resolverOptions(options, source()));
    }
  };
  const CallbackClass = createCallbackResolver(PromisesClass);

  // The default resolver behind the module functions, built on first use.
  let defaultResolver: CallbackResolver | undefined;
  const current = (): CallbackResolver => (defaultResolver ??= new CallbackClass());
  const currentPromises = (): PromisesResolver => promisesBehind(current());
  const setServers = (servers: readonly string[]): void => current().setServers(servers);
  const getServers = (): string[] => current().getServers();

  const lookup = createLookup(source, getDefaultResultOrder);
  // In node:dns's order: the lookups, the class, the settings, the constants; the queries follow.
  const promises: Record<string, unknown> = {
    lookup: createLookupPromise(source, getDefaultResultOrder),
    lookupService: createLookupServicePromise(source),
    Resolver: PromisesClass,
    getDefaultResultOrder,
    setDefaultResultOrder,
    setServers,
    ...DNS_ERROR_CODES,
    getServers,
  };
  const dns: Record<string, unknown> = {
    lookup,
    lookupService: createLookupService(source),
    Resolver: CallbackClass,
    getDefaultResultOrder,
    setDefaultResultOrder,
    setServers,
    ADDRCONFIG,
    ALL,
    V4MAPPED,
    ...DNS_ERROR_CODES,
    getServers,
  };
  dns.resolve = callbackResolve(currentPromises);
  promises.resolve = (...args: unknown[]) => (currentPromises() as unknown as Methods).resolve!(...args);
  for (const method of Object.keys(QUERY_METHODS)) {
    dns[method] = callbackQuery(currentPromises, method);
    promises[method] = (...args: unknown[]) => (currentPromises() as unknown as Methods)[method]!(...args);
  }
  dns.promises = promises;
  return dns as unknown as NodeDnsModule;
}

/** node:dns's `{ timeout, tries }` over `resolver`: the options of the PromisesResolver. */
function resolverOptions(options: { timeout?: number; tries?: number } | undefined, resolver: Resolver): PromisesResolverOptions {
  const out: PromisesResolverOptions = { resolver };
  if (options?.timeout !== undefined) out.timeout = options.timeout;
  if (options?.tries !== undefined) out.tries = options.tries;
  return out;
}
