/**
 * Names and numbers of DNS record types, classes and response codes, as
 * dns-packet and dig spell them; unknown values as RFC 3597's `TYPE123`
 * and `CLASS7`.
 */

const TYPES: ReadonlyMap<string, number> = new Map([
  ["A", 1], ["NS", 2], ["CNAME", 5], ["SOA", 6], ["NULL", 10], ["PTR", 12], ["HINFO", 13], ["MX", 15],
  ["TXT", 16], ["RP", 17], ["AAAA", 28], ["SRV", 33], ["NAPTR", 35], ["DNAME", 39], ["OPT", 41],
  ["DS", 43], ["SSHFP", 44], ["RRSIG", 46], ["NSEC", 47], ["DNSKEY", 48], ["NSEC3", 50], ["TLSA", 52],
  ["SVCB", 64], ["HTTPS", 65], ["SPF", 99], ["ANY", 255], ["CAA", 257],
]);
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([...TYPES].map(([name, code]) => [code, name]));

const CLASSES: ReadonlyMap<string, number> = new Map([["IN", 1], ["CH", 3], ["HS", 4], ["NONE", 254], ["ANY", 255]]);
const CLASS_NAMES: ReadonlyMap<number, string> = new Map([...CLASSES].map(([name, code]) => [code, name]));

const RCODE_NAMES = [
  "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
];

/** Record type name for a number: `"AAAA"`, or `"TYPE65280"`. */
export function typeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** Record type number for a name (case-insensitive, `TYPEn` accepted); undefined if unknown. */
export function typeCode(name: string): number | undefined {
  const upper = name.toUpperCase();
  return TYPES.get(upper) ?? generic(upper, "TYPE");
}

/** Class name for a number: `"IN"`, or `"CLASS7"`. */
export function className(code: number): string {
  return CLASS_NAMES.get(code) ?? `CLASS${code}`;
}

/** Class number for a name (case-insensitive, `CLASSn` accepted); undefined if unknown. */
export function classCode(name: string): number | undefined {
  const upper = name.toUpperCase();
  return CLASSES.get(upper) ?? generic(upper, "CLASS");
}

/** RCODE name for the 4-bit header code: `"NXDOMAIN"`, or `"RCODE11"`. */
export function rcodeName(code: number): string {
  return RCODE_NAMES[code] ?? `RCODE${code}`;
}

/** RCODE number for a name; undefined if unknown. */
export function rcodeCode(name: string): number | undefined {
  const upper = name.toUpperCase();
  const index = RCODE_NAMES.indexOf(upper);
  return index !== -1 ? index : generic(upper, "RCODE");
}

function generic(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  if (!/^\d{1,5}$/.test(digits)) return undefined;
  const n = Number(digits);
  return n <= 0xffff ? n : undefined;
}
