/**
 * `--trace`: one line of explanation per step of a lookup, from the
 * {@link TraceEvent}s the resolver reports. Lines start with `;;` (as dig's
 * comments do) so they stand apart from the answer lines around them.
 */
import { serverLabel } from "../dns/server.js";
import type { ResolvConf, TraceEvent } from "../types.js";

const SOURCE_RESULTS: Readonly<Record<string, string>> = {
  found: "answered",
  notfound: "has no entry for",
  unavailable: "is unavailable for",
  tryagain: "asks to try again later for",
};

/** The line explaining `event`. */
export function traceLine(event: TraceEvent): string {
  switch (event.kind) {
    case "source":
      return `;; ${event.source} ${SOURCE_RESULTS[event.result] ?? event.result} ${JSON.stringify(event.name)}`;
    case "search":
      return event.candidates.length === 0
        ? `;; search list for ${JSON.stringify(event.name)}: no name to try`
        : `;; search list for ${JSON.stringify(event.name)}: try ${event.candidates.join(", then ")}`;
    case "query":
      return `;;   -> ${event.name} ${event.type} to ${event.server} over ${event.protocol}${event.edns ? " with EDNS0" : ""}`;
    case "response": {
      const answers = `${event.answers} answer${event.answers === 1 ? "" : "s"}`;
      const truncated = event.truncated ? ", truncated (TC): the answer did not fit" : "";
      return `;;   <- ${event.name} ${event.type} from ${event.server} over ${event.protocol} in ${formatRtt(event.rtt)}: ${event.rcode}, ${answers}${truncated}`;
    }
    case "error":
      return `;;   !! ${event.name} ${event.type} to ${event.server} over ${event.protocol}: ${event.error}`;
    case "sort":
      return sameOrder(event.before, event.after)
        ? `;; RFC 6724 sort kept the order: ${event.after.join(", ")}`
        : `;; RFC 6724 sort: ${event.before.join(", ")} => ${event.after.join(", ")}`;
    case "note":
      return `;; ${event.text}`;
  }
}

/** Milliseconds with one decimal under 10 ms, whole above: "0.4 ms", "23 ms". */
export function formatRtt(ms: number): string {
  return ms < 9.95 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** What a resolver is configured with, as far as a trace reader needs to know. */
export interface TracedConfig {
  /** nsswitch.conf's `hosts:` sources. */
  sources: readonly string[];
  conf: ResolvConf;
}

/** The lines a trace opens with: the sources and the resolver configuration in effect. */
export function configLines({ sources, conf }: TracedConfig): string[] {
  const servers = conf.nameservers.length === 0 ? "127.0.0.1:53 (none configured)" : conf.nameservers.map(serverLabel).join(", ");
  const options = [
    `ndots:${conf.ndots}`,
    `timeout:${conf.timeout / 1000}`,
    `attempts:${conf.attempts}`,
    ...(["rotate", "edns0", "singleRequest", "singleRequestReopen", "useVc", "noAaaa", "trustAd"] as const)
      .filter((flag) => conf[flag])
      .map((flag) => flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
  ];
  return [
    `;; hosts: ${sources.join(" ") || "(none)"}`,
    `;; nameservers ${servers}; search ${conf.search.join(" ") || "(none)"}; options ${options.join(" ")}`,
  ];
}
