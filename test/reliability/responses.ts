/**
 * Fuzz cases for the response path: a valid response to a random question
 * (CNAME chains and loops, wrong-length addresses, foreign owners, every
 * RCODE, TC, EDNS, compressed names as Knot writes them), then zero to
 * three mutations (flipped bits, truncation, garbage, wrong counts, pointer
 * loops and forward pointers, deep pointer chains, splices), or plain noise.
 */
import type { Question } from "../../src/dns/question.js";
import { encodeResponse, type WireRecord } from "../../src/zone/wire.js";
import { Random } from "./random.js";

/** One case: the question asked and the bytes that came back. */
export interface ResponseCase {
  question: Question;
  /** The query ID the bytes claim to answer (before mutation). */
  id: number;
  bytes: Uint8Array;
  /** What was done to the valid response, for failure reports. */
  mutations: string[];
}

const NAMES = [
  "www.example.test",
  "example.test",
  "a.b.c.d.e.f.example.test",
  "MiXeD.CaSe.Example.TEST",
  "under_score.example.test",
  "-leading-hyphen.example.test",
  "x".repeat(63) + ".example.test",
  Array.from({ length: 4 }, () => "y".repeat(61)).join(".") + ".t",
  "4.3.2.1.in-addr.arpa",
  "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
  "single",
];

const RCODES = ["NOERROR", "NOERROR", "NOERROR", "NOERROR", "NOERROR", "NOERROR", "NXDOMAIN", "NXDOMAIN", "SERVFAIL", "REFUSED", "FORMERR", "NOTIMP", "YXDOMAIN"];

function randomCase(r: Random, name: string): string {
  let out = "";
  for (const ch of name) out += r.chance(0.5) ? ch.toUpperCase() : ch.toLowerCase();
  return out;
}

function ttl(r: Random): number {
  return r.pick([0, 1, 300, 86400, 0x7fffffff, 0x80000000, 0xffffffff, r.int(2 ** 32)]);
}

function ipv4(r: Random): string {
  return `${r.int(256)}.${r.int(256)}.${r.int(256)}.${r.int(256)}`;
}

function ipv6(r: Random): string {
  return Array.from({ length: 8 }, () => r.int(0x10000).toString(16)).join(":");
}

/** A record of `type` owned by `owner`, with plausible or broken data. */
function record(r: Random, owner: string, type: string): WireRecord {
  const t = ttl(r);
  switch (type) {
    case "A":
      return r.chance(0.05) ? { name: owner, type, ttl: t, data: r.bytes(r.pick([0, 3, 5, 16])) } : { name: owner, type, ttl: t, data: ipv4(r) };
    case "AAAA":
      return r.chance(0.05) ? { name: owner, type, ttl: t, data: r.bytes(r.pick([0, 4, 15, 17])) } : { name: owner, type, ttl: t, data: ipv6(r) };
    case "CNAME":
    case "PTR":
    case "NS":
      return { name: owner, type, ttl: t, data: randomCase(r, r.pick(NAMES)) };
    case "MX":
      return { name: owner, type, ttl: t, data: { preference: r.int(0x10000), exchange: r.pick(NAMES) } };
    case "TXT":
      return { name: owner, type, ttl: t, data: [String.fromCharCode(...r.bytes(r.int(40)))] };
    case "SRV":
      return { name: owner, type, ttl: t, data: { priority: r.int(0x10000), weight: r.int(0x10000), port: r.int(0x10000), target: r.pick(NAMES) } };
    default:
      return {
        name: owner,
        type: "SOA",
        ttl: t,
        data: { mname: r.pick(NAMES), rname: r.pick(NAMES), serial: r.int(2 ** 32), refresh: 3600, retry: 900, expire: 604800, minimum: 300 },
      };
  }
}

/** A well-formed response to `question`, shaped like real answers (and their oddities). */
function validResponse(r: Random, question: Question, id: number): Uint8Array {
  const answers: WireRecord[] = [];
  let owner = r.chance(0.8) ? question.name : randomCase(r, question.name);
  // A CNAME chain, sometimes looping back to the question name.
  const links = r.chance(0.6) ? 0 : r.between(1, 7);
  for (let i = 0; i < links; i++) {
    const target = r.chance(0.15) ? question.name : `c${i}.${r.pick(NAMES)}`;
    answers.push({ name: owner, type: "CNAME", ttl: ttl(r), data: target });
    owner = target;
  }
  const count = r.pick([0, 1, 1, 2, 3, 8, 40]);
  for (let i = 0; i < count; i++) {
    const foreign = r.chance(0.1);
    const type = r.chance(0.85) ? question.type : r.pick(["A", "AAAA", "CNAME", "PTR", "MX", "TXT", "SRV", "SOA"]);
    answers.push(record(r, foreign ? r.pick(NAMES) : owner, type));
  }
  if (r.chance(0.1)) r.pick([() => answers.reverse(), () => answers.splice(0, 1)])();
  const authorities = r.chance(0.4) ? [record(r, "example.test", "SOA")] : r.chance(0.2) ? [record(r, "example.test", "NS")] : [];
  const additionals = r.chance(0.2) ? [record(r, r.pick(NAMES), r.pick(["A", "AAAA"]))] : [];
  const omitQuestion = r.chance(0.03);
  return encodeResponse({
    id,
    aa: r.chance(0.5),
    tc: r.chance(0.05),
    rd: true,
    ra: r.chance(0.9),
    rcode: r.pick(RCODES),
    ...(omitQuestion ? {} : { question: r.chance(0.95) ? { name: randomCase(r, question.name), type: question.type } : { name: r.pick(NAMES), type: r.pick(["A", "AAAA", "PTR"]) } }),
    answers,
    authorities,
    additionals,
    ...(r.chance(0.3) ? { edns: { udpPayloadSize: r.pick([512, 1232, 4096, 0, 65535]) } } : {}),
  });
}

