/**
 * Reading answers the way glibc's nss_dns does (resolv/nss_dns/dns-host.c
 * of the 2.36 stable branch, which Debian 12 ships): which records count,
 * what becomes the canonical name and the aliases, and what a reply
 * without addresses means. Three readers, because glibc has three:
 *
 * - {@link readHostAnswer}: getanswer_r, behind gethostbyname(_ex) and
 *   gethostbyname2 (one type, A or AAAA).
 * - {@link readAddrInfoAnswer}: gaih_getanswer, behind getaddrinfo (A and
 *   AAAA answers together).
 * - {@link readPtrAnswer}: getanswer_ptr, behind gethostbyaddr.
 *
 * Common rules: only the answer section is read, in order. A CNAME record
 * moves the name being looked for to its target, whatever its owner (glibc
 * does not check CNAME owners, "based on historic precedent"); an address
 * or PTR record counts only if its owner is the name being looked for
 * (ASCII case ignored) and, for addresses, if its RDATA has the right
 * length. There is no chain-length limit and no loop detection: a loop just
 * never reaches an address. Names that are not host names (res_hnok) are
 * kept out of the result. The TTL is the smallest TTL of the CNAME records
 * and records of the asked type in the answer section (0 when there is no
 * result, as glibc does not cache negative answers). The records are
 * walked up to the header's ANCOUNT, as glibc's ns_rr_cursor walks them: a
 * record that did not read (the message is `cutShort` there) ends the
 * reading with NSS_STATUS_UNAVAIL, whatever was found before it — unless,
 * as for PTR, the reader had already returned.
 */
import type { QueryResult } from "./send.js";
import type { DnsMessage, ResourceRecord } from "./message.js";
import { isHostName, sameName } from "./name.js";

/** What gethostbyname(_ex) gets from one A or AAAA answer. */
export interface HostAnswer {
  /** h_name: the last host-name CNAME target, or the question name. */
  name: string;
  /** h_aliases: the question name and the CNAME targets before the last, in order. */
  aliases: string[];
  /** Addresses of the asked type owned by the end of the chain, in answer order: their RDATA, 4 or 16 octets. */
  addresses: Uint8Array[];
  ttl: number;
  /**
   * How much of the caller's buffer nss_dns fills with this result (see
   * {@link hostentOctets}); 0 on failure.
   */
  octets: number;
  /**
   * Set when glibc reports failure: `HOST_NOT_FOUND` for NXDOMAIN or a
   * question name that is not a host name (NSS_STATUS_NOTFOUND);
   * `NO_RECOVERY` when no address was found (NSS_STATUS_TRYAGAIN with
   * errno ENOENT); `UNAVAIL` (h_errno NO_RECOVERY) when a record the
   * header counts did not read, or the reply has not exactly one question.
   */
  error?: "HOST_NOT_FOUND" | "NO_RECOVERY" | "UNAVAIL";
}

/** True when the answer section holds fewer records than the header counts: glibc's cursor fails on the first missing one. */
function answersCut(message: DnsMessage): boolean {
  return message.answers.length < message.counts[1];
}

/**
 * glibc's getanswer_r for an A or AAAA answer. The alias list starts with
 * the question name (as the response spells it) and gets every CNAME
 * target that is a host name; the last entry becomes `name`, the others
 * `aliases`. So `www` → CNAME `hellfly.net.` gives name `hellfly.net`,
 * aliases `[www.hellfly.net]`.
 */
