/**
 * Authoritative answers from zones, the way Knot DNS 3.2 gives them (see
 * fixtures/worlds/README.md, "Knot's answers"), so that the test server,
 * the inline worlds of netdb/testing and knotd agree on everything a stub
 * resolver looks at:
 *
 * - names are lowercased when a zone is loaded; the question is echoed as
 *   asked and answer owners for the asked name are written as asked;
 * - CNAMEs are followed inside the zone of the asked name only, at most 5,
 *   and a name that repeats ends the chain;
 * - the final name decides the RCODE: NXDOMAIN with the CNAMEs so far and
 *   the SOA in authority; NODATA is NOERROR with the SOA in authority;
 * - wildcards (`*.label`) answer for names that do not exist below their
 *   closest existing ancestor, with the asked name as owner;
 * - a name at or below a delegation gets a referral (AA clear, NS in
 *   authority, glue in additional);
 * - the targets of NS, MX and SRV records in an answer get their A and AAAA
 *   records from the zone in the additional section;
 * - ANY gets one RRset, the one of the lowest type number (RFC 8482);
 * - a zone that failed to load answers SERVFAIL, a name in no zone REFUSED,
 *   each with an Extended DNS Error code (24 invalid data, 20 not
 *   authoritative) when the query has EDNS.
 */
import { typeCode } from "../dns/rrtypes.js";
import type { Zone, ZoneRecord } from "./zonefile.js";
import type { WireRecord } from "./wire.js";

/** What the authority says about one question. */
export interface AuthorityAnswer {
  rcode: string;
  aa: boolean;
  /** Extended DNS Error code (RFC 8914) Knot adds to an EDNS answer. */
  extendedError?: number;
  answers: WireRecord[];
  authorities: WireRecord[];
  additionals: WireRecord[];
}

/** Knot's limit on CNAMEs followed in one answer. */
const MAX_CNAMES = 5;

interface LoadedZone {
  origin: string;
  /** Records by lowercased owner, in file order. */
  byName: Map<string, ZoneRecord[]>;
  /** Every owner and every ancestor of one down to the origin (empty non-terminals exist). */
  existing: Set<string>;
  soa: ZoneRecord | undefined;
  /** Set when the zone failed to load. */
  broken?: string;
}

/** A set of zones that answers questions. */
export class Authority {
  readonly #zones = new Map<string, LoadedZone>();
  /** The zone records some answer section has carried. */
  readonly #answered = new WeakSet<ZoneRecord>();

  /** Loads a zone (replacing one with the same origin); names are lowercased as Knot does. */
  addZone(zone: Zone): void {
    const origin = zone.origin.toLowerCase();
    const loaded: LoadedZone = { origin, byName: new Map(), existing: new Set([origin]), soa: undefined };
    for (const record of zone.records) {
      const rr = lowercased(record);
      const list = loaded.byName.get(rr.name) ?? [];
      list.push(rr);
      loaded.byName.set(rr.name, list);
      for (let name = rr.name; name !== origin && name.length > origin.length; name = parentOf(name)) loaded.existing.add(name);
      if (rr.type === "SOA" && rr.name === origin) loaded.soa = rr;
    }
    this.#zones.set(origin, loaded);
  }

  /** Registers a zone that failed to load: every name in it gets SERVFAIL. */
  addBrokenZone(origin: string, reason: string): void {
    const name = origin.replace(/\.$/, "").toLowerCase() || ".";
    this.#zones.set(name, { origin: name, byName: new Map(), existing: new Set(), soa: undefined, broken: reason });
  }

