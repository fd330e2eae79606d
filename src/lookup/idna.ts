/**
 * Host names to the ASCII form they are looked up in, as Python's "idna"
 * codec (IDNA 2003, RFC 3490) makes it, with Node's UTS #46 converter
 * (`url.domainToASCII`) doing the per-label nameprep and Punycode work.
 *
 * The codec's structure is kept exactly: an all-ASCII name passes through
 * unchanged (case included) after a label-length check; otherwise the name
 * is split at the four IDNA dots, ASCII labels are kept as written, and only
 * the others are converted. UTS #46 differs from IDNA 2003 nameprep in its
 * "deviation" characters, so those are mapped the IDNA 2003 way first (ß to
 * "ss", final sigma to sigma, ZWJ and ZWNJ to nothing). Remaining
 * differences (Unicode versions, symbols UTS #46 disallows) are listed in
 * docs/lookup.md.
 */
import { domainToASCII, domainToUnicode } from "node:url";

/** The separators IDNA 2003 accepts between labels (RFC 3490 3.1). */
const DOTS = /[\u002e\u3002\uff0e\uff61]/;

/** IDNA 2003 maps these differently from UTS #46 non-transitional processing. */
const DEVIATIONS: ReadonlyMap<string, string> = new Map([
  ["\u00df", "ss"],
  ["\u03c2", "\u03c3"],
  ["\u200c", ""],
  ["\u200d", ""],
]);

const MAX_LABEL = 63;

/** Python's UnicodeError (a ValueError, so a RangeError here) as the codec machinery words it. */
function codecError(reason: string): RangeError {
  return new RangeError(`encoding with 'idna' codec failed (UnicodeError: ${reason})`);
}

/** True if `s` is all ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Python's repr() of a one-character string, close enough for error messages. */
function reprChar(ch: string): string {
  if (/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch) && ch !== "'" && ch !== "\\") return `'${ch}'`;
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `'\\x${code.toString(16).padStart(2, "0")}'`;
  if (code <= 0xffff) return `'\\u${code.toString(16).padStart(4, "0")}'`;
  return `'\\U${code.toString(16).padStart(8, "0")}'`;
}

/** UTS #46 on one label after the IDNA 2003 deviations, or "" where it refuses. */
function uts46Label(label: string): string {
  let mapped = "";
  for (const ch of label) mapped += DEVIATIONS.get(ch) ?? ch;
  if (mapped === "") return "";
  const ascii = domainToASCII(mapped);
  // A label must stay one label: a mapping that produced a dot is no answer.
  return ascii.includes(".") ? "" : ascii;
}

/** RFC 3490 ToASCII of one label, with Python's error texts. */
function toAsciiLabel(label: string): string {
  if (isAscii(label)) {
    if (label.length > 0 && label.length <= MAX_LABEL) return label;
    throw codecError("label empty or too long");
  }
  if (label.normalize("NFKC").toLowerCase().startsWith("xn--")) throw codecError("Label starts with ACE prefix");
  let ascii = uts46Label(label);
  const bidi = ascii === "" ? undefined : bidiViolation(label.normalize("NFKC").toLowerCase());
  if (bidi !== undefined) throw codecError(bidi);
  if (ascii === "") {
    // Nameprep maps some characters to ASCII that UTS #46 refuses (a
    // no-break space becomes a space); Python then keeps that ASCII text.
    const folded = label.normalize("NFKC").toLowerCase();
    if (!isAscii(folded)) throw codecError(refusal(label));
    ascii = folded;
  }
  if (ascii.length === 0 || ascii.length > MAX_LABEL) throw codecError("label empty or too long");
  return ascii;
}

/** Right-to-left scripts: an approximation of bidi classes R and AL, which JavaScript cannot test. */
const RTL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}]/u;

