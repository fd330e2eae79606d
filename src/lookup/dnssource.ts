/**
 * The `dns` source of the hosts database: glibc 2.36's nss_dns
 * (resolv/nss_dns/dns-host.c of the release branch Debian 12 ships) over
 * the DNS client, reporting NSS status and h_errno as nss_dns does.
 */
import { HOST_NOT_FOUND, NO_DATA, NO_RECOVERY, TRY_AGAIN } from "../constants.js";
import { readAddrInfoAnswer, readHostAnswer, readPtrAnswer, type AddrInfoAnswer } from "../dns/answer.js";
import type { LookupOptions, SearchReader, SearchResult } from "../dns/client.js";
import { DnsLookupError, InvalidNameError, type DnsLookupStatus } from "../dns/errors.js";
import { checkWireName, isHostName, nameLabels } from "../dns/name.js";
import { reverseName } from "../dns/reverse.js";
import { serverLabel } from "../dns/server.js";
import { NETDB_INTERNAL, NETDB_SUCCESS, type AddrTuple, type HostEnt, type NssOutcome } from "./hostent.js";
import type { ResolvConf } from "../files/resolvconf.js";
import { addrsort } from "./addrsort.js";
import type { HostsModule, NssSink } from "./sources.js";

/** The part of the DNS client nss_dns uses: res_search, res_query (their callback forms) and the resolver state (for its sortlist). */
export interface DnsQuerier {
  searchTo<S>(name: string, types: string[], opts: LookupOptions, reader: SearchReader<S>, to: S): void;
  queryTo<S>(name: string, types: string[], opts: LookupOptions, reader: SearchReader<S>, to: S): void;
  conf(): ResolvConf;
}

/** The types nss_dns asks, the same arrays for every lookup (the client does not change them). */
const A_AAAA = ["A", "AAAA"];
const TYPES_OF: Record<4 | 6, string[]> = { 4: ["A"], 6: ["AAAA"] };
const PTR = ["PTR"];

const H_ERRNO: Record<DnsLookupStatus, number> = {
  HOST_NOT_FOUND,
  NO_DATA,
  TRY_AGAIN,
  NO_RECOVERY,
};

/**
 * glibc's res_hnok for a name as the caller wrote it
 * (resolv/res-name-checking.c): printable ASCII, put on the wire as
 * ns_name_pton reads it (so `\065bc` is the label `Abc`, and the length
 * limits apply), then every label made of letters, digits, `-` and `_`,
 * the first not starting with `-`.
 */
export function isHostNameText(name: string): boolean {
  try {
    if (!name.includes("\\")) {
      if (!isHostName(name)) return false;
      checkWireName(name);
      return true;
    }
    if (!/^[\x21-\x7e]*$/.test(name)) return false;
    const labels = nameLabels(name);
    if (labels[0]?.[0] === 0x2d) return false;
    return labels.every((label) => label.every(isHostOctet));
  } catch (err) {
    if (err instanceof InvalidNameError) return false;
    throw err;
  }
}

/** A letter, digit, `-` or `_`: binary_hnok's octets. */
function isHostOctet(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
}

/** check_name's verdict on a name that is no host name: no query, NOTFOUND. */
const notHostName = <T>(): NssOutcome<T> => ({ status: "notfound", herrno: HOST_NOT_FOUND });

/**
 * What nss_dns reports when res_search/res_query fails: by name, UNAVAIL
 * when no server could be reached (ECONNREFUSED) or none answered in time
 * (ETIMEDOUT), else NOTFOUND; by address always NOTFOUND, because
 * gethostbyaddr2_r puts the caller's errno back before it tests for
 * ECONNREFUSED. h_errno is the resolver's, which it also left in the
 * thread's h_errno.
 */
function searchFailure<T>(err: unknown, byAddress: boolean): NssOutcome<T> {
  if (!(err instanceof DnsLookupError)) throw err;
  const herrno = H_ERRNO[err.status];
  const unavailable = !byAddress && (err.errno === "ECONNREFUSED" || err.errno === "ETIMEDOUT");
  const outcome: NssOutcome<T> = { status: unavailable ? "unavail" : "notfound", herrno, resolverHErrno: herrno, servers: err.servers };
  if (err.errno !== undefined) outcome.errno = err.errno;
  return outcome;
}

/** The servers that gave the answers, for error context. */
function serversOf(found: SearchResult): string[] {
  return found.results.map((r) => serverLabel(r.server));
}

