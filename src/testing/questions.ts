/**
 * The question log of an interception: every call of a node:dns function
 * that asks something (`lookup`, `lookupService`, `resolve*`, `reverse`,
 * on the module, on `dns.promises` and on their `Resolver` instances) is
 * noted with the name or address asked, the record type, which API asked,
 * and the answer or error it got, so a test can assert what its code
 * asked. The wrappers change nothing of what the calls do or return.
 */
import { promisify } from "node:util";

/** One question asked through node:dns. */
export interface AskedQuestion {
  /** Which API asked: `dns.lookup`, `dns.promises.resolveMx`, `dns.Resolver#resolveTxt`, `dns.promises.Resolver#reverse`... */
  api: string;
  /** The name asked (as given), or the address for `reverse` and `lookupService`. */
  name: string;
  /** The record type: `A`, `AAAA` or `A/AAAA` for `lookup` (by family), `PTR` for `reverse` and `lookupService`. */
  type: string;
  /** What the call answered (set when it succeeded): the callback's value, or `{ address, family }`, `{ hostname, service }`. */
  answer?: unknown;
  /** Why it failed (set when it failed). */
  error?: unknown;
}

/** The record type each asking method asks for; `resolve` and `lookup` decide from their arguments. */
const QUESTION_TYPES: Record<string, string> = {
  resolve4: "A", resolve6: "AAAA", resolveAny: "ANY", resolveCaa: "CAA", resolveCname: "CNAME", resolveMx: "MX",
  resolveNaptr: "NAPTR", resolveNs: "NS", resolvePtr: "PTR", resolveSoa: "SOA", resolveSrv: "SRV", resolveTxt: "TXT",
  reverse: "PTR", lookupService: "PTR",
};

type Fn = (...args: unknown[]) => unknown;

function asks(method: string): boolean {
  return method === "lookup" || method === "resolve" || method in QUESTION_TYPES;
}

/** The question a call asks, from its arguments. */
function questionOf(api: string, method: string, args: readonly unknown[]): AskedQuestion {
  const name = String(args[0]);
  if (method === "resolve") return { api, name, type: typeof args[1] === "string" ? args[1] : "A" };
  if (method !== "lookup") return { api, name, type: QUESTION_TYPES[method]! };
  const options = args[1];
  const family = typeof options === "number" ? options : typeof options === "object" && options !== null ? (options as { family?: unknown }).family : 0;
  const type = family === 4 || family === "IPv4" ? "A" : family === 6 || family === "IPv6" ? "AAAA" : "A/AAAA";
  return { api, name, type };
}

/** What a callback's values say, as the log keeps it. */
function callbackAnswer(method: string, values: unknown[]): unknown {
  if (method === "lookup") return Array.isArray(values[0]) ? values[0] : { address: values[0], family: values[1] };
  if (method === "lookupService") return { hostname: values[0], service: values[1] };
  return values[0];
}

/** Notes the questions of the calls made through wrapped functions. */
export class QuestionLog {
  /** Every question, in the order asked. */
  readonly questions: AskedQuestion[] = [];

  /** `fn` (method `method` of `api`'s owner), noting each call; callback-style when `callback` is true. */
  wrap(api: string, method: string, fn: Fn, callback: boolean): Fn {
    const log = this.questions;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const entry = questionOf(api, method, args);
      log.push(entry);
      const last = args.length - 1;
      if (callback && typeof args[last] === "function") {
        const done = args[last] as Fn;
        args[last] = (err: unknown, ...values: unknown[]) => {
          if (err !== null && err !== undefined) entry.error = err;
          else entry.answer = callbackAnswer(method, values);
          return done(err, ...values);
        };
      }
      let result: unknown;
      try {
        result = fn.apply(this, args);
      } catch (err) {
        entry.error = err;
        throw err;
      }
      if (!callback && result instanceof Promise) {
        result.then((value) => (entry.answer = value), (err: unknown) => (entry.error = err));
      }
      return result;
    };
    const custom = (fn as unknown as Record<symbol, unknown>)[promisify.custom];
    if (typeof custom === "function") {
      Object.defineProperty(wrapped, promisify.custom, { value: this.wrap(api, method, custom as Fn, false), configurable: true });
    }
    return wrapped;
  }

  /** `module`'s asking functions replaced by noting ones, in place; its `Resolver` class by a noting subclass. */
  wrapModule(module: Record<string, unknown>, prefix: string, callback: boolean): void {
    for (const [key, value] of Object.entries(module)) {
      if (typeof value !== "function") continue;
      if (key === "Resolver") module[key] = this.#wrapClass(value as new (...a: unknown[]) => object, `${prefix}.Resolver#`, callback);
      else if (asks(key)) module[key] = this.wrap(`${prefix}.${key}`, key, value as Fn, callback);
    }
  }

  /** A subclass of `base` whose asking methods note their questions (the base class stays as it was). */
  #wrapClass(base: new (...a: unknown[]) => object, prefix: string, callback: boolean): new (...a: unknown[]) => object {
    const noting = class Resolver extends base {};
    for (let proto = base.prototype as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        const method = (proto as Record<string, unknown>)[key];
        if (!asks(key) || typeof method !== "function" || Object.hasOwn(noting.prototype, key)) continue;
        Object.defineProperty(noting.prototype, key, { value: this.wrap(`${prefix}${key}`, key, method as Fn, callback), writable: true, configurable: true });
      }
    }
    return noting;
  }
}
