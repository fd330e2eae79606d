/**
 * Python's `repr` of the values the socket functions return (strings,
 * numbers, lists and tuples of them), so output reads as a Python user
 * expects: `['www.hellfly.net']`, `('82.94.164.162', 80)`.
 */

/** A value Python would print: str, int, or a list/tuple of them. */
export type PyValue = string | number | PyList | PyTuple;
/** A Python list. */
export interface PyList {
  list: readonly PyValue[];
}
/** A Python tuple. */
export interface PyTuple {
  tuple: readonly PyValue[];
}

/** Python's repr of `value`. */
export function pyRepr(value: PyValue): string {
  if (typeof value === "string") return pyStr(value);
  if (typeof value === "number") return String(value);
  if ("list" in value) return `[${value.list.map(pyRepr).join(", ")}]`;
  if (value.tuple.length === 1) return `(${pyRepr(value.tuple[0]!)},)`;
  return `(${value.tuple.map(pyRepr).join(", ")})`;
}

/** `['a', 'b']` for an array of strings or numbers. */
export function pyList(values: readonly PyValue[]): string {
  return pyRepr({ list: values });
}

/** `('a', 1)` for an array of strings or numbers. */
export function pyTuple(values: readonly PyValue[]): string {
  return pyRepr({ tuple: values });
}

/**
 * Python 3's repr of a str: single quotes unless the text holds a single
 * quote and no double quote; backslash escapes for the quote, backslash,
 * tab, newline, carriage return and other control characters.
 */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0xad) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}
