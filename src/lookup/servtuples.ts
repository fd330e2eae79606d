/**
 * The (socket type, protocol, port) triples getaddrinfo pairs with every
 * address, chosen from the hints and the service as glibc's get_servtuples
 * chooses them.
 */
import {
  EAI_SERVICE, EAI_SOCKTYPE, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE,
  SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM,
} from "../constants.js";
import type { ServicesTable } from "../files/services.js";
import { interned } from "./interned.js";

/** Linux SOCK_DCCP and IPPROTO_DCCP: glibc knows the pair, the public constants do not. */
const SOCK_DCCP = 6;
const IPPROTO_DCCP = 33;

/** One line of glibc's gaih_inet_typeproto table. */
interface TypeProto {
  socktype: number;
  protocol: number;
  /** Any protocol the hints ask for goes with this socket type (raw sockets). */
  protoAny: boolean;
  /** A service cannot be given for this socket type (raw sockets). */
  noService: boolean;
  /** Part of the answer when the hints name neither socket type nor protocol. */
  byDefault: boolean;
  /** The protocol name services are looked up under. */
  name: string;
}

/** glibc 2.36's table, in its order: the order of the tuples for each address. */
const TYPE_PROTOS: readonly TypeProto[] = [
  { socktype: SOCK_STREAM, protocol: IPPROTO_TCP, protoAny: false, noService: false, byDefault: true, name: "tcp" },
  { socktype: SOCK_DGRAM, protocol: IPPROTO_UDP, protoAny: false, noService: false, byDefault: true, name: "udp" },
  { socktype: SOCK_DCCP, protocol: IPPROTO_DCCP, protoAny: false, noService: false, byDefault: false, name: "dccp" },
  { socktype: SOCK_DGRAM, protocol: IPPROTO_UDPLITE, protoAny: false, noService: false, byDefault: false, name: "udplite" },
  { socktype: SOCK_STREAM, protocol: IPPROTO_SCTP, protoAny: false, noService: false, byDefault: false, name: "sctp" },
  { socktype: SOCK_SEQPACKET, protocol: IPPROTO_SCTP, protoAny: false, noService: false, byDefault: false, name: "sctp" },
  { socktype: SOCK_RAW, protocol: 0, protoAny: true, noService: true, byDefault: true, name: "raw" },
];

/**
 * The tuples of a lookup without service or hints (gethostbyname's through
 * setipaddr, most getaddrinfo calls): the same every time, so made once,
 * frozen, rather than per lookup.
 */
const NO_SERVICE_TUPLES: ServTuple[] = frozen(
  TYPE_PROTOS.filter((tp) => tp.byDefault).map((tp) => ({ socktype: tp.socktype, protocol: tp.protoAny ? 0 : tp.protocol, port: 0 })),
);

/**
 * The tuples of numeric services, made once per port and hints and
 * shared (interned.ts): a getaddrinfo for port 80 would otherwise make
 * three tuples and their list per call, which a lookup in flight holds.
 * At most 1,024 sets.
 */
const NUMERIC_TUPLES = new Map<number, ServTuple[]>();
const NUMERIC_TUPLES_MAX = 1024;

/** {@link numericTuples}' `chosen` for the default socket types. */
const DEFAULT_TYPES = TYPE_PROTOS.length;

/** The shared tuples of `port` for `chosen`, a line of TYPE_PROTOS (or DEFAULT_TYPES), made by `make` the first time. */
function numericTuples(port: number, chosen: number, make: () => ServTuple[]): ServTuple[] {
  return interned(NUMERIC_TUPLES, NUMERIC_TUPLES_MAX, port * (DEFAULT_TYPES + 1) + chosen, make);
}

/** `tuples` frozen, list and tuples, to be shared. */
function frozen(tuples: ServTuple[]): ServTuple[] {
  return Object.freeze(tuples.map((t) => Object.freeze(t))) as ServTuple[];
}

/** A socket type, protocol and port (host order) for the tuples of each address. */
export interface ServTuple {
  socktype: number;
  protocol: number;
  port: number;
}

/** The hints get_servtuples reads. */
export interface ServHints {
  socktype: number;
  protocol: number;
}

/** A service as getaddrinfo received it: its text, and its number if the text is one. */
export interface Service {
  name: string;
  /** The port when the text is a number, else -1 (glibc stores strtoul's result in an int). */
  num: number;
}

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * Reads a service text as getaddrinfo does: `strtoul(s, &end, 10)` stored
 * in an int. Returns the number, or undefined when text follows it (then
 * the text is a service name). Whitespace and a sign may lead; a negative
 * or oversized value wraps the way C's conversions wrap it.
 */
export function parseServiceNumber(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return undefined;
  let value = BigInt(m[2]!);
  if (value > ULONG_MAX) value = ULONG_MAX;
  else if (m[1] === "-") value = (ULONG_MAX + 1n - value) & ULONG_MAX;
  return Number(BigInt.asIntN(32, value));
}

/**
 * glibc's get_servtuples: the tuples for `service` under `hints`, in
 * glibc's order, or the negative EAI code that getaddrinfo fails with
 * (EAI_SOCKTYPE, EAI_SERVICE).
 */
export function servTuples(service: Service | null, hints: ServHints, services: () => ServicesTable): ServTuple[] | number {
  const { socktype, protocol } = hints;
  const matches = (tp: TypeProto): boolean =>
    (socktype === 0 || socktype === tp.socktype) && (protocol === 0 || tp.protoAny || protocol === tp.protocol);
  let chosen: TypeProto | undefined;
  if (socktype !== 0 || protocol !== 0) {
    chosen = TYPE_PROTOS.find(matches);
    if (chosen === undefined) return socktype !== 0 ? EAI_SOCKTYPE : EAI_SERVICE;
    if (service !== null && chosen.noService) return EAI_SERVICE;
  }
  const tupleOf = (tp: TypeProto, port: number): ServTuple => ({
    socktype: tp.socktype,
    protocol: tp.protoAny ? protocol : tp.protocol,
    port,
  });

  if (service === null || service.num >= 0) {
    // htons keeps the low 16 bits of the number.
    const port = service === null ? 0 : service.num & 0xffff;
    if (chosen !== undefined) {
      // A raw socket's protocol is the caller's, whatever it is: not shared.
      const one = chosen;
      return one.protoAny ? [tupleOf(one, port)] : numericTuples(port, TYPE_PROTOS.indexOf(one), () => frozen([tupleOf(one, port)]));
    }
    if (port === 0) return NO_SERVICE_TUPLES;
    return numericTuples(port, DEFAULT_TYPES, () => frozen(TYPE_PROTOS.filter((tp) => tp.byDefault).map((tp) => tupleOf(tp, port))));
  }

  const lookup = (tp: TypeProto): ServTuple | undefined => {
    const entry = services().byName(service.name, tp.name);
    return entry === undefined ? undefined : tupleOf(tp, entry.port);
  };
  if (chosen !== undefined) {
    const tuple = lookup(chosen);
    return tuple === undefined ? EAI_SERVICE : [tuple];
  }
  const tuples: ServTuple[] = [];
  for (const tp of TYPE_PROTOS) {
    if (tp.noService) continue;
    const tuple = lookup(tp);
    if (tuple !== undefined) tuples.push(tuple);
  }
  return tuples.length > 0 ? tuples : EAI_SERVICE;
}
