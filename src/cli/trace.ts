/**
 * `--trace`: one line of explanation per step of a lookup, from the
 * {@link TraceEvent}s the resolver reports. Lines start with `;;` (as dig's
 * comments do) so they stand apart from the answer lines around them.
 */
import { serverLabel } from "../dns/server.js";
import type { ResolvConf } from "../files/resolvconf.js";
import type { TraceEvent, TracedRecord } from "../trace.js";

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
      const head = `;;   <- ${event.name} ${event.type} from ${event.server} over ${event.protocol} in ${formatRtt(event.rtt)}: ${event.rcode}, ${answers}${truncated}`;
      return [head, ...event.records.map(recordLine)].join("\n");
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

/** A record of a response, under its `<-` line: `;;        answer www.python.org. 300 A 82.94.164.162`. */
function recordLine(r: TracedRecord): string {
  return `;;        ${r.section} ${r.name === "." ? "." : `${r.name}.`} ${r.ttl} ${r.type} ${r.data}`;
}

/**
 * An event as the JSON trace carries it: as the library reports it, with
 * the round-trip time rounded to 0.1 ms (the text trace's precision).
 */
export function jsonEvent(event: TraceEvent): TraceEvent {
  return event.kind === "response" ? { ...event, rtt: Math.round(event.rtt * 10) / 10 } : event;
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
export function configLines(config: TracedConfig): string[] {
  const { hosts, nameservers, search, options } = configJson(config);
  const servers = config.conf.nameservers.length === 0 ? `${nameservers[0]} (none configured)` : nameservers.join(", ");
  return [
    `;; hosts: ${hosts.join(" ") || "(none)"}`,
    `;; nameservers ${servers}; search ${search.join(" ") || "(none)"}; options ${options.join(" ")}`,
  ];
}

/** What {@link configLines} says, as the JSON trace's `config` member. */
export function configJson({ sources, conf }: TracedConfig): { hosts: string[]; nameservers: string[]; search: string[]; options: string[] } {
  const options = [
    `ndots:${conf.ndots}`,
    `timeout:${conf.timeout / 1000}`,
    `attempts:${conf.attempts}`,
    ...(["rotate", "edns0", "singleRequest", "singleRequestReopen", "useVc", "noAaaa", "trustAd"] as const)
      .filter((flag) => conf[flag])
      .map((flag) => flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
  ];
  const nameservers = conf.nameservers.length === 0 ? ["127.0.0.1:53"] : conf.nameservers.map(serverLabel);
  return { hosts: [...sources], nameservers, search: [...conf.search], options };
}