/**
 * RFC 3454's BiDi rules (section 6) as Python's nameprep applies them to
 * a mapped label: with a right-to-left character (RandALCat) in it, no
 * left-to-right one (LCat, requirement 2), and a right-to-left character
 * first and last (requirement 3). JavaScript cannot test bidi classes:
 * RandALCat is approximated by the letters and punctuation of
 * right-to-left scripts (not their marks or digits), LCat by the other letters.
 */
function bidiViolation(label: string): string | undefined {
  const chars = [...label];
  const randAL = chars.map((ch) => RTL.test(ch) && !/[\p{M}\p{N}]/u.test(ch));
  if (!randAL.includes(true)) return undefined;
  if (chars.some((ch) => /\p{L}/u.test(ch) && !RTL.test(ch))) return "Violation of BIDI requirement 2";
  if (!randAL[0] || !randAL[randAL.length - 1]) return "Violation of BIDI requirement 3";
  return undefined;
}

/** Why nameprep would refuse `label`, in the words Python uses where they can be told. */
function refusal(label: string): string {
  const chars = [...label];
  const bad = chars.find((ch) => !DEVIATIONS.has(ch) && !isAscii(ch) && uts46Label(ch) === "");
  if (bad !== undefined) return `Invalid character ${reprChar(bad)}`;
  if (chars.some((ch) => RTL.test(ch))) {
    if (chars.some((ch) => /\p{L}/u.test(ch) && !RTL.test(ch))) return "Violation of BIDI requirement 2";
    return "Violation of BIDI requirement 3";
  }
  return `label '${label}' cannot be encoded`;
}

/**
 * `name.encode("idna")` as Python 3.11 does it, as a string of ASCII
 * characters. Throws RangeError (Python's UnicodeError) with CPython's
 * message, e.g. `encoding with 'idna' codec failed (UnicodeError: label
 * empty or too long)`.
 */
/**
 * The codec's check of an all-ASCII name: every label but the last must
 * be 1 to 63 characters, the last at most 63 (it may be empty: a trailing
 * dot). Scans in place: every lookup passes here.
 */
function checkAsciiLabels(name: string): void {
  let start = 0;
  for (let dot = name.indexOf("."); dot !== -1; dot = name.indexOf(".", start)) {
    const length = dot - start;
    if (length === 0 || length > MAX_LABEL) throw codecError("label empty or too long");
    start = dot + 1;
  }
  if (name.length - start > MAX_LABEL) throw codecError("label too long");
}

export function encodeIdna(name: string): string {
  if (name === "") return "";
  if (isAscii(name)) {
    checkAsciiLabels(name);
    return name;
  }
  const labels = name.split(DOTS);
  const trailingDot = labels.length > 0 && labels[labels.length - 1] === "";
  if (trailingDot) labels.pop();
  return labels.map(toAsciiLabel).join(".") + (trailingDot ? "." : "");
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * glibc's __idna_to_dns_encoding (AI_IDN) over a C string, given as
 * latin1 text (one character a byte, as Python's bytes reach glibc): the
 * bytes are read as UTF-8 (the C.UTF-8 locale) and encoded by UTS #46;
 * "" when that fails (glibc's EAI_NONAME at the name check), undefined
 * when the bytes are no UTF-8 (EAI_IDN_ENCODE).
 */
export function idnaToDnsEncoding(cString: string): string | undefined {
  let text: string;
  try {
    text = UTF8.decode(Buffer.from(cString, "latin1"));
  } catch {
    return undefined;
  }
  return domainToASCII(text);
}

/**
 * A name's A-labels (`xn--...`) decoded to Unicode, as glibc's
 * __idna_from_dns_encoding does for AI_CANONIDN and NI_IDN; undefined when
 * a label does not decode (glibc then keeps the ASCII name).
 */
export function decodeIdnaName(name: string): string | undefined {
  const labels = name.split(".").map((label) => {
    if (!/^xn--/i.test(label)) return label;
    const decoded = domainToUnicode(label);
    return decoded === "" || decoded === label.toLowerCase() ? undefined : decoded;
  });
  return labels.includes(undefined) ? undefined : labels.join(".");
}
