/**
 * The `files` source of the hosts database: glibc's nss_files lookups over
 * the parsed hosts table, with their quirks: the first matching line wins
 * unless host.conf says `multi on`, IPv4 lookups see `::1` lines as
 * 127.0.0.1 and IPv4-mapped lines as IPv4, and with `multi` the canonical
 * names of later lines become aliases.
 */
import type { HostLine, HostsTable } from "../files/hosts.js";
import { formatAddress } from "../inet.js";
import type { FileFailure } from "../files/failure.js";
import { HOST_NOT_FOUND, NETDB_INTERNAL, type AddrTuple, type HostEnt, type NssOutcome } from "./hostent.js";
import type { HostsModule } from "./sources.js";

/** The line's address bytes as an `af` lookup sees them, or undefined when such a lookup skips the line. */
function addressFor(entry: HostLine, family: 4 | 6): Uint8Array | undefined {
  if (family === 6) return entry.family === 6 ? entry.bytes : undefined;
  return entry.inet4Bytes;
}

const notFound = <T>(): NssOutcome<T> => ({ status: "notfound", herrno: HOST_NOT_FOUND });

/**
 * _nss_files_gethostbyname4_r (getaddrinfo with AF_UNSPEC): every family,
 * the first matching line, or all of them with `multi`. The first tuple
 * carries the first line's canonical name.
 */
export function filesByName4(hosts: HostsTable, name: string, multi: boolean): NssOutcome<AddrTuple[]> {
  const matches = hosts.byName(name);
  if (matches.length === 0) return notFound();
  const used = multi ? matches : matches.slice(0, 1);
  const tuples = used.map((entry, i): AddrTuple => ({
    ...(i === 0 ? { name: entry.canonical } : {}),
    family: entry.family,
    address: entry.bytes,
    scopeId: 0,
  }));
  // With multi the file is read to its end, and reaching it stores HOST_NOT_FOUND.
  return { status: "success", value: tuples, ...(multi ? { herrno: HOST_NOT_FOUND } : {}) };
}

/**
 * _nss_files_gethostbyname3_r (gethostbyname, gethostbyname2, and
 * getaddrinfo for one family): the first line with an address of `family`,
 * merged with the later ones under `multi`.
 */
export function filesByName3(hosts: HostsTable, name: string, family: 4 | 6, multi: boolean): NssOutcome<HostEnt> {
  // A hit on the hosts file is a hot path: one walk over the matching lines, no object per line.
  const matches = hosts.byName(name);
  let host: HostEnt | undefined;
  for (const entry of matches) {
    const address = addressFor(entry, family);
    if (address === undefined) continue;
    if (host === undefined) {
      host = { name: entry.canonical, aliases: entry.aliases.slice(), family, addresses: [address] };
      if (!multi) return { status: "success", value: host, canon: host.name };
      continue;
    }
    host.addresses.push(address);
    host.aliases.push(...entry.aliases);
    if (entry.canonical !== host.name) host.aliases.push(entry.canonical);
  }
  if (host === undefined) return notFound();
  return { status: "success", value: host, canon: host.name, herrno: HOST_NOT_FOUND };
}

/**
 * _nss_files_gethostbyaddr_r: the first line whose address (as a `family`
 * lookup sees it) is `address`.
 */
export function filesByAddr(hosts: HostsTable, address: Uint8Array, family: 4 | 6): NssOutcome<HostEnt> {
  const entry = hosts.byAddress(formatAddress(address))[0];
  if (entry === undefined) return notFound();
  return { status: "success", value: { name: entry.canonical, aliases: [...entry.aliases], family, addresses: [address] } };
}

/**
 * A module whose file is there but gives no lines (nss_files with such a
 * hosts file, nss_dns with such a resolv.conf): every lookup is UNAVAIL
 * with the errno. A failed open (EACCES) leaves h_errno alone; a failed
 * read (EISDIR for a directory, and netdb's EINVAL and EFBIG, see
 * src/files/source.ts) sets NETDB_INTERNAL, which getaddrinfo reports as
 * EAI_SYSTEM with that errno.
 */
export function failedModule(failure: FileFailure): HostsModule {
  const failed: NssOutcome<never> = failure.code === "EACCES" || failure.code === "EPERM"
    ? { status: "unavail", fileErrno: failure.errno }
    : { status: "unavail", herrno: NETDB_INTERNAL, fileErrno: failure.errno };
  return {
    byName4: (_name, sink) => sink.answered(failed),
    byName3: (_name, _family, _checkName, _buflen, sink) => sink.answered(failed),
    byAddr: (_address, _family, sink) => sink.answered(failed),
  };
}

/** The nss_files module over one hosts table. */
export function filesModule(hosts: HostsTable, multi: boolean): HostsModule {
  if (hosts.failure !== undefined) return failedModule(hosts.failure);
  // The table's lookups do not throw: each answers before it returns.
  return {
    byName4: (name, sink) => sink.answered(filesByName4(hosts, name, multi)),
    byName3: (name, family, _checkName, _buflen, sink) => sink.answered(filesByName3(hosts, name, family, multi)),
    byAddr: (address, family, sink) => sink.answered(filesByAddr(hosts, address, family)),
  };
}
