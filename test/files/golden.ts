/**
 * fixtures/golden/tables.json, recorded by scripts/golden/tables.py from
 * CPython 3.11 on glibc 2.36, and how its tagged values read in JavaScript.
 */
import { readFileSync } from "node:fs";
import { SocketError } from "../../src/errors.js";

/** A value as the golden file tags it (Python None is JavaScript null). */
export type Tagged = { str: string } | { int: number } | { float: number } | { none: null } | { list: Tagged[] };

export interface GoldenError {
  /** Python's exception class name. */
  type: string;
  errno: number | null;
  message: string;
}

export interface GoldenCase {
  call: string;
  args: Tagged[];
  result?: Tagged;
  error?: GoldenError;
}

export interface GoldenSet {
  name: string;
  /** Fixture paths (from the repository root) bind-mounted over /etc. */
  files: Partial<Record<"services" | "protocols" | "hosts", string>>;
  cases: GoldenCase[];
}

/** What glibc's res_init left in _res; timeout in seconds, scopeId as if_nametoindex gave it. */
export interface GoldenResolverState {
  nameservers: { address: string; port: number; scopeId?: number }[];
  search: string[];
  ndots: number;
  timeout: number;
  attempts: number;
  [flag: string]: unknown;
}

export interface GoldenResolvCase {
  text: string;
  env: Record<string, string>;
  hostname: string;
  state: GoldenResolverState;
}

export interface Golden {
  sets: GoldenSet[];
  resolv: GoldenResolvCase[];
}

export const golden: Golden = JSON.parse(readFileSync(new URL("../../fixtures/golden/tables.json", import.meta.url), "utf8"));

/** A file of the repository as text. */
export function readFixture(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
}

export function untag(value: Tagged): unknown {
  if ("list" in value) return value.list.map(untag);
  return Object.values(value)[0];
}

/** The error class JavaScript code sees for a Python exception class (API.md). */
export function jsErrorClass(pythonType: string): string {
  switch (pythonType) {
    case "OSError":
    case "gaierror":
    case "herror":
      return "SocketError";
    case "TypeError":
      return "TypeError";
    case "ValueError":
    case "OverflowError":
    case "UnicodeEncodeError":
      return "RangeError";
    default:
      throw new Error(`no JavaScript counterpart for Python's ${pythonType}`);
  }
}

/** What a call did, in the golden file's terms: its result, or its error's class and message. */
export type Outcome = { result: unknown } | { error: string; message: string };

export function outcome(call: () => unknown): Outcome {
  try {
    return { result: call() };
  } catch (e) {
    if (e instanceof SocketError) return { error: "SocketError", message: e.message };
    if (e instanceof TypeError || e instanceof RangeError) return { error: e.constructor.name, message: e.message };
    throw e;
  }
}

/** The outcome a golden case expects. */
export function expected(c: GoldenCase): Outcome {
  if (c.error !== undefined) return { error: jsErrorClass(c.error.type), message: c.error.message };
  return { result: untag(c.result as Tagged) };
}