type Mutation = (r: Random, b: Uint8Array) => Uint8Array;

const MUTATIONS: Record<string, Mutation> = {
  flipBits(r, b) {
    const out = Uint8Array.from(b);
    for (let n = r.between(1, 8); n > 0 && out.length > 0; n--) out[r.int(out.length)]! ^= 1 << r.int(8);
    return out;
  },
  truncate: (r, b) => b.slice(0, r.int(b.length + 1)),
  overwrite(r, b) {
    const out = Uint8Array.from(b);
    for (let n = r.between(1, 6); n > 0 && out.length > 0; n--) out[r.int(out.length)] = r.int(256);
    return out;
  },
  insert(r, b) {
    const at = r.int(b.length + 1);
    return Uint8Array.from([...b.subarray(0, at), ...r.bytes(r.between(1, 32)), ...b.subarray(at)]);
  },
  cut(r, b) {
    const at = r.int(b.length + 1);
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + r.between(1, 16))]);
  },
  counts(r, b) {
    const out = Uint8Array.from(b);
    if (out.length < 12) return out;
    const field = 4 + 2 * r.int(4);
    const old = (out[field]! << 8) | out[field + 1]!;
    const value = r.pick([0, 1, old + 1, Math.max(0, old - 1), 0xffff, r.int(0x10000)]);
    out[field] = value >> 8;
    out[field + 1] = value & 0xff;
    return out;
  },
  /** A compression pointer to itself, forward, or into a two-pointer cycle. */
  pointerLoop(r, b) {
    const out = Uint8Array.from(b);
    if (out.length < 14) return out;
    const p = r.between(12, out.length - 2);
    const kind = r.int(4);
    const target = kind === 0 ? p : kind === 1 ? Math.min(0x3fff, p + 2 + r.int(8)) : kind === 2 ? r.int(p) : r.int(0x4000);
    out[p] = 0xc0 | (target >> 8);
    out[p + 1] = target & 0xff;
    if (kind === 2 && target + 1 < out.length && target >= 12) {
      out[target] = 0xc0 | (p >> 8);
      out[target + 1] = p & 0xff;
    }
    return out;
  },
  /**
   * Two extra additional records: one of an unknown type whose RDATA is a
   * run of one-label names each pointing at the one before, then an A
   * record owned by a pointer to the last of them, so its owner expands,
   * hop by backward hop, past 255 octets.
   */
  pointerChain(r, b) {
    if (b.length < 12) return b;
    const rdataStart = b.length + 11;
    const region: number[] = [];
    let previous = -1;
    for (let hops = r.between(10, 200); hops > 0; hops--) {
      const here = rdataStart + region.length;
      if (here > 0x3fff) break;
      region.push(1, 0x61, ...(previous < 0 ? [0] : [0xc0 | (previous >> 8), previous & 0xff]));
      previous = here;
    }
    if (previous < 0) return b;
    const carrier = [0, 0xff, 0x00, 0, 1, 0, 0, 0, 0, region.length >> 8, region.length & 0xff, ...region];
    const owner = [0xc0 | (previous >> 8), previous & 0xff, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1];
    const out = Uint8Array.from([...b, ...carrier, ...owner]);
    const additional = ((out[10]! << 8) | out[11]!) + 2;
    out[10] = (additional >> 8) & 0xff;
    out[11] = additional & 0xff;
    return out;
  },
  splice(r, b) {
    const other = validResponse(r, { name: r.pick(NAMES), type: r.pick(["A", "AAAA", "PTR"]) }, r.int(0x10000));
    return Uint8Array.from([...b.subarray(0, r.int(b.length + 1)), ...other.subarray(r.int(other.length + 1))]);
  },
  setTc(_r, b) {
    const out = Uint8Array.from(b);
    if (out.length > 2) out[2]! |= 0x02;
    return out;
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/**
 * Case `index` of the run seeded `seed`: a response to `question` (a
 * random one if not given) with the given ID, then its mutations.
 */
export function responseCase(seed: number, index: number, asked?: { question: Question; id: number }): ResponseCase {
  const r = Random.forCase(seed, index);
  const question: Question = asked?.question ?? { name: r.pick(NAMES), type: r.pick(["A", "A", "AAAA", "AAAA", "PTR", "MX", "TXT"]), class: "IN" };
  const id = asked?.id ?? r.int(0x10000);
  if (r.chance(0.03)) return { question, id, bytes: r.bytes(r.int(600)), mutations: ["noise"] };
  let bytes = validResponse(r, question, id);
  const mutations: string[] = [];
  for (let n = r.pick([0, 1, 1, 1, 2, 3]); n > 0; n--) {
    const name = r.pick(MUTATION_NAMES);
    bytes = MUTATIONS[name]!(r, bytes);
    mutations.push(name);
  }
  return { question, id, bytes, mutations };
}

/** Hex of a case's bytes, for failure reports. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
