/**
 * The hosts file as c-ares 1.34 (node:dns's resolver) holds it, for
 * `reverse()`: lines that share an address or a name are merged into one
 * entry, and node:dns reports an address's entry as its names after the
 * first (the hostent's aliases).
 *
 * c-ares' rules (ares_hosts_file.c): a line's names must be made of
 * `[A-Za-z0-9._/*-]` (others are skipped; a line left without names is
 * dropped); a line whose address is already known adds its new names to
 * that entry; else a line with a known name (ignoring case) adds its
 * address and new names to that name's entry; else it starts an entry.
 * Names repeated within one line are kept (c-ares' duplicate check looks
 * at the wrong list).
 */
import type { HostsTable } from "../files/hosts.js";

/** One merged entry: its names, in the order c-ares added them. */
interface CaresEntry {
  names: string[];
}

const HOSTNAME = /^[A-Za-z0-9._/*-]+$/;

/** The entries by address, built once per parsed table. */
const byTable = new WeakMap<HostsTable, Map<string, CaresEntry>>();

function build(hosts: HostsTable): Map<string, CaresEntry> {
  const byAddress = new Map<string, CaresEntry>();
  const byName = new Map<string, CaresEntry>();
  for (const line of hosts.entries) {
    const names = [line.canonical, ...line.aliases].filter((name) => HOSTNAME.test(name));
    if (names.length === 0) continue;
    let entry = byAddress.get(line.address);
    if (entry === undefined) {
      entry = names.map((name) => byName.get(name.toLowerCase())).find((e) => e !== undefined);
      entry ??= { names: [] };
      byAddress.set(line.address, entry);
    }
    const known = entry.names.length > 0;
    for (const name of names) {
      const key = name.toLowerCase();
      if (known && byName.has(key)) continue;
      entry.names.push(name);
    }
    for (const name of names) {
      const key = name.toLowerCase();
      if (!byName.has(key)) byName.set(key, entry);
    }
  }
  return byAddress;
}

/**
 * What node:dns's `reverse(address)` answers from the hosts file: the
 * names after the first of the address's merged entry (possibly none), or
 * undefined when the file does not know the address (DNS is asked then).
 * `address` is in canonical (inet_ntop) text.
 */
export function caresReverseNames(hosts: HostsTable, address: string): string[] | undefined {
  let entries = byTable.get(hosts);
  if (entries === undefined) {
    entries = build(hosts);
    byTable.set(hosts, entries);
  }
  return entries.get(address)?.names.slice(1);
}
