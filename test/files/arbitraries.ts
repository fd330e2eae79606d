/**
 * Inputs for the /etc parsers' property tests: arbitrary text, text built
 * from the characters glibc's parsers treat specially, and fixture files
 * with random edits.
 */
import fc from "fast-check";
import { readFixture } from "./golden.js";

/** Runs per property: enough to find edge cases, bounded so the suite stays fast. */
export const RUNS = { numRuns: 300 };

/** The characters the parsers decide on, plus ordinary ones. */
const SPECIAL = [
  " ", "\t", "\r", "\n", "\v", "\f", "\0", "#", ";", "/", ":", "%", ".", ",", "[", "]", "!", "=", "-", "+",
  "0", "1", "7", "9", "x", "X", "a", "f", "Z", "é", "\u00a0", "\ud800",
];

const special = fc.constantFrom(...SPECIAL);

/** Words that mean something to some parser. */
const WORDS = [
  "127.0.0.1", "::1", "::ffff:1.2.3.4", "fe80::1%eth0", "127.1", "01.2.3.4", "localhost", "80/tcp", "0x50/udp",
  "-1/tcp", "65616/tcp", "6", "4294967295", "tcp", "TCP", "nameserver", "search", "domain", "options", "ndots:3",
  "timeout:-1", "attempts:99", "rotate", "no-aaaa", "hosts:", "hosts", "files", "dns", "[NOTFOUND=return]",
  "[!UNAVAIL=return]", "[", "]", "passwd:",
];

/** Lines of parser-relevant words and special characters. */
const line = fc.tuple(
  fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit: special, maxLength: 4 })), { maxLength: 8 }),
  fc.constantFrom(" ", "\t", " \t "),
).map(([parts, separator]) => parts.join(separator));

/** Texts the way config files look, with any line ends and no trailing newline at times. */
export const configText = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom("\n", "\r\n"), fc.boolean())
  .map(([lines, end, last]) => lines.join(end) + (last ? end : ""));

/** Any text at all, including lone surrogates and NULs. */
export const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: special, maxLength: 200 }),
);

const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.string({ unit: special, maxLength: 6 }) });

/** Fixture files with random edits: realistic texts broken in many small ways. */
export function mutated(...fixtures: string[]): fc.Arbitrary<string> {
  const texts = fixtures.map(readFixture);
  return fc.tuple(fc.constantFrom(...texts), fc.array(edit, { maxLength: 10 })).map(([text, edits]) => {
    let out = text;
    for (const { at, remove, insert } of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + remove);
    }
    return out;
  });
}

/** Every input kind a parser must survive. */
export function inputs(...fixtures: string[]): fc.Arbitrary<string> {
  return fc.oneof(anyText, configText, mutated(...fixtures));
}

/** True when `s` holds C whitespace, a NUL or a `#`: what no parsed name can contain. */
export function hasSeparator(s: string): boolean {
  return /[ \t\n\v\f\r\0#]/.test(s);
}
