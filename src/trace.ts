/**
 * The typed trace stream: the steps of a lookup, reported to an optional
 * observer (the CLI's --trace), and how two observers are told both.
 */
import type { Protocol } from "./dns/question.js";

/** Steps of a lookup, reported to an optional observer (the CLI's --trace). */
export type TraceEvent =
  | { kind: "source"; source: string; name: string; result: "found" | "notfound" | "unavailable" | "tryagain" }
  | { kind: "search"; name: string; candidates: string[] }
  | { kind: "query"; name: string; type: string; server: string; protocol: Protocol; edns: boolean }
  | { kind: "response"; name: string; type: string; server: string; protocol: Protocol; rtt: number; rcode: string; truncated: boolean; answers: number; records: TracedRecord[] }
  | { kind: "error"; name: string; type: string; server: string; protocol: Protocol; error: string }
  | { kind: "sort"; before: string[]; after: string[] }
  | { kind: "note"; text: string };

/** A record of a traced response: its section, owner (no trailing dot), TTL, type and RDATA in dig's presentation format. */
export interface TracedRecord {
  section: "answer" | "authority" | "additional";
  name: string;
  ttl: number;
  type: string;
  data: string;
}

/** Receives trace events. */
export type Tracer = (event: TraceEvent) => void;

/** A tracer that tells `first` then `second` each event; either may be absent. */
export function combineTracers(first: Tracer | undefined, second: Tracer | undefined): Tracer | undefined {
  if (first === undefined || second === undefined) return first ?? second;
  return (event) => {
    first(event);
    second(event);
  };
}