  /** Answers `name`/`type` (class IN). */
  answer(name: string, type: string): AuthorityAnswer {
    const result: AuthorityAnswer = { rcode: "NOERROR", aa: true, answers: [], authorities: [], additionals: [] };
    const zone = this.#zoneOf(name.toLowerCase());
    if (zone === undefined) return { ...result, rcode: "REFUSED", aa: false, extendedError: 20 };
    if (zone.broken !== undefined) return { ...result, rcode: "SERVFAIL", aa: false, extendedError: 24 };

    const seen = new Set<string>();
    let current = name.replace(/\.$/, "");
    for (;;) {
      const key = current.toLowerCase();
      seen.add(key);
      const cut = delegationAbove(zone, key);
      if (cut !== undefined && !(type === "DS" && cut === key)) return this.#referral(zone, cut, result);

      const records = zone.byName.get(key) ?? wildcardFor(zone, key);
      if (records === undefined) {
        result.rcode = "NXDOMAIN";
        return withSoa(zone, result);
      }
      const matching = type === "ANY" ? minimalAny(records) : records.filter((rr) => rr.type === type);
      if (matching.length > 0) {
        for (const rr of matching) this.#answered.add(rr);
        for (const rr of matching) result.answers.push({ ...rr, name: current });
        for (const rr of matching) result.additionals.push(...addressesOf(zone, additionalTarget(rr)));
        return result;
      }
      const cname = records.find((rr) => rr.type === "CNAME");
      if (cname === undefined) return withSoa(zone, result);
      if (result.answers.filter((rr) => rr.type === "CNAME").length === MAX_CNAMES) return result;
      this.#answered.add(cname);
      result.answers.push({ ...cname, name: current });
      const target = cname.data as string;
      if (seen.has(target) || this.#zoneOf(target) !== zone) return result;
      current = target;
    }
  }

  /** True when `name` is at or below the origin of a loaded zone (so this authority answers for it). */
  serves(name: string): boolean {
    return this.#zoneOf(name.toLowerCase()) !== undefined;
  }

  /**
   * The records no answer section has carried yet, zone by zone in file
   * order (names lowercased), leaving out each zone's SOA and apex NS: a
   * zone has them whatever its tests ask.
   */
  unasked(): ZoneRecord[] {
    const apex = (zone: LoadedZone, rr: ZoneRecord): boolean => rr.name === zone.origin && (rr.type === "SOA" || rr.type === "NS");
    return [...this.#zones.values()].flatMap((zone) => [...zone.byName.values()].flat().filter((rr) => !apex(zone, rr) && !this.#answered.has(rr)));
  }

  #zoneOf(name: string): LoadedZone | undefined {
    for (let candidate = name.replace(/\.$/, "") || "."; ; candidate = parentOf(candidate)) {
      const zone = this.#zones.get(candidate);
      if (zone !== undefined) return zone;
      if (candidate === ".") return undefined;
    }
  }

  #referral(zone: LoadedZone, cut: string, result: AuthorityAnswer): AuthorityAnswer {
    const ns = zone.byName.get(cut)!.filter((rr) => rr.type === "NS");
    result.aa = false;
    result.authorities.push(...ns);
    for (const rr of ns) result.additionals.push(...addressesOf(zone, rr.data as string));
    return result;
  }
}

/** The record with owner and name-valued RDATA lowercased. */
function lowercased(rr: ZoneRecord): ZoneRecord {
  const lower = (s: unknown): unknown => (typeof s === "string" ? s.toLowerCase() : s);
  let data = rr.data;
  if (rr.type === "CNAME" || rr.type === "PTR" || rr.type === "NS") data = (data as string).toLowerCase();
  else if (rr.type === "MX" || rr.type === "SRV" || rr.type === "SOA" || rr.type === "NAPTR") {
    const obj = { ...(data as Record<string, string | number>) };
    for (const key of ["exchange", "target", "mname", "rname", "replacement"]) if (key in obj) obj[key] = lower(obj[key]) as string;
    data = obj;
  }
  return { ...rr, name: rr.name.toLowerCase(), data };
}

function parentOf(name: string): string {
  const dot = name.indexOf(".");
  return dot === -1 ? "." : name.slice(dot + 1);
}

/** The highest delegation point (a non-apex owner with NS records) at or above `name`. */
function delegationAbove(zone: LoadedZone, name: string): string | undefined {
  const chain: string[] = [];
  for (let n = name; n !== zone.origin && n !== "."; n = parentOf(n)) chain.unshift(n);
  return chain.find((n) => zone.byName.get(n)?.some((rr) => rr.type === "NS"));
}

/** Wildcard records that answer for a name that does not exist, if any. */
function wildcardFor(zone: LoadedZone, name: string): ZoneRecord[] | undefined {
  if (zone.existing.has(name)) return [];
  let encloser = parentOf(name);
  while (!zone.existing.has(encloser) && encloser !== zone.origin && encloser !== ".") encloser = parentOf(encloser);
  return zone.byName.get(encloser === "." ? "*" : `*.${encloser}`);
}

/** RFC 8482's minimal answer to ANY, as Knot gives it: the RRset of the lowest type number. */
function minimalAny(records: ZoneRecord[]): ZoneRecord[] {
  const codes = records.map((rr) => typeCode(rr.type) ?? 0xffff);
  const lowest = Math.min(...codes);
  return records.filter((_, i) => codes[i] === lowest);
}

/** The name an NS, MX or SRV record points at, whose addresses go in the additional section. */
function additionalTarget(rr: ZoneRecord): string | undefined {
  if (rr.type === "NS") return rr.data as string;
  if (rr.type === "MX") return (rr.data as Record<string, string>).exchange;
  if (rr.type === "SRV") return (rr.data as Record<string, string>).target;
  return undefined;
}

/** The A records, then the AAAA records, of `name` in the zone. */
function addressesOf(zone: LoadedZone, name: string | undefined): ZoneRecord[] {
  const records = name === undefined ? [] : (zone.byName.get(name) ?? []);
  return [...records.filter((rr) => rr.type === "A"), ...records.filter((rr) => rr.type === "AAAA")];
}

function withSoa(zone: LoadedZone, result: AuthorityAnswer): AuthorityAnswer {
  if (zone.soa !== undefined) {
    const minimum = (zone.soa.data as Record<string, number>).minimum!;
    result.authorities.push({ ...zone.soa, ttl: Math.min(zone.soa.ttl, minimum) });
  }
  return result;
}