export function readHostAnswer(r: QueryResult): HostAnswer {
  const { message } = r;
  const qname = message.questions.length === 1 ? message.questions[0]!.name : r.question.name;
  if (message.questions.length !== 1) return hostFailure(qname, "UNAVAIL");
  if (message.rcode === "NXDOMAIN" || !isHostName(qname)) return hostFailure(qname, "HOST_NOT_FOUND");

  const type = r.question.type.toUpperCase();
  // The alias list as glibc builds it is `aliases` then `name`: the last host-name target so far.
  let name = qname;
  const aliases: string[] = [];
  // Room for every answer record, cut to the addresses found: one array of the right size, not a push-grown one.
  const addresses = new Array<Uint8Array>(message.answers.length);
  let found = 0;
  let ttl = Infinity;
  // gethostbyname3_context's buffer so far (see hostentOctets): each name stored, each address 4-aligned.
  let octets = Buffer.byteLength(qname) + 1;
  let expected = qname;
  for (const rr of message.answers) {
    if (rr.class !== "IN") continue;
    if (rr.type === "CNAME" || rr.type === type) ttl = Math.min(ttl, rr.ttl);
    if (rr.type === "CNAME") {
      expected = rr.data as string;
      if (isHostName(expected)) {
        aliases.push(name);
        name = expected;
        octets += Buffer.byteLength(expected) + 1;
      }
    } else if (rr.type === type && rr.data !== undefined && sameName(rr.name, expected)) {
      addresses[found++] = rr.rdata.slice();
      octets = align(octets, 4) + rr.rdata.length;
    }
  }
  addresses.length = found;
  if (answersCut(message)) return hostFailure(qname, "UNAVAIL");
  if (found === 0) return hostFailure(qname, "NO_RECOVERY");
  return { name, aliases, addresses, ttl: ttl === Infinity ? 0 : ttl, octets: hostentOctets(octets, addresses.length, aliases.length + 1) };
}

/** getanswer_r's failure for a reply about `qname`. */
function hostFailure(qname: string, error: NonNullable<HostAnswer["error"]>): HostAnswer {
  return { name: qname, aliases: [], addresses: [], ttl: 0, octets: 0, error };
}

/**
 * What gethostbyname3_context puts in the caller's buffer, in the order
 * it does (resolv/nss_dns/dns-host.c with alloc_buffer): each name
 * stored as an alias (the question name, then host-name CNAME targets) as
 * a C string, each address 4-aligned — `used` octets — then the 8-aligned
 * h_addr_list (addresses + 1 pointers) and h_aliases (one pointer per
 * stored name). The buffer itself is taken to start 16-aligned, as
 * CPython's stack array does.
 */
