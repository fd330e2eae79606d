/**
 * node:dns's callback `Resolver` (lib/internal/dns/callback_resolver.js)
 * as a face of a {@link PromisesResolver}: each method checks its
 * arguments as node's does (`name` a string, then `callback` a function;
 * `resolve`'s `rrtype` a string or the callback), asks the promises
 * method, and calls back on a later tick with `(err)` or `(null, result)`.
 * The answers, errors, servers and cancel are the PromisesResolver's, so
 * both faces of one resolver share them, as node's share one c-ares channel.
 */
import { reverseAddress, type PromisesResolver } from "./promises-resolver.js";
import { invalidArgType, invalidArgValue, validateFunction, validateString } from "./validate.js";

type Callback = (err: Error | null, result?: unknown) => void;
type Method = (...args: unknown[]) => Promise<unknown>;

/** Each callback Resolver's PromisesResolver (kept off the instance, whose members are node's). */
const BEHIND = new WeakMap<CallbackResolver, PromisesResolver>();

/** The PromisesResolver a callback Resolver answers from. */
export function promisesBehind(resolver: CallbackResolver): PromisesResolver {
  return BEHIND.get(resolver)!;
}

/** The query methods, with the record type `resolve(name, rrtype)` maps to each. */
export const QUERY_METHODS: Readonly<Record<string, string>> = {
  resolveAny: "ANY",
  resolve4: "A",
  resolve6: "AAAA",
  resolveCaa: "CAA",
  resolveCname: "CNAME",
  resolveMx: "MX",
  resolveNs: "NS",
  resolveTxt: "TXT",
  resolveSrv: "SRV",
  resolvePtr: "PTR",
  resolveNaptr: "NAPTR",
  resolveSoa: "SOA",
  reverse: "",
};

const METHOD_OF_TYPE: ReadonlyMap<string, string> = new Map(
  Object.entries(QUERY_METHODS).filter(([, type]) => type !== "").map(([method, type]) => [type, method]),
);

/** What a callback Resolver is built from: node's `{ timeout, tries }`. */
export interface CallbackResolverOptions {
  timeout?: number;
  tries?: number;
}

/** The class `createCallbackResolver` returns. */
export type CallbackResolverClass = new (options?: CallbackResolverOptions) => CallbackResolver;

/** A node:dns callback Resolver (its query methods are added to the prototype by name). */
export interface CallbackResolver {
  cancel(): void;
  getServers(): string[];
  setServers(servers: readonly string[]): void;
  setLocalAddress(ipv4: string, ipv6?: string): void;
}

/**
 * `name(hostname, [options], callback)` over `target()`'s promises method
 * `method`, checked and called back as node's query functions are.
 */
export function callbackQuery(target: () => PromisesResolver, method: string): (...args: unknown[]) => object {
  return function query(name: unknown, options: unknown, callback?: unknown): object {
    let cb = options;
    let opts: unknown;
    if (arguments.length > 2) {
      opts = options;
      cb = callback;
    }
    validateString(name, "name");
    validateFunction(cb, "callback");
    // node's binding refuses a reverse() of text that is no address at once: the callback form throws it.
    if (method === "reverse") reverseAddress(name);
    const resolver = target() as unknown as Record<string, Method>;
    const asked = method === "resolve4" || method === "resolve6" ? resolver[method]!(name, { ttl: Boolean((opts as { ttl?: unknown } | null | undefined)?.ttl) }) : resolver[method]!(name);
    settle(asked, cb as Callback);
    return {};
  };
}

/** `resolve(hostname, [rrtype], callback)`, checked as node's is. */
export function callbackResolve(target: () => PromisesResolver): (...args: unknown[]) => object {
  return function resolve(hostname: unknown, rrtype: unknown, callback?: unknown): object {
    let method: string | undefined;
    let cb = callback;
    if (typeof rrtype === "string") method = METHOD_OF_TYPE.get(rrtype);
    else if (typeof rrtype === "function") {
      method = "resolve4";
      cb = rrtype;
    } else throw invalidArgType("rrtype", "of type string", rrtype);
    if (method === undefined) throw invalidArgValue("rrtype", rrtype);
    return callbackQuery(target, method)(hostname, cb);
  };
}

function settle(asked: Promise<unknown>, callback: Callback): void {
  asked.then(
    (result) => process.nextTick(callback, null, result),
    (err: Error) => process.nextTick(callback, err),
  );
}

/** node:dns's callback Resolver class over PromisesResolvers made by `Promises`. */
export function createCallbackResolver(Promises: new (options?: CallbackResolverOptions) => PromisesResolver): CallbackResolverClass {
  class Resolver implements CallbackResolver {
    readonly #promises: PromisesResolver;

    constructor(options?: CallbackResolverOptions) {
      this.#promises = new Promises(options);
      BEHIND.set(this, this.#promises);
    }

    cancel(): void {
      this.#promises.cancel();
    }

    getServers(): string[] {
      return this.#promises.getServers();
    }

    setServers(servers: readonly string[]): void {
      this.#promises.setServers(servers);
    }

    setLocalAddress(ipv4: string, ipv6?: string): void {
      this.#promises.setLocalAddress(ipv4, ipv6);
    }
  }
  const proto = Resolver.prototype as unknown as Record<string, unknown>;
  for (const method of Object.keys(QUERY_METHODS)) {
    defineMethod(proto, method, function (this: Resolver, ...args: unknown[]) {
      return callbackQuery(() => promisesBehind(this), method).apply(this, args);
    });
  }
  defineMethod(proto, "resolve", function (this: Resolver, ...args: unknown[]) {
    return callbackResolve(() => promisesBehind(this)).apply(this, args);
  });
  return Resolver;
}

/** A prototype method as class syntax makes one: not enumerable. */
function defineMethod(proto: Record<string, unknown>, name: string, fn: (...args: unknown[]) => unknown): void {
  Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
