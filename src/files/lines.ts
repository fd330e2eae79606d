/**
 * What glibc's nss_files parsers (hosts, services, protocols) share: how a
 * file is cut into lines, what counts as whitespace, and how a number field
 * is read. Each parser builds on these so that junk is tolerated, or
 * rejected, exactly where glibc tolerates or rejects it. Whitespace is
 * C's `isspace`, {@link isSpace} of inet.ts.
 */
import { isSpace } from "../inet.js";

/** Index of the first character at or after `from` that is not {@link isSpace}. */
export function skipSpace(line: string, from: number): number {
  let i = from;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** Index of the first {@link isSpace} character at or after `from` (or the end). */
export function skipWord(line: string, from: number): number {
  let i = from;
  while (i < line.length && !isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** The whitespace-separated words of `text`, in order. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (let i = skipSpace(text, 0); i < text.length; ) {
    const end = skipWord(text, i);
    words.push(text.slice(i, end));
    i = skipSpace(text, end);
  }
  return words;
}

/**
 * The lines an nss_files parser sees, in order: glibc's `__nss_readline`
 * (skip lines that are blank or start with `#` after leading whitespace,
 * strip the leading whitespace) followed by `parse_line`'s cut at the first
 * `#` or newline. Lines have no length limit, as the lookups grow their
 * buffer until a line fits.
 *
 * Two C accidents are kept, because they decide what a lookup finds:
 * - a line ends at a NUL character, as C strings do;
 * - `__nss_readline` removes leading whitespace with a `memmove` that does
 *   not move the string's terminator, so on a line without a newline (the
 *   file's last line, or one cut short by a NUL) the last N characters
 *   reappear after the text, N being the whitespace removed:
 *   `" 10.0.0.2 last"` at the end of a file reads as `"10.0.0.2 lastt"`.
 */
export function nssLines(text: string): string[] {
  const lines: string[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    const line = readLine(text.slice(start, end));
    if (line !== undefined) lines.push(line);
    start = end;
  }
  return lines;
}

/** The entries of an nss_files file: `parseLine` over its {@link nssLines}, keeping the lines it accepts. */
export function nssEntries<T>(text: string, parseLine: (line: string) => T | undefined): T[] {
  const entries: T[] = [];
  for (const line of nssLines(text)) {
    const entry = parseLine(line);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

/** One line as fgets returned it (with its newline, if any) → the parser's view, or undefined to skip. */
function readLine(buffer: string): string | undefined {
  const leading = skipSpace(buffer, 0);
  if (leading === buffer.length || buffer[leading] === "\0" || buffer[leading] === "#") return undefined;
  const nul = buffer.indexOf("\0", leading);
  const length = (nul === -1 ? buffer.length : nul) - leading;
  // After memmove(buf, buf + leading, length) the C string runs to the old
  // terminator at leading + length: the moved text, then the bytes that
  // were at [length, leading + length) before the move.
  const view = buffer.slice(leading, leading + length) + buffer.slice(length, leading + length);
  const cut = view.search(/[#\n]/);
  return cut === -1 ? view : view.slice(0, cut);
}

/** ASCII-only lower case, as strcasecmp folds in glibc's locales. */
export function foldCase(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return name.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
  }
  return name;
}

/** C's `unsigned long` maximum on Linux x86-64 and arm64. */
const ULONG_MAX = 0xffffffffffffffffn;

/** What {@link readUnsigned32} read: the value and where the number ended. */
export interface ParsedNumber {
  value: number;
  end: number;
}

/**
 * A number field as glibc's nss_files parsers read it: C's
 * `strtoul(line + from, &end, base)` (leading whitespace, an optional sign,
 * digits; base 0 reads `0x1f` as hex and `017` as octal; a negative number
 * wraps modulo 2^64), accepted only if the result fits 32 bits. So `-0` is
 * 0, while `-1` (2^64 - 1) and `4294967296` are rejected, as glibc 2.36
 * rejects their lines. Returns undefined when no digit was read or the
 * value does not fit.
 */
export function readUnsigned32(line: string, from: number, base: 0 | 10): ParsedNumber | undefined {
  let i = skipSpace(line, from);
  let negative = false;
  if (line[i] === "+" || line[i] === "-") {
    negative = line[i] === "-";
    i++;
  }
  let radix: number = base === 0 ? 10 : base;
  if (base === 0 && line[i] === "0") {
    if ((line[i + 1] === "x" || line[i + 1] === "X") && digitValue(line.charCodeAt(i + 2)) < 16) {
      radix = 16;
      i += 2;
    } else {
      radix = 8;
    }
  }
  const first = i;
  let value = 0n;
  const big = BigInt(radix);
  for (let d = digitValue(line.charCodeAt(i)); d < radix; d = digitValue(line.charCodeAt(++i))) {
    // strtoul saturates at ULONG_MAX; once past it, the digits no longer matter.
    if (value <= ULONG_MAX) value = value * big + BigInt(d);
  }
  if (i === first) return undefined;
  if (value > ULONG_MAX) value = ULONG_MAX;
  else if (negative && value !== 0n) value = ULONG_MAX + 1n - value;
  return value > 0xffffffffn ? undefined : { value: Number(value), end: i };
}

/** Value of a digit in any base up to 36, or 99 for a non-digit (also NaN past the end). */
function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x7a) return lower - 0x61 + 10;
  return 99;
}
