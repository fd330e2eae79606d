/**
 * The file named by the HOSTALIASES environment variable, read as glibc
 * 2.36's res_hostalias (resolv/res_query.c, __res_context_hostalias)
 * reads it: lines of `ALIAS NAME`, the first line whose alias is the name
 * looked up (compared as domain names: case-insensitively, a trailing dot
 * ignored) gives the name queried instead. res_search asks it only for a
 * name without any dot, and queries the name it gives as it is, without
 * the search list.
 */
import { isSpace } from "../inet.js";
import { foldCase } from "./lines.js";

/**
 * The aliases of a HOSTALIASES file: the folded alias of each line glibc
 * reaches, first line first, and the name it stands for; "" when glibc
 * stops at that line without an answer (the alias alone on its line).
 */
export type HostAliases = ReadonlyMap<string, string>;

/** How an alias and a name looked up compare: ns_samename's canonical form. */
export function aliasKey(name: string): string {
  return foldCase(name.endsWith(".") && !name.endsWith("\\.") ? name.slice(0, -1) : name);
}

/**
 * Parses a HOSTALIASES file. glibc reads it with fgets: a line is cut at
 * its first whitespace character into the alias; a line with none (the
 * last line, without a newline) ends the reading for every name. The name
 * is the next word after the whitespace; an alias with nothing after it
 * ends the reading for that alias with no answer. Never throws.
 */
export function parseHostAliases(text: string): HostAliases {
  const aliases = new Map<string, string>();
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    let end = 0;
    while (end < line.length && !isSpace(line.charCodeAt(end))) end++;
    if (end === line.length) break;
    const key = aliasKey(line.slice(0, end));
    // glibc skips the whitespace after the one that ended the alias, then takes one word.
    let start = end + 1;
    while (start < line.length && isSpace(line.charCodeAt(start))) start++;
    let stop = start;
    while (stop < line.length && !isSpace(line.charCodeAt(stop))) stop++;
    if (!aliases.has(key)) aliases.set(key, line.slice(start, stop));
  }
  return aliases;
}
