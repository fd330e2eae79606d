/**
 * /etc/nsswitch.conf, read as glibc 2.36's nss_database.c and
 * nss_action_parse.c read it. Only the `hosts` database is kept: it is the
 * one whose sources this library follows.
 */
import type { FileFailure } from "./failure.js";
import { cString, isSpace } from "../inet.js";
import { skipSpace } from "./lines.js";

/** What a source of an nsswitch database can report. */
export type NssStatus = "success" | "notfound" | "unavail" | "tryagain";

/** What the lookup does next after a source reports a status (`[NOTFOUND=return]`). */
export type NssAction = "return" | "continue" | "merge";

/** One source of an nsswitch database with its action for every status. */
export interface NssSource {
  /** e.g. "files", "dns", "mdns4_minimal". */
  name: string;
  /** glibc's defaults: return on success, continue otherwise, changed by `[...]` items. */
  actions: Record<NssStatus, NssAction>;
}

/** Sources for one nsswitch database, in order. */
export interface NsswitchConf {
  /** e.g. ["files", "dns"] for `hosts: files dns`. Unknown sources are kept. */
  hosts: string[];
  /** The same sources with their actions. */
  hostsSources: NssSource[];
  /**
   * Set when glibc would reject the whole file (a malformed `[...]` item on
   * a known database's line); glibc then fails every lookup with EINVAL.
   */
  error?: string;
  /** The errno of that failure when it is not EINVAL (EISDIR: nsswitch.conf is a directory). */
  errno?: number;
}

/** The databases glibc knows (its databases.def); lines for others are ignored. */
const DATABASES: ReadonlySet<string> = new Set([
  "aliases", "ethers", "group", "group_compat", "gshadow", "hosts", "initgroups", "netgroup", "networks",
  "passwd", "passwd_compat", "protocols", "publickey", "rpc", "services", "shadow", "shadow_compat",
]);

/** glibc ≥ 2.33's default for `hosts` when the file or the line is missing (before 2.33 it was `dns [!UNAVAIL=return] files`). */
const DEFAULT_HOSTS = "files dns";

const STATUSES: ReadonlyMap<string, NssStatus> = new Map([
  ["success", "success"], ["notfound", "notfound"], ["unavail", "unavail"], ["tryagain", "tryagain"],
]);
const ACTIONS: ReadonlyMap<string, NssAction> = new Map([
  ["return", "return"], ["continue", "continue"], ["merge", "merge"],
]);

/**
 * Parses nsswitch.conf text (pass `""` for a missing file). Never throws.
 * The rules, all glibc 2.36's:
 *
 * - `database: sources...`; the colon may be missing (`hosts files dns`),
 *   leading whitespace is allowed, database names are case-sensitive, and
 *   the last line for a database wins. There are no comments inside a
 *   line: in `hosts: files # dns` the sources are `files`, `#` and `dns`
 *   (a line starting with `#` is skipped only because `#` is no database).
 * - A source takes `[STATUS=action ...]` items (case-insensitive, `!`
 *   negates: every other status gets the action); unspecified statuses
 *   continue, except success, which returns. A `[` where a source name
 *   should be ends the list silently: `files [NOTFOUND=return] [x] dns` is
 *   just `files`.
 * - A malformed item on any known database's line (`[NOTFOUND=maybe]`,
 *   `[]`, a missing `]`) makes glibc reject the whole file, and every
 *   lookup then fails with EINVAL: `error` says why and `hosts` is empty.
 * - No `hosts` line means `files dns`. An empty `hosts:` line gives no
 *   sources (glibc 2.36 crashes on it; a lookup here finds nothing).
 */
export function parseNsswitch(text: string): NsswitchConf {
  let hosts: string | undefined;
  // Lines keep their newline, as getline returns them: "hosts\n" is a
  // hosts line with no sources, while a last line "hosts" is a syntax error.
  for (const line of (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map(cString)) {
    const start = skipSpace(line, 0);
    let i = start;
    while (i < line.length && !isSpace(line.charCodeAt(i)) && line[i] !== ":") i++;
    if (i === line.length || i === start) continue;
    const database = line.slice(start, i);
    while (i < line.length && (isSpace(line.charCodeAt(i)) || line[i] === ":")) i++;
    if (!DATABASES.has(database)) continue;
    const sources = parseSources(line.slice(i));
    if (typeof sources === "string") {
      return { hosts: [], hostsSources: [], error: `nsswitch.conf: ${database}: ${sources}` };
    }
    if (database === "hosts") hosts = line.slice(i);
  }
  const hostsSources = parseSources(hosts ?? DEFAULT_HOSTS) as NssSource[];
  return { hosts: hostsSources.map((source) => source.name), hostsSources };
}

/**
 * nsswitch.conf that exists but could not be read for `failure` (a
 * directory: EISDIR): glibc fails every lookup with that errno. An
 * unreadable file (EACCES) is not one: glibc then uses its defaults.
 */
export function failedNsswitch(failure: FileFailure): NsswitchConf {
  return { hosts: [], hostsSources: [], error: `nsswitch.conf: ${failure.code}`, errno: failure.errno };
}

/** glibc's nss_action_parse: the sources of one line, or an error message. */
function parseSources(line: string): NssSource[] | string {
  const sources: NssSource[] = [];
  let i = 0;
  for (;;) {
    i = skipSpace(line, i);
    const nameStart = i;
    while (i < line.length && !isSpace(line.charCodeAt(i)) && line[i] !== "[") i++;
    if (i === nameStart) return sources;
    const source: NssSource = {
      name: line.slice(nameStart, i),
      actions: { success: "return", notfound: "continue", unavail: "continue", tryagain: "continue" },
    };
    i = skipSpace(line, i);
    if (line[i] === "[") {
      i = skipSpace(line, i + 1);
      do {
        const negate = line[i] === "!";
        if (negate) i++;
        const statusText = readToken(line, i);
        const status = STATUSES.get(statusText.toLowerCase());
        if (status === undefined) return `unknown status "${statusText}"`;
        i = skipSpace(line, i + statusText.length);
        if (line[i] !== "=") return `"=" expected after ${statusText}`;
        i = skipSpace(line, i + 1);
        const actionText = readToken(line, i);
        const action = ACTIONS.get(actionText.toLowerCase());
        if (action === undefined) return `unknown action "${actionText}"`;
        i = skipSpace(line, i + actionText.length);
        if (negate) {
          for (const other of STATUSES.values()) if (other !== status) source.actions[other] = action;
        } else {
          source.actions[status] = action;
        }
      } while (line[i] !== "]");
      i++;
    }
    sources.push(source);
  }
}

/** A status or action word: up to whitespace, `=`, `]` or the end. */
function readToken(line: string, from: number): string {
  let i = from;
  while (i < line.length && !isSpace(line.charCodeAt(i)) && line[i] !== "=" && line[i] !== "]") i++;
  return line.slice(from, i);
}
