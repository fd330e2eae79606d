/**
 * Domain names: reading them from the wire without trusting the message,
 * their text form, comparing them, and glibc's host-name check.
 *
 * Text form is glibc's `ns_name_ntop`: labels joined by dots, no trailing
 * dot (the root is "."), the characters `. \ " ; ( ) @ $` escaped with a
 * backslash and bytes outside 0x21-0x7e written as `\DDD`. So a label with a
 * dot in it never reads as two labels, and two names are the same name
 * exactly when their texts are equal ignoring ASCII case.
 */
import { InvalidNameError, MalformedMessageError } from "./errors.js";

/** Longest name on the wire, root label included (RFC 1035 section 3.1). */
const MAX_NAME_OCTETS = 255;
/** Longest label (RFC 1035 section 3.1). */
const MAX_LABEL_OCTETS = 63;

const POINTER_MASK = 0xc0;

/** A name read from a message. */
export interface WireName {
  /** Text form (see the module comment). */
  name: string;
  /** Offset just past the name where it was read (past the pointer, if compressed). */
  end: number;
}

/**
 * Reads the name at `offset` of `message`, following compression pointers.
 * Throws {@link MalformedMessageError} for a name that runs past the end, a
 * label type other than plain or pointer, a pointer that does not point
 * strictly before the labels being read (this forbids forward pointers and
 * loops), or a name longer than 255 octets once expanded.
 */
export function readName(message: Uint8Array, offset: number): WireName {
  const name = readNameText(message, offset);
  return { name, end: nameEnd };
}

/** Where the name {@link readNameText} or {@link readMessageName} read last ended. */
let nameEnd = 0;

/** The end of the last name read by {@link readNameText} or {@link readMessageName}: {@link WireName.end}. */
export function lastNameEnd(): number {
  return nameEnd;
}

/** {@link readName}'s text alone; its end is {@link lastNameEnd} (no object per name: a name is read for every record of every answer). */
export function readNameText(message: Uint8Array, offset: number): string {
  // The text is written as character codes into one scratch buffer and made a string once.
  let chars = 0;
  let octets = 1; // the root label
  let position = offset;
  // Start of the stretch of labels being read; every pointer must go below it.
  let stretchStart = offset;
  let end = -1;
  for (;;) {
    if (position >= message.length) throw new MalformedMessageError("name runs past the end of the message", position);
    const length = message[position]!;
    if ((length & POINTER_MASK) === POINTER_MASK) {
      if (position + 1 >= message.length) throw new MalformedMessageError("compression pointer cut short", position);
      const target = ((length & ~POINTER_MASK) << 8) | message[position + 1]!;
      if (target >= stretchStart) {
        throw new MalformedMessageError(`compression pointer to ${target} does not point backwards`, position);
      }
      if (end === -1) end = position + 2;
      position = target;
      stretchStart = target;
      continue;
    }
    if ((length & POINTER_MASK) !== 0) throw new MalformedMessageError(`unknown label type 0x${length.toString(16)}`, position);
    if (length === 0) {
      if (end === -1) end = position + 1;
      break;
    }
    if (position + 1 + length > message.length) throw new MalformedMessageError("label runs past the end of the message", position);
    octets += length + 1;
    if (octets > MAX_NAME_OCTETS) throw new MalformedMessageError("name longer than 255 octets", offset);
    if (chars > 0) NAME_CHARS[chars++] = 0x2e;
    chars = writeLabelText(message, position + 1, position + 1 + length, chars);
    position += 1 + length;
  }
  nameEnd = end;
  return chars === 0 ? "." : NAME_CHARS.latin1Slice(0, chars);
}

/**
 * The names read so far from the message being decoded, by the offset
 * they start at, so that a name that is only a pointer to one of them (an
 * answer's owner pointing to the question, as nearly every answer's does)
 * is the same string again: {@link readMessageName}.
 */
