/**
 * /etc/host.conf as glibc 2.36 reads it (resolv/res_hconf.c): `multi`
 * (the files source returns every matching hosts line, not only the
 * first), `reorder` (IPv4 answers put an address on a local subnet first)
 * and `trim` (domains cut off the names gethostbyaddr returns), plus the
 * RESOLV_MULTI, RESOLV_REORDER, RESOLV_ADD_TRIM_DOMAINS and
 * RESOLV_OVERRIDE_TRIM_DOMAINS environment variables. `order` and unknown
 * commands are ignored, as glibc ignores them (it only prints a warning).
 */

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