/** IPv4-mapped and IPv4-compatible (but not ::1) addresses are looked up as IPv4, as nss_dns does. */
function unmapped(address: Uint8Array): Uint8Array {
  if (address.length !== 16 || address.subarray(0, 10).some((b) => b !== 0)) return address;
  const mapped = address[10] === 0xff && address[11] === 0xff;
  const compatible = address[10] === 0 && address[11] === 0
    && !(address[12] === 0 && address[13] === 0 && address[14] === 0 && address[15] === 1);
  return mapped || compatible ? address.slice(12) : address;
}

/**
 * res_search of the empty name: glibc cannot build a query for "" (its
 * length check underflows) nor for ".domain", so it fails with NO_RECOVERY
 * without sending anything.
 */
const emptyName = <T>(): NssOutcome<T> => ({ status: "notfound", herrno: NO_RECOVERY, resolverHErrno: NO_RECOVERY });

/** gethostbyname4_r's tuples: one per address, the canonical name on the first. */
function addrTuples(answer: AddrInfoAnswer): AddrTuple[] {
  return answer.addresses.map((a, i): AddrTuple => {
    const tuple: AddrTuple = { family: a.family, address: a.address, scopeId: 0 };
    if (i === 0 && answer.canonical !== undefined) tuple.name = answer.canonical;
    return tuple;
  });
}

/** gethostbyname4_r's outcome for the A and AAAA answers. */
function addrInfoOutcome(found: SearchResult): NssOutcome<AddrTuple[]> {
  const answer = readAddrInfoAnswer(found.results);
  const servers = serversOf(found);
  const tuples = addrTuples(answer);
  // h_errno is what the last answer read said: the AAAA answer, when
  // there is one and the A answer did not fail outright.
  const lastFamily = found.results.length > 1 && answer.status !== "UNAVAIL" ? 6 : 4;
  const lastFound = tuples.some((t) => t.family === lastFamily);
  const herrno = answer.status === "UNAVAIL" ? NO_RECOVERY : lastFound ? NETDB_SUCCESS : HOST_NOT_FOUND;
  if (answer.status === "SUCCESS") return { status: "success", value: tuples, herrno, resolverHErrno: HOST_NOT_FOUND, servers };
  return { status: answer.status === "UNAVAIL" ? "unavail" : "notfound", herrno, resolverHErrno: HOST_NOT_FOUND, servers };
}

/**
 * gethostbyname3_r's outcome for the answer of one family; IPv4 addresses
 * in `sortlist` order; ERANGE when it does not fit `buflen` octets.
 */
function hostOutcome(found: SearchResult, family: 4 | 6, sortlist: ResolvConf["sortlist"], buflen = Infinity): NssOutcome<HostEnt> {
  const servers = serversOf(found);
  const answer = readHostAnswer(found.results[0]!);
  if (answer.error === "HOST_NOT_FOUND") return { status: "notfound", herrno: HOST_NOT_FOUND, resolverHErrno: HOST_NOT_FOUND, servers };
  if (answer.error === "NO_RECOVERY") return { status: "tryagain", herrno: NO_RECOVERY, resolverHErrno: HOST_NOT_FOUND, servers };
  if (answer.error === "UNAVAIL") return { status: "unavail", herrno: NO_RECOVERY, resolverHErrno: HOST_NOT_FOUND, servers, errnoLeft: true };
  if (answer.octets > buflen) return { status: "tryagain", herrno: NETDB_INTERNAL, errno: "ERANGE", resolverHErrno: HOST_NOT_FOUND, servers };
  const addresses = answer.addresses;
  return {
    status: "success",
    value: { name: answer.name, aliases: answer.aliases, family, addresses: sortlist === undefined ? addresses : addrsort(addresses, sortlist) },
    canon: answer.name,
    herrno: NETDB_SUCCESS,
    resolverHErrno: HOST_NOT_FOUND,
    servers,
  };
}


/**
 * How nss_dns reads what the DNS client reports about one lookup, for the
 * NssSink `to` of the caller: the outcome for the answer, or for a failure
 * (see {@link searchFailure}); other failures (an abort, a bug) stay
 * failures. One reader serves every lookup of its kind.
 */
abstract class DnsAnswer<T, S = NssSink<T>> implements SearchReader<S> {
  /** The outcome for the client's answer. */
  protected abstract outcome(found: SearchResult, to: S): NssOutcome<T>;

  /** Where the outcome goes: `to` itself, unless the reader's `to` holds more. */
  protected sinkOf(to: S): NssSink<T> {
    return to as NssSink<T>;
  }