const SEEN_AT = new Int32Array(16);
const SEEN: string[] = new Array<string>(16).fill("");
let seenCount = 0;

/** Starts reading a new message with {@link readMessageName}: no name of it is known yet. */
export function startMessageNames(): void {
  seenCount = 0;
}

/**
 * {@link readNameText} for the message started by {@link startMessageNames}:
 * the same text and end, and the same checks (a pointer to a name already
 * read from it points backwards to a name that read), without a new string
 * for a name that is one pointer to a name read before.
 */
export function readMessageName(message: Uint8Array, offset: number): string {
  const first = message[offset];
  if (first !== undefined && (first & POINTER_MASK) === POINTER_MASK && offset + 1 < message.length) {
    const target = ((first & ~POINTER_MASK) << 8) | message[offset + 1]!;
    if (target < offset) {
      for (let i = 0; i < seenCount; i++) {
        if (SEEN_AT[i] === target) {
          nameEnd = offset + 2;
          return SEEN[i]!;
        }
      }
    }
  }
  const name = readNameText(message, offset);
  if (seenCount < SEEN_AT.length) {
    SEEN_AT[seenCount] = offset;
    SEEN[seenCount++] = name;
  }
  return name;
}

/** Room for the text of the longest name: 255 octets, each at most 4 characters (`\DDD`), all of them ASCII. */
const NAME_CHARS = Buffer.allocUnsafeSlow(MAX_NAME_OCTETS * 4) as Buffer & { latin1Slice(start: number, end: number): string };

/** Writes a label's text (the module comment's escapes) into {@link NAME_CHARS} from `at`; returns where it ended. */
function writeLabelText(message: Uint8Array, start: number, end: number, at: number): number {
  let n = at;
  for (let i = start; i < end; i++) {
    const byte = message[i]!;
    const kind = CHAR_KIND[byte];
    if (kind === PLAIN) NAME_CHARS[n++] = byte;
    else if (kind === SPECIAL) {
      NAME_CHARS[n++] = 0x5c;
      NAME_CHARS[n++] = byte;
    } else {
      NAME_CHARS[n++] = 0x5c;
      NAME_CHARS[n++] = 0x30 + Math.floor(byte / 100);
      NAME_CHARS[n++] = 0x30 + (Math.floor(byte / 10) % 10);
      NAME_CHARS[n++] = 0x30 + (byte % 10);
    }
  }
  return n;
}

/** How `ns_name_ntop` writes each byte: itself, after a backslash, or as `\DDD` (the 0 of the table). */
const PLAIN = 1;
const SPECIAL = 2;
const CHAR_KIND = new Uint8Array(256);
for (let byte = 0x21; byte < 0x7f; byte++) CHAR_KIND[byte] = PLAIN;
for (const byte of [0x2e, 0x5c, 0x22, 0x3b, 0x28, 0x29, 0x40, 0x24]) CHAR_KIND[byte] = SPECIAL;

/** A label's text, as {@link readName} writes it. */
function labelText(label: Uint8Array): string {
  return NAME_CHARS.latin1Slice(0, writeLabelText(label, 0, label.length, 0));
}

