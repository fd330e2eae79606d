/**
 * `interceptDns(source)`: from now until `restore()`, this process's
 * node:dns answers from `source`. The functions of `dns`, `dns.promises`
 * (the same object as `node:dns/promises`) and their `Resolver` classes
 * are replaced by createDns's (src/node/create-dns.ts) over a netdb
 * Resolver of the source, so `net`, `http`, `https`, `tls`, undici and
 * `fetch`, which call `dns.lookup` from the module at every connection,
 * resolve through it too; `module.syncBuiltinESMExports()` makes ES
 * modules' named imports (`import { lookup } from "node:dns"`) see the
 * swap, and again the restore. `restore()` puts back the very property
 * descriptors that were there, so every function identity is as before.
 */
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";
import { createDns } from "../node/create-dns.js";
import type { Resolver } from "../resolver.js";
import type { AppliedFault } from "./faults.js";
import { QuestionLog, type AskedQuestion } from "./questions.js";
import { openSource, type DnsWorldSource, type SourceOptions, type UnusedEntry } from "./source.js";

/** Options of {@link interceptDns}. */
export type InterceptOptions = SourceOptions;

/** A running interception. */
export interface DnsInterception {
  /** The netdb Resolver node:dns answers from. */
  readonly resolver: Resolver;
  /** Every question asked through node:dns since the interception began, with its answer or error. */
  readonly questions: readonly AskedQuestion[];
  /** What the source had that no question asked for (hosts lines, zone records, recordings). */
  unused(): UnusedEntry[];
  /** The queries faults were applied to, in order (empty without faults). */
  faults(): AppliedFault[];
  /** Puts node:dns back exactly as it was, then releases the source. Calling it again does nothing. */
  restore(): Promise<void>;
}

/** The interception in force, if any: one at a time, since there is one node:dns. */
let active: DnsInterception | undefined;

type Descriptors = Map<string, PropertyDescriptor | undefined>;

/**
 * Makes node:dns answer from `source` (a Resolver, a world directory, or
 * `{ hosts?, zone? }`) until the handle's `restore()`. A name the source
 * cannot answer fails loudly, naming the query, unless `nxdomainOnMiss`.
 * Throws if an interception is already in force.
 */
export function interceptDns(source: DnsWorldSource, options: InterceptOptions = {}): DnsInterception {
  if (active !== undefined) throw new Error("node:dns is already intercepted: restore() the interception in force first");
  const opened = openSource(source, options);
  const log = new QuestionLog();
  const fake = createDns(opened.resolver) as unknown as Record<string, unknown> & { promises: Record<string, unknown> };
  log.wrapModule(fake, "dns", true);
  log.wrapModule(fake.promises, "dns.promises", false);
  const saved = swap(dns as unknown as Record<string, unknown>, fake);
  const savedPromises = swap(dns.promises as unknown as Record<string, unknown>, fake.promises);
  syncBuiltinESMExports();
  let restored: Promise<void> | undefined;
  const handle: DnsInterception = {
    resolver: opened.resolver,
    questions: log.questions,
    unused: () => opened.unused(askedNames(log.questions)),
    faults: () => opened.faults?.applied() ?? [],
    restore() {
      if (restored !== undefined) return restored;
      put(dns as unknown as Record<string, unknown>, saved);
      put(dns.promises as unknown as Record<string, unknown>, savedPromises);
      syncBuiltinESMExports();
      active = undefined;
      restored = opened.close();
      return restored;
    },
  };
  active = handle;
  return handle;
}

/** Sets `target`'s functions to `replacement`'s, returning the descriptors they replaced. */
function swap(target: Record<string, unknown>, replacement: Record<string, unknown>): Descriptors {
  const saved: Descriptors = new Map();
  for (const [key, value] of Object.entries(replacement)) {
    if (typeof value !== "function") continue;
    saved.set(key, Object.getOwnPropertyDescriptor(target, key));
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return saved;
}

/** Puts the saved descriptors back (deleting what was not there). */
function put(target: Record<string, unknown>, saved: Descriptors): void {
  for (const [key, descriptor] of saved) {
    if (descriptor === undefined) delete target[key];
    else Object.defineProperty(target, key, descriptor);
  }
}

/** The names and addresses asked, lowercased. */
function askedNames(questions: readonly AskedQuestion[]): Set<string> {
  return new Set(questions.map((q) => q.name.replace(/\.$/, "").toLowerCase()));
}
