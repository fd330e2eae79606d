/**
 * /etc/host.conf as glibc 2.36 reads it (resolv/res_hconf.c): `multi`
 * (the files source returns every matching hosts line, not only the
 * first), `reorder` (IPv4 answers put an address on a local subnet first)
 * and `trim` (domains cut off the names gethostbyaddr returns), plus the
 * RESOLV_MULTI, RESOLV_REORDER, RESOLV_ADD_TRIM_DOMAINS and
 * RESOLV_OVERRIDE_TRIM_DOMAINS environment variables. `order` and unknown
 * commands are ignored, as glibc ignores them (it only prints a warning).
 */
import type { InterfaceAddress } from "./network.js";
import type { HostEnt } from "./hostent.js";

/** The host.conf settings lookups use. */
export interface HostConf {
  multi: boolean;
  reorder: boolean;
  trimDomains: string[];
}

/** glibc's TRIMDOMAINS_MAX. */
const MAX_TRIM_DOMAINS = 4;

const SPACE = /[ \t\n\v\f\r]/;

function skipSpace(s: string, i: number): number {
  while (i < s.length && SPACE.test(s[i]!)) i++;
  return i;
}

/** A word ends at whitespace, a comma or a comment. */
function skipWord(s: string, i: number): number {
  while (i < s.length && !SPACE.test(s[i]!) && s[i] !== "#" && s[i] !== ",") i++;
  return i;
}

/** `on` or `off` (any case, only the first letters are read), or undefined for anything else. */
function readBool(s: string, i: number): boolean | undefined {
  const word = s.slice(i).toLowerCase();
  if (word.startsWith("on")) return true;
  if (word.startsWith("off")) return false;
  return undefined;
}

/** A trim list: domains separated by `,`, `;` or `:`; appended to `out` up to glibc's limit. */
function readTrimList(s: string, i: number, out: string[]): void {
  for (;;) {
    const start = i;
    i = skipWord(s, i);
    if (out.length >= MAX_TRIM_DOMAINS) return;
    out.push(s.slice(start, i));
    i = skipSpace(s, i);
    if (s[i] !== "," && s[i] !== ";" && s[i] !== ":") return;
    i = skipSpace(s, i + 1);
    if (i >= s.length || s[i] === "#") return;
  }
}

/**
 * Parses host.conf text (undefined for a missing file) and applies the
 * environment variables glibc reads.
 */
export function parseHostConf(text: string | undefined, env: Readonly<Record<string, string | undefined>> = {}): HostConf {
  const conf: HostConf = { multi: false, reorder: false, trimDomains: [] };
  const setBool = (key: "multi" | "reorder", value: boolean | undefined): void => {
    if (value !== undefined) conf[key] = value;
  };
  for (const line of (text ?? "").split("\n")) {
    const start = skipSpace(line, 0);
    if (start >= line.length || line[start] === "#") continue;
    const end = skipWord(line, start);
    const command = line.slice(start, end).toLowerCase();
    const args = skipSpace(line, end);
    if (command === "multi" || command === "reorder") setBool(command, readBool(line, args));
    else if (command === "trim") readTrimList(line, args, conf.trimDomains);
  }
  if (env.RESOLV_MULTI !== undefined) setBool("multi", readBool(env.RESOLV_MULTI, 0));
  if (env.RESOLV_REORDER !== undefined) setBool("reorder", readBool(env.RESOLV_REORDER, 0));
  if (env.RESOLV_ADD_TRIM_DOMAINS !== undefined) readTrimList(env.RESOLV_ADD_TRIM_DOMAINS, 0, conf.trimDomains);
  if (env.RESOLV_OVERRIDE_TRIM_DOMAINS !== undefined) {
    conf.trimDomains = [];
    readTrimList(env.RESOLV_OVERRIDE_TRIM_DOMAINS, 0, conf.trimDomains);
  }
  return conf;
}

/** _res_hconf_trim_domain: the name without the first trim domain it ends with (ASCII case ignored). */
function trimName(name: string, domains: readonly string[]): string {
  for (const domain of domains) {
    if (name.length > domain.length && name.slice(name.length - domain.length).toLowerCase() === domain.toLowerCase()) {
      return name.slice(0, name.length - domain.length);
    }
  }
  return name;
}

/** _res_hconf_trim_domains: gethostbyaddr's answer with the trim domains cut off its names. */
export function trimDomains(host: HostEnt, conf: HostConf): HostEnt {
  if (conf.trimDomains.length === 0) return host;
  return { ...host, name: trimName(host.name, conf.trimDomains), aliases: host.aliases.map((a) => trimName(a, conf.trimDomains)) };
}

/**
 * _res_hconf_reorder_addrs: with `reorder`, an IPv4 answer's first address
 * on the subnet of a local interface swaps places with the first address.
 * The interfaces are asked for only then: listing them is not free.
 */
export function reorderAddresses(host: HostEnt, conf: HostConf, interfaces: () => readonly InterfaceAddress[]): HostEnt {
  if (!conf.reorder || host.family !== 4) return host;
  const nets = interfaces().filter((i) => i.family === 4).map((i) => {
    const address = i.address.split(".").reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
    const mask = i.prefixlen === 0 ? 0 : (0xffffffff << (32 - i.prefixlen)) >>> 0;
    return { address, mask };
  });
  const index = host.addresses.findIndex((bytes) => {
    const value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    return nets.some((net) => (((value ^ net.address) & net.mask) >>> 0) === 0);
  });
  if (index <= 0) return host;
  const addresses = [...host.addresses];
  [addresses[0], addresses[index]] = [addresses[index]!, addresses[0]!];
  return { ...host, addresses };
}