/** `name` without one trailing dot; "" and "." both mean the root, returned as ".". */
export function withoutTrailingDot(name: string): string {
  if (name === "" || name === ".") return ".";
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/**
 * The wire labels of a name in text form, as glibc's `ns_name_pton` reads
 * it (this is how `res_mkquery` puts a caller's name on the wire): labels
 * separated by unescaped dots, one optional trailing dot, `\X` for the
 * character X itself (so `a\.b` is the one label `a.b`), `\DDD` for the
 * octet DDD (three decimal digits, at most 255); every other character is
 * itself, in UTF-8 (a space stays a space). Throws
 * {@link InvalidNameError} for an empty label, a bad escape, or a name that
 * does not fit the wire.
 */
export function nameLabels(name: string): Uint8Array[] {
  if (name === "" || name === ".") return [];
  if (PLAIN_NAME.test(name)) return plainNameLabels(name);
  const labels: Uint8Array[] = [];
  let label: number[] = [];
  let octets = 1; // the root label
  const endLabel = (): void => {
    if (label.length === 0) throw new InvalidNameError(name, "empty label");
    if (label.length > MAX_LABEL_OCTETS) throw new InvalidNameError(name, `label longer than ${MAX_LABEL_OCTETS} octets`);
    octets += label.length + 1;
    labels.push(Uint8Array.from(label));
    label = [];
  };
  const chars = [...name];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === ".") {
      endLabel();
    } else if (c !== "\\") {
      label.push(...Buffer.from(c));
    } else if (/^[0-9]$/.test(chars[i + 1] ?? "")) {
      const digits = chars.slice(i + 1, i + 4).join("");
      if (!/^[0-9]{3}$/.test(digits) || Number(digits) > 255) throw new InvalidNameError(name, `bad escape \\${digits}`);
      label.push(Number(digits));
      i += 3;
    } else if (i + 1 < chars.length) {
      label.push(...Buffer.from(chars[++i]!));
    } else {
      throw new InvalidNameError(name, "backslash at the end");
    }
  }
  if (label.length > 0) endLabel();
  if (octets > MAX_NAME_OCTETS) throw new InvalidNameError(name, `name longer than ${MAX_NAME_OCTETS} octets`);
  return labels;
}

/** Host-name-like text (letters, digits, `-`, `_`, no empty label): every character is its own octet. */
const PLAIN_NAME = /^[0-9A-Za-z_-]+(?:\.[0-9A-Za-z_-]+)*\.?$/;

/**
 * Walks a name that {@link PLAIN_NAME} matches label by label (every
 * character its own octet), checking the limits {@link nameLabels} checks,
 * and calls `label(start, end)` for each: the common case on every query,
 * without reading escapes.
 */
function eachPlainLabel(name: string, label: (start: number, end: number) => void): void {
  let octets = 1; // the root label
  let start = 0;
  while (start < name.length) {
    let end = name.indexOf(".", start);
    if (end < 0) end = name.length;
    const length = end - start;
    if (length > MAX_LABEL_OCTETS) throw new InvalidNameError(name, `label longer than ${MAX_LABEL_OCTETS} octets`);
    label(start, end);
    octets += length + 1;
    start = end + 1;
  }
  if (octets > MAX_NAME_OCTETS) throw new InvalidNameError(name, `name longer than ${MAX_NAME_OCTETS} octets`);
}

/** {@link nameLabels} of a name that {@link PLAIN_NAME} matches. */
function plainNameLabels(name: string): Uint8Array[] {
  const labels: Uint8Array[] = [];
  eachPlainLabel(name, (start, end) => {
    const label = new Uint8Array(end - start);
    for (let i = start; i < end; i++) label[i - start] = name.charCodeAt(i);
    labels.push(label);
  });
  return labels;
}

/** Throws what {@link nameLabels} throws for a name that cannot be put on the wire; builds nothing for a plain one. */
export function checkWireName(name: string): void {
  if (name === "" || name === ".") return;
  if (PLAIN_NAME.test(name)) checkPlainName(name);
  else nameLabels(name);
}

/** {@link eachPlainLabel}'s checks alone, for a name that {@link PLAIN_NAME} matches: its labels and its length fit the wire. */
function checkPlainName(name: string): void {
  let octets = 1; // the root label
  let start = 0;
  while (start < name.length) {
    let end = name.indexOf(".", start);
    if (end < 0) end = name.length;
    if (end - start > MAX_LABEL_OCTETS) throw new InvalidNameError(name, `label longer than ${MAX_LABEL_OCTETS} octets`);
    octets += end - start + 1;
    start = end + 1;
  }
  if (octets > MAX_NAME_OCTETS) throw new InvalidNameError(name, `name longer than ${MAX_NAME_OCTETS} octets`);
}