function hostentOctets(used: number, addresses: number, names: number): number {
  return align(used, 8) + (addresses + 1) * 8 + names * 8;
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** What getaddrinfo gets from the A and AAAA answers of one query. */
export interface AddrInfoAnswer {
  /**
   * glibc's NSS status: `SUCCESS` with addresses; `NOTFOUND` (h_errno
   * HOST_NOT_FOUND) for answers without usable addresses; `UNAVAIL`
   * (h_errno NO_RECOVERY) for a reply without exactly one question, or
   * whose first answer has a record that did not read.
   */
  status: "SUCCESS" | "NOTFOUND" | "UNAVAIL";
  /**
   * The canonical name (for AI_CANONNAME): the question name or the last
   * host-name CNAME target seen before the first address of the first
   * answer that has addresses. Undefined without addresses.
   */
  canonical: string | undefined;
  /** The addresses of all answers, answer by answer, in answer order: their RDATA, 4 or 16 octets. */
  addresses: Array<{ family: 4 | 6; address: Uint8Array }>;
  ttl: number;
}

/**
 * glibc's gaih_getanswer over the answers of one query, in order (A then
 * AAAA; a family whose query got no answer is simply absent). The first
 * answer decides unless it has no addresses, in which case a second
 * answer's status replaces NOTFOUND. Unlike getanswer_r, records of any
 * class count, and NXDOMAIN is not special: it just has no addresses.
 */
export function readAddrInfoAnswer(results: readonly QueryResult[]): AddrInfoAnswer {
  const slices = Math.min(results.length, 2);
  let room = 0;
  for (let i = 0; i < slices; i++) room += results[i]!.message.answers.length;
  // Room for every answer record of both slices, cut to the addresses found.
  const answer: AddrInfoAnswer = { status: "NOTFOUND", canonical: undefined, addresses: new Array<AddrInfoAnswer["addresses"][number]>(room), ttl: Infinity };
  found = 0;
  for (let i = 0; i < slices; i++) {
    if (i === 1 && answer.status === "UNAVAIL") break;
    const status = readAddressSlice(results[i]!, answer);
    if (answer.status !== "SUCCESS" && status !== "NOTFOUND") answer.status = status;
  }
  answer.addresses.length = found;
  if (answer.status === "SUCCESS") {
    if (answer.ttl === Infinity) answer.ttl = 0;
  } else {
    // What a failed slice had linked in is dropped with the failure, as getaddrinfo drops it.
    answer.addresses = [];
    answer.canonical = undefined;
    answer.ttl = 0;
  }
  return answer;
}

/** How many addresses {@link readAddressSlice} has put in the answer being read (its array is made with room to spare). */
let found = 0;

/**
 * gaih_getanswer_slice: adds one answer's addresses, and lowers `into.ttl`
 * (Infinity until a record counts) to the TTLs it sees; returns its own
 * status. The addresses read before a record that did not read stay
 * added, as glibc has linked them in already: a second answer cut short
 * after a first that succeeded still gives what it had.
 */
function readAddressSlice(r: QueryResult, into: AddrInfoAnswer): AddrInfoAnswer["status"] {
  const { message } = r;
  if (message.questions.length !== 1) return "UNAVAIL";
  const question = message.questions[0]!;
  if (message.counts[1] === 0 || !isHostName(question.name)) return "NOTFOUND";
  const family = question.type === "AAAA" ? 6 : 4;
  let expected = question.name;
  let alias = question.name;
  let any = false;
  for (const rr of message.answers) {
    if (rr.type === "CNAME" || rr.type === question.type) into.ttl = Math.min(into.ttl, rr.ttl);
    if (rr.type === "CNAME") {
      expected = rr.data as string;
      if (into.canonical === undefined && isHostName(expected)) alias = expected;
    } else if (rr.type === question.type && rr.data !== undefined && sameName(rr.name, expected)) {
      into.canonical ??= alias;
      into.addresses[found++] = { family, address: rr.rdata.slice() };
      any = true;
    }
  }
  if (answersCut(message)) return "UNAVAIL";
  return any ? "SUCCESS" : "NOTFOUND";
}

/** What gethostbyaddr gets from one PTR answer. */
export interface PtrAnswer {
  /**
   * Targets of the PTR records owned by the end of the CNAME chain, in
   * answer order, up to the first that is not a host name. glibc uses the
   * first as h_name and ignores the rest.
   */
  names: string[];
  /** Always empty: glibc 2.36 gives DNS reverse lookups no aliases, not even RFC 2317 CNAME owners. */
  aliases: string[];
  ttl: number;
  /**
   * Set when glibc reports failure: `NO_RECOVERY` when there is no usable
   * PTR record or the first matching one is not a host name; `UNAVAIL`
   * (h_errno NO_RECOVERY too) for a reply without exactly one question, or
   * when a record before the first matching PTR did not read.
   */
  error?: "NO_RECOVERY" | "UNAVAIL";
}

/**
 * glibc's getanswer_ptr: follows CNAMEs from the question name (RFC 2317
 * classless delegation) and takes the first PTR record owned by the name
 * it ends at.
 */
export function readPtrAnswer(r: QueryResult): PtrAnswer {
  const { message } = r;
  const failed: PtrAnswer = { names: [], aliases: [], ttl: 0, error: "NO_RECOVERY" };
  if (message.questions.length !== 1) return { ...failed, error: "UNAVAIL" };
  const names: string[] = [];
  const ttl = new MinTtl();
  let expected = message.questions[0]!.name;
  for (const rr of message.answers) {
    if (rr.class !== "IN") continue;
    if (rr.type === "CNAME" || rr.type === "PTR") ttl.see(rr);
    if (rr.type === "CNAME") {
      expected = rr.data as string;
    } else if (rr.type === "PTR" && sameName(rr.name, expected)) {
      const target = rr.data as string;
      if (!isHostName(target)) break;
      names.push(target);
    }
  }
  if (names.length === 0) return answersCut(message) ? { ...failed, error: "UNAVAIL" } : failed;
  return { names, aliases: [], ttl: ttl.value };
}

/** Smallest TTL seen; 0 if none. */
class MinTtl {
  #min = Infinity;

  see(rr: ResourceRecord): void {
    this.#min = Math.min(this.#min, rr.ttl);
  }

  get value(): number {
    return this.#min === Infinity ? 0 : this.#min;
  }
}