  /** True for gethostbyaddr2_r, whose failures read differently. */
  protected get byAddress(): boolean {
    return false;
  }

  done(result: SearchResult, to: S): void {
    let outcome: NssOutcome<T>;
    try {
      outcome = this.outcome(result, to);
    } catch (err) {
      this.sinkOf(to).failed(err);
      return;
    }
    this.sinkOf(to).answered(outcome);
  }

  failed(error: unknown, to: S): void {
    let outcome: NssOutcome<T>;
    try {
      outcome = searchFailure(error, this.byAddress);
    } catch (err) {
      this.sinkOf(to).failed(err);
      return;
    }
    this.sinkOf(to).answered(outcome);
  }
}

/** gethostbyname4_r's A and AAAA search. */
class AddrInfoSearch extends DnsAnswer<AddrTuple[]> {
  protected outcome(found: SearchResult): NssOutcome<AddrTuple[]> {
    return addrInfoOutcome(found);
  }
}

const ADDR_INFO_SEARCH = new AddrInfoSearch();

/** gethostbyname3_r's search for one family, with the sortlist and the caller's buffer size it reads the answer with. */
class HostSearch extends DnsAnswer<HostEnt> {
  constructor(readonly family: 4 | 6, readonly sortlist: ResolvConf["sortlist"], readonly buflen: number | undefined) {
    super();
  }

  protected outcome(found: SearchResult): NssOutcome<HostEnt> {
    return hostOutcome(found, this.family, this.sortlist, this.buflen);
  }
}

/** What gethostbyaddr2_r's PTR query is about, and where its outcome goes. */
interface PtrAsked {
  sink: NssSink<HostEnt>;
  asked: Uint8Array;
  family: 4 | 6;
}

/** gethostbyaddr2_r's PTR query. */
class PtrQuery extends DnsAnswer<HostEnt, PtrAsked> {
  protected override get byAddress(): boolean {
    return true;
  }

  protected outcome(found: SearchResult, to: PtrAsked): NssOutcome<HostEnt> {
    return ptrOutcome(found, to.asked, to.family);
  }

  protected override sinkOf(to: PtrAsked): NssSink<HostEnt> {
    return to.sink;
  }
}

const PTR_QUERY = new PtrQuery();

/** gethostbyaddr2_r's outcome for the PTR answer about `asked`. */
function ptrOutcome(found: SearchResult, asked: Uint8Array, family: 4 | 6): NssOutcome<HostEnt> {
  const servers = serversOf(found);
  const answer = readPtrAnswer(found.results[0]!);
  if (answer.error !== undefined) return { status: answer.error === "UNAVAIL" ? "unavail" : "tryagain", herrno: NO_RECOVERY, servers };
  const af = asked.length === 4 ? 4 : family;
  return { status: "success", value: { name: answer.names[0]!, aliases: [], family: af, addresses: [asked] }, herrno: NETDB_SUCCESS, servers };
}

/**
 * The nss_dns module for one lookup call. Names that need no query are
 * answered at once; the others once the client has answered.
 */
export function dnsModule(client: DnsQuerier, opts: LookupOptions): HostsModule {
  /** The readers of byName3, by family and buffer size, each with the sortlist it was made under. */
  const hostSearches: Record<4 | 6, Map<number | undefined, HostSearch>> = { 4: new Map(), 6: new Map() };
  const hostSearch = (family: 4 | 6, buflen: number | undefined): HostSearch => {
    const { sortlist } = client.conf();
    const sorts = family === 4 && sortlist !== undefined && sortlist.length > 0 ? sortlist : undefined;
    let reader = hostSearches[family].get(buflen);
    if (reader === undefined || reader.sortlist !== sorts) {
      reader = new HostSearch(family, sorts, buflen);
      hostSearches[family].set(buflen, reader);
    }
    return reader;
  };
  return {
    byName4(name, sink) {
      if (!isHostNameText(name)) sink.answered(notHostName());
      else if (name === "") sink.answered(emptyName());
      else client.searchTo(name, A_AAAA, opts, ADDR_INFO_SEARCH, sink);
    },

    byName3(name, family, checkName, buflen, sink) {
      if (checkName && !isHostNameText(name)) sink.answered(notHostName());
      else if (name === "") sink.answered(emptyName());
      else client.searchTo(name, TYPES_OF[family], opts, hostSearch(family, buflen), sink);
    },

    byAddr(address, family, sink) {
      const asked = unmapped(address);
      client.queryTo(reverseName(asked), PTR, opts, PTR_QUERY, { sink, asked, family });
    },
  };
}