/** The wire form of a name in text form (see {@link nameLabels}), root label included. */
export function nameWire(name: string): Uint8Array {
  if (isPlainName(name)) {
    checkPlainName(name);
    const wire = new Uint8Array(plainWireLength(name));
    writePlainName(name, wire, 0);
    return wire;
  }
  const labels = nameLabels(name);
  const wire = new Uint8Array(labels.reduce((n, l) => n + l.length + 1, 1));
  let offset = 0;
  for (const label of labels) {
    wire[offset] = label.length;
    wire.set(label, offset + 1);
    offset += label.length + 1;
  }
  return wire;
}

/** A name of letters, digits, `-` and `_` in non-empty labels (not the root): each character is its own octet on the wire. */
export function isPlainName(name: string): boolean {
  return name !== "" && name !== "." && PLAIN_NAME.test(name);
}

/** The wire length of a name that {@link isPlainName}: each label's octets after its length, then the root. */
export function plainWireLength(name: string): number {
  return (name.endsWith(".") ? name.length - 1 : name.length) + 2;
}

/**
 * Writes the wire form of a name that {@link isPlainName} and whose
 * labels fit (checked by {@link checkWireName}) into `into` at `at`,
 * {@link plainWireLength} octets: each label's octets preceded by its
 * length, then the root. Built in place: every query has a name.
 */
export function writePlainName(name: string, into: Uint8Array, at: number): void {
  const n = name.endsWith(".") ? name.length - 1 : name.length;
  let lengthAt = at;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      into[lengthAt] = at + i - lengthAt;
      lengthAt = at + i + 1;
    } else into[at + i + 1] = c;
  }
  into[lengthAt] = at + n - lengthAt;
  into[at + n + 1] = 0;
}

/**
 * One text form per DNS name, for comparing: the wire labels (see
 * {@link nameLabels}) with ASCII letters lowercased, written back as
 * {@link readName} writes them, no trailing dot. So `A B.test.`,
 * `a\032b.test` and `a\ b.test` are all `a\032b.test`, while `a\.b`
 * (one label) and `a.b` (two) stay apart. A name that cannot be put on the
 * wire is only lowercased, so it equals nothing but its own spellings.
 */
export function canonicalName(name: string): string {
  let labels: Uint8Array[];
  try {
    labels = nameLabels(name);
  } catch (err) {
    if (err instanceof InvalidNameError) return asciiLower(withoutTrailingDot(name));
    throw err;
  }
  if (labels.length === 0) return ".";
  return labels.map((label) => labelText(label.map((byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte)))).join(".");
}

/**
 * True when two names are the same DNS name: the same wire labels, ASCII
 * case ignored, whichever way each is written (see {@link canonicalName}).
 */
export function sameName(a: string, b: string): boolean {
  return a === b || canonicalName(a) === canonicalName(b);
}

/** Lowercases A-Z only, as DNS name comparison does (RFC 4343). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/**
 * glibc's `res_hnok` for a name in text form: every label made of letters,
 * digits, `-` and `_`, and the first label not starting with `-`. The root
 * passes, as in glibc. nss_dns uses it to drop CNAME targets and PTR names
 * that could not be host names. An escaped character fails (glibc would
 * decode `\097` to `a` first; names from {@link readName} only escape
 * characters that fail anyway).
 */
export function isHostName(name: string): boolean {
  const bare = withoutTrailingDot(name);
  if (bare === ".") return true;
  if (bare.startsWith("-")) return false;
  // One pass over the characters, no label strings: every lookup checks its name.
  let labelLength = 0;
  for (let i = 0; i < bare.length; i++) {
    const c = bare.charCodeAt(i);
    if (c === 0x2e) {
      if (labelLength === 0) return false;
      labelLength = 0;
    } else if (isHostChar(c)) labelLength++;
    else return false;
  }
  return labelLength > 0;
}

/** A letter, digit, `-` or `_`: what res_hnok allows in a label. */
function isHostChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
}
