/**
 * The glibc-parity scenarios: shapes of answers and resolv.conf settings
 * after glibc 2.36's own resolver tests (resolv/tst-resolv-*.c of the
 * release/2.36 branch), each a script for the scripted server
 * (scripted.ts) and the socket-module calls to make against it.
 * scripts/golden/resolv-parity.py records what CPython answers (in a
 * network namespace, the server on 127.0.0.x:53) into
 * fixtures/golden/resolv-parity.json; parity.test.ts replays every call
 * against netdb with the same bytes and asserts equal outcomes and equal
 * queries.
 *
 * `kind` groups the scenarios by the part of glibc they pin down (the
 * classes of issue 13): 1 malformed or oddly shaped answers, 2 the EDNS
 * payload size, 3 FORMERR to an EDNS query, 4 `sortlist`, 5 more addresses
 * than CPython's gethostbyname_r buffer holds, 6 `no-tld-query`, 7
 * `no-aaaa` with AF_INET6, 8 backslash escapes in names, 9 the IDNA BiDi
 * rule.
 */
import { a, aaaa, reply, rr, wireName, type Script, type ScriptQuery } from "./scripted.js";

/** One socket-module call: its name and positional arguments (JSON for Python's). */
export type Call = [string, ...unknown[]];

export interface Scenario {
  id: string;
  kind: number;
  what: string;
  /** resolv.conf without its nameserver lines. */
  conf: string;
  /** How many servers (127.0.0.1, .2, .3), in resolv.conf order. */
  servers?: number;
  calls: Call[];
  script: Script;
}

const T_A = 1;
const T_CNAME = 5;
const T_PTR = 12;
const T_AAAA = 28;
const NXDOMAIN = 3;
const FORMERR = 1;

const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const AI_CANONNAME = 2;

/** The files every scenario shares. */
export const ETC = {
  hosts: "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
  "nsswitch.conf": "hosts: files dns\n",
  "host.conf": "multi on\n",
  "gai.conf": "",
};
export const HOSTNAME = "golden";

/** A short timeout: a scenario that makes glibc wait shows it in seconds, not tens of them. */
const OPTIONS = "options timeout:1 attempts:2\n";

/** The calls most scenarios make for `name`. */
function byName(name: string): Call[] {
  return [
    ["gethostbyname", name],
    ["gethostbyname_ex", name],
    ["getaddrinfo", name, null, 0, SOCK_STREAM],
    ["getaddrinfo", name, null, AF_INET, SOCK_STREAM],
    ["getaddrinfo", name, null, AF_INET6, SOCK_STREAM],
  ];
}

/** The answer records of `q` for addresses `v4` (A) and `v6` (AAAA), owned by the question name. */
function addresses(q: ScriptQuery, v4: string[], v6: string[] = []): Buffer[] {
  if (q.type === T_A) return v4.map((x) => rr("@", T_A, a(x)));
  if (q.type === T_AAAA) return v6.map((x) => rr("@", T_AAAA, aaaa(x)));
  return [];
}

/** A normal answer: the addresses of the question's type (none: NOERROR, no data). */
function normal(q: ScriptQuery, v4: string[], v6: string[] = []): Buffer {
  return reply(q, { answers: addresses(q, v4, v6) });
}

/** A normal answer over TCP, TC and nothing else over UDP when it is longer than the query allows (512, or its EDNS size). */
function sized(q: ScriptQuery, full: Buffer): Buffer {
  if (q.protocol === "udp" && full.length > (q.edns ?? 512)) return reply(q, { flags: 0x0200 | 0x0100 | 0x0080 });
  return full;
}

/** `n` A records 10.x.y.z owned by the question name. */
function many(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => rr("@", T_A, a(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)));
}

// --- 1: malformed or oddly shaped answers ------------------------------------

const MALFORMED: Scenario[] = [
  {
    id: "trailing-garbage",
    kind: 1,
    what: "5 octets of 0xff after the last record of every answer",
    conf: OPTIONS,
    calls: [...byName("x.example"), ["gethostbyaddr", "192.0.2.1"]],
    script: (q) => {
      const trailing = Buffer.alloc(5, 0xff);
      if (q.type === T_PTR) return reply(q, { answers: [rr("@", T_PTR, wireName("x.example"))], trailing });
      return reply(q, { answers: addresses(q, ["192.0.2.1"], ["2001:db8::1"]), trailing });
    },
  },
  {
    id: "trailing-30000",
    kind: 1,
    what: "30,000 zero octets after the records (UDP, no TC)",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => reply(q, { answers: addresses(q, ["192.0.2.1"], ["2001:db8::1"]), trailing: Buffer.alloc(30_000) }),
  },
  {
    id: "cut-final-record",
    kind: 1,
    what: "two A records, the second cut off in its RDATA (2 of 4 octets); AAAA likewise",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => {
      const whole = reply(q, { answers: addresses(q, ["192.0.2.1", "192.0.2.2"], ["2001:db8::1", "2001:db8::2"]) });
      return whole.subarray(0, whole.length - 2);
    },
  },
  {
    id: "ancount-past-end",
    kind: 1,
    what: "ANCOUNT 3, two records present: the third has no RR header",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => reply(q, { answers: addresses(q, ["192.0.2.1", "192.0.2.2"], ["2001:db8::1", "2001:db8::2"]), counts: [3, 0, 0] }),
  },
  {
    id: "ancount-no-records",
    kind: 1,
    what: "ANCOUNT 1 and nothing after the question",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => reply(q, { counts: [1, 0, 0] }),
  },
  {
    id: "type-ffff",
    kind: 1,
    what: "the only answer record is of type 0xffff",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => reply(q, { answers: [rr("@", 0xffff, a("192.0.2.1"))] }),
  },
  {
    id: "aaaa-half-malformed",
    kind: 1,
    what: "a good A answer; the AAAA answer has ANCOUNT 1 and no record",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => (q.type === T_AAAA ? reply(q, { counts: [1, 0, 0] }) : normal(q, ["192.0.2.1"])),
  },
  {
    id: "a-half-malformed",
    kind: 1,
    what: "the A answer has ANCOUNT 1 and no record; a good AAAA answer",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => (q.type === T_A ? reply(q, { counts: [1, 0, 0] }) : normal(q, [], ["2001:db8::1"])),
  },
  {
    id: "nx-half-malformed",
    kind: 1,
    what: "A: NXDOMAIN; AAAA: NOERROR with ANCOUNT 1 and no record",
    conf: OPTIONS,
    calls: byName("x.example"),
    script: (q) => (q.type === T_A ? reply(q, { rcode: NXDOMAIN }) : reply(q, { counts: [1, 0, 0] })),
  },
  {
    id: "aaaa-cut-after-one",
    kind: 1,
    what: "a good A answer; the AAAA answer has one good record, then one cut off in its RDATA",
    conf: OPTIONS,
    calls: [...byName("x.example"), ["getaddrinfo", "x.example", null, 0, SOCK_STREAM, 0, AI_CANONNAME]],
    script: (q) => {
      if (q.type !== T_AAAA) return normal(q, ["192.0.2.1"]);
      const whole = reply(q, { answers: addresses(q, [], ["2001:db8::1", "2001:db8::2"]) });
      return whole.subarray(0, whole.length - 8);
    },
  },
  {
    id: "first-server-malformed",
    kind: 1,
    what: "the first server's answer has trailing garbage, the second answers cleanly with other addresses",
    conf: OPTIONS,
    servers: 2,
    calls: byName("x.example"),
    script: (q) =>
      q.server === 0
        ? reply(q, { answers: addresses(q, ["192.0.2.1"], ["2001:db8::1"]), trailing: Buffer.from("garbage") })
        : normal(q, ["198.51.100.1"], ["2001:db8::99"]),
  },
  {
    id: "ptr-code103",
    kind: 1,
    what: "tst-resolv-network code 103: TC over UDP; over TCP two PTR records, then a third whose RDATA fills the message to 65,535 octets and runs out",
    conf: OPTIONS,
    calls: [["gethostbyaddr", "192.0.2.1"]],
    script: (q) => {
      if (q.protocol === "udp") return reply(q, { flags: 0x0200 | 0x0100 | 0x0080 });
      // ANCOUNT 1, but three records follow, the third's RDATA filling the message, then a name and a type.
      const head = reply(q, { answers: [rr("@", T_PTR, wireName("127.in-addr.arpa")), rr("@", T_PTR, wireName("example"))], counts: [1, 0, 0] });
      const tail = Buffer.concat([wireName("n.example"), Buffer.from([0, T_PTR])]);
      return Buffer.concat([head, rr("@", T_PTR, Buffer.alloc(65535 - head.length - 12 - tail.length), 0), tail]);
    },
  },
  {
    id: "ptr-trailing",
    kind: 1,
    what: "a PTR answer followed by an A record cut off in its header",
    conf: OPTIONS,
    calls: [["gethostbyaddr", "192.0.2.1"], ["gethostbyaddr", "2001:db8::1"]],
    script: (q) => {
      const whole = reply(q, { answers: [rr("@", T_PTR, wireName("host.example")), rr("@", T_A, a("192.0.2.1"))] });
      return whole.subarray(0, whole.length - 10);
    },
  },
];

// --- 2: EDNS payload size -------------------------------------------------------

/** An answer with `n` A records (and none for AAAA), over TCP when it does not fit the query's UDP size. */
function sizedMany(n: number): Script {
  return (q) => sized(q, reply(q, { answers: q.type === T_A ? many(n) : [], ...(q.edns === undefined ? {} : { edns: 1232 }) }));
}

// x.example's answer: 12 + 15 (question) + 16 per A record + 11 (OPT).
const EDNS: Scenario[] = [
  {
    id: "edns-small",
    kind: 2,
    what: "options edns0, a small answer: the payload size glibc advertises",
    conf: "options edns0 timeout:1 attempts:2\n",
    calls: byName("x.example"),
    script: (q) => reply(q, { answers: addresses(q, ["192.0.2.1"], ["2001:db8::1"]), edns: 1232 }),
  },
  {
    id: "edns-1210",
    kind: 2,
    what: "options edns0, an A answer of 1,206 octets (73 records): over 1200, under 1232",
    conf: "options edns0 timeout:1 attempts:2\n",
    calls: byName("x.example"),
    script: sizedMany(73),
  },
  {
    id: "edns-1232",
    kind: 2,
    what: "options edns0, an A answer of 1,238 octets (75 records): over both",
    conf: "options edns0 timeout:1 attempts:2\n",
    calls: [["gethostbyname_ex", "x.example"]],
    script: sizedMany(75),
  },
  {
    id: "edns-1190",
    kind: 2,
    what: "options edns0, an A answer of 1,174 octets (71 records): under both",
    conf: "options edns0 timeout:1 attempts:2\n",
    calls: [["gethostbyname_ex", "x.example"]],
    script: sizedMany(71),
  },
];

// --- 3: FORMERR to an EDNS query --------------------------------------------------

/** FORMERR (question only, no OPT) to a query with an OPT record, a normal answer to one without. */
const formerrToEdns: Script = (q) => (q.edns !== undefined ? reply(q, { rcode: FORMERR }) : normal(q, ["192.0.2.1"], ["2001:db8::1"]));

const FORMERR_EDNS: Scenario[] = [
  {
    id: "formerr-edns",
    kind: 3,
    what: "options edns0; FORMERR to every query with OPT, answers without",
    conf: "options edns0 timeout:1 attempts:2\n",
    calls: [...byName("x.example"), ["gethostbyaddr", "192.0.2.1"]],
    script: formerrToEdns,
  },
  {
    id: "formerr-edns-two-servers",
    kind: 3,
    what: "options edns0; the first server FORMERRs EDNS, the second answers everything",
    conf: "options edns0 timeout:1 attempts:2\n",
    servers: 2,
    calls: byName("x.example"),
    script: (q) => (q.server === 0 ? formerrToEdns(q) : normal(q, ["198.51.100.1"], ["2001:db8::99"])),
  },
  {
    id: "formerr-edns-with-opt",
    kind: 3,
    what: "options edns0; FORMERR carrying an OPT record to EDNS queries",
    conf: "options edns0 timeout:1 attempts:2\n",
    calls: byName("x.example"),
    script: (q) => (q.edns !== undefined ? reply(q, { rcode: FORMERR, edns: 512 }) : normal(q, ["192.0.2.1"])),
  },
];

// --- 4: sortlist ----------------------------------------------------------------------

const SORTED = ["203.0.113.1", "198.51.100.7", "192.0.2.9", "198.51.100.8", "192.0.2.10"];
const sortCalls: Call[] = [
  ["gethostbyname", "x.example"],
  ["gethostbyname_ex", "x.example"],
  ["getaddrinfo", "x.example", null, AF_INET, SOCK_STREAM],
  ["getaddrinfo", "x.example", null, 0, SOCK_STREAM],
];

const SORTLIST: Scenario[] = [
  {
    id: "sortlist-masks",
    kind: 4,
    what: "sortlist 192.0.2.0/255.255.255.0 198.51.100.0/255.255.255.0 against answers in another order",
    conf: "sortlist 192.0.2.0/255.255.255.0 198.51.100.0/255.255.255.0\n" + OPTIONS,
    calls: sortCalls,
    script: (q) => normal(q, SORTED),
  },
  {
    id: "sortlist-bare",
    kind: 4,
    what: "sortlist 192.0.2.0 (no mask: the class C mask)",
    conf: "sortlist 192.0.2.0\n" + OPTIONS,
    calls: sortCalls,
    script: (q) => normal(q, SORTED),
  },
  {
    id: "sortlist-ampersand-classb",
    kind: 4,
    what: "sortlist 198.51.0.0&255.255.0.0 10.0.0.0 (an & mask; a bare class A net)",
    conf: "sortlist 198.51.0.0&255.255.0.0 10.0.0.0\n" + OPTIONS,
    calls: sortCalls,
    script: (q) => normal(q, ["192.0.2.9", "10.1.2.3", "198.51.100.7", "203.0.113.1", "10.9.9.9"]),
  },
  {
    id: "sortlist-past-48",
    kind: 4,
    what: "sortlist 192.0.2.0/24 and 49 addresses: the 49th, in the sortlist's network, is not moved (glibc sorts the first 48)",
    conf: "sortlist 192.0.2.0/255.255.255.0\n" + OPTIONS,
    calls: [["gethostbyname_ex", "x.example"], ["getaddrinfo", "x.example", null, AF_INET, SOCK_STREAM]],
    script: (q) => sized(q, reply(q, { answers: q.type === T_A ? [...Array.from({ length: 47 }, (_, i) => rr("@", T_A, a(`203.0.113.${i}`))), rr("@", T_A, a("192.0.2.48")), rr("@", T_A, a("192.0.2.49"))] : [] })),
  },
];

// --- 5: more addresses than CPython's gethostbyname_r buffer holds -------------------

/** A plain name (x.example) with `n` A records, over TCP. */
function manyScenario(n: number, what: string): Scenario {
  return {
    id: `addresses-${n}`,
    kind: 5,
    what,
    conf: OPTIONS,
    calls: [["gethostbyname_ex", "x.example"]],
    script: sizedMany(n),
  };
}

const BUFFER: Scenario[] = [
  manyScenario(2000, "2,000 A records over TCP"),
  manyScenario(1362, "1,362 A records: the most that fit"),
  manyScenario(1363, "1,363 A records: one too many"),
  {
    id: "addresses-cname-boundary",
    kind: 5,
    what: "x.example CNAME a-long-target-name.example, then 1,359 and 1,360 A records",
    conf: OPTIONS,
    calls: [["gethostbyname_ex", "x1359.example"], ["gethostbyname_ex", "x1360.example"], ["gethostbyname", "x1360.example"]],
    script: (q) => {
      const n = Number(/^x(\d+)/.exec(q.name)?.[1] ?? 0);
      const target = "a-long-target-name.example";
      const answers = q.type === T_A ? [rr("@", T_CNAME, wireName(target)), ...Array.from({ length: n }, (_, i) => rr(target, T_A, a(`10.0.${i >> 8}.${i & 255}`)))] : [];
      return sized(q, reply(q, { answers }));
    },
  },
];

// --- 6: no-tld-query --------------------------------------------------------------------

/** single.search.example: NXDOMAIN; single (the bare name): an address. */
const tldScript: Script = (q) => (q.name.toLowerCase() === "single" ? normal(q, ["192.0.2.53"], ["2001:db8::53"]) : reply(q, { rcode: NXDOMAIN }));

const NO_TLD: Scenario[] = [
  {
    id: "no-tld-query",
    kind: 6,
    what: "search search.example; options no-tld-query: the bare name is never asked",
    conf: "search search.example\noptions no-tld-query timeout:1 attempts:2\n",
    calls: byName("single"),
    script: tldScript,
  },
  {
    id: "no-tld-query-underscore",
    kind: 6,
    what: "the no_tld_query spelling, two search domains",
    conf: "search a.example b.example\noptions no_tld_query timeout:1 attempts:2\n",
    calls: [["gethostbyname", "single"], ["getaddrinfo", "single", null, 0, SOCK_STREAM]],
    script: tldScript,
  },
  {
    id: "no-tld-query-no-search",
    kind: 6,
    what: "options no-tld-query without a search list: the bare name is asked after all",
    conf: "options no-tld-query timeout:1 attempts:2\n",
    calls: [["gethostbyname", "single"], ["getaddrinfo", "single", null, 0, SOCK_STREAM]],
    script: tldScript,
  },
  {
    id: "tld-query-control",
    kind: 6,
    what: "the same search list without the option: the bare name answers",
    conf: "search search.example\n" + OPTIONS,
    calls: [["gethostbyname", "single"], ["getaddrinfo", "single", null, 0, SOCK_STREAM]],
    script: tldScript,
  },
];

// --- 7: no-aaaa with AF_INET6 -------------------------------------------------------------

const NO_AAAA: Scenario[] = [
  {
    id: "no-aaaa-inet6",
    kind: 7,
    what: "options no-aaaa: getaddrinfo AF_INET6 for a name that does not exist and for one that does",
    conf: "options no-aaaa timeout:1 attempts:2\n",
    calls: [
      ["getaddrinfo", "nx.example", null, AF_INET6, SOCK_STREAM],
      ["getaddrinfo", "x.example", null, AF_INET6, SOCK_STREAM],
      ["getaddrinfo", "x.example", null, 0, SOCK_STREAM],
      ["getaddrinfo", "nx.example", null, 0, SOCK_STREAM],
    ],
    script: (q) => (q.name.startsWith("nx") ? reply(q, { rcode: NXDOMAIN }) : normal(q, ["192.0.2.1"], ["2001:db8::1"])),
  },
  {
    id: "no-aaaa-inet6-search",
    kind: 7,
    what: "options no-aaaa with a search list: AF_INET6 for a name whose candidates do not exist",
    conf: "search search.example\noptions no-aaaa timeout:1 attempts:2\n",
    calls: [["getaddrinfo", "nx", null, AF_INET6, SOCK_STREAM], ["getaddrinfo", "nx.example", null, AF_INET6, SOCK_STREAM]],
    script: (q) => reply(q, { rcode: NXDOMAIN }),
  },
];

// --- 8: backslash escapes -----------------------------------------------------------------------

const ESCAPES: Scenario[] = [
  {
    id: "escape-decimal",
    kind: 8,
    what: "\\065bc.example: the query is Abc.example, so is the canonical name",
    conf: OPTIONS,
    calls: [
      ["getaddrinfo", "\\065bc.example", null, 0, SOCK_STREAM, 0, AI_CANONNAME],
      ["getaddrinfo", "\\065bc.example", null, AF_INET, SOCK_STREAM, 0, AI_CANONNAME],
      ["gethostbyname_ex", "\\065bc.example"],
      ["gethostbyname", "\\065bc.example"],
    ],
    script: (q) => normal(q, ["192.0.2.1"], ["2001:db8::1"]),
  },
  {
    id: "escape-letter",
    kind: 8,
    what: "\\x\\-y.example: escaped letters and a hyphen",
    conf: OPTIONS,
    calls: [["getaddrinfo", "\\x\\-y.example", null, 0, SOCK_STREAM, 0, AI_CANONNAME], ["gethostbyname_ex", "\\x\\-y.example"]],
    script: (q) => normal(q, ["192.0.2.1"], ["2001:db8::1"]),
  },
  {
    id: "escape-dot",
    kind: 8,
    what: "a\\.b.example and a\\000b.example (already matching)",
    conf: OPTIONS,
    calls: [["getaddrinfo", "a\\.b.example", null, 0, SOCK_STREAM, 0, AI_CANONNAME], ["gethostbyname_ex", "a\\000b.example"]],
    script: (q) => normal(q, ["192.0.2.1"], ["2001:db8::1"]),
  },
];

// --- 9: the IDNA BiDi rule ------------------------------------------------------------------------

const BIDI: Scenario[] = [
  {
    id: "bidi",
    kind: 9,
    what: "right-to-left labels that break RFC 3454's BiDi rules (a digit last, a digit first, a Latin letter inside) and one that keeps them",
    conf: OPTIONS,
    calls: [
      ["getaddrinfo", "שם1.example", null, 0, SOCK_STREAM],
      ["gethostbyname", "שם1.example"],
      ["getaddrinfo", "1שם.example", null, 0, SOCK_STREAM],
      ["getaddrinfo", "שaם.example", null, 0, SOCK_STREAM],
      ["getaddrinfo", "ש1ם.example", null, 0, SOCK_STREAM],
    ],
    script: (q) => normal(q, ["192.0.2.1"], ["2001:db8::1"]),
  },
  {
    id: "bidi-more",
    kind: 9,
    what: "an Arabic label ending in an Arabic-Indic digit, Hebrew labels with points inside and at the end (a mark), right-to-left and Latin labels side by side, and gethostbyname_ex",
    conf: OPTIONS,
    calls: [
      ["getaddrinfo", "مثال١.example", null, 0, SOCK_STREAM],
      ["getaddrinfo", "שָׁם.example", null, 0, SOCK_STREAM],
      ["getaddrinfo", "שםְ.example", null, 0, SOCK_STREAM],
      ["getaddrinfo", "שם.latin.example", null, 0, SOCK_STREAM],
      ["gethostbyname_ex", "שם1.example"],
      ["getaddrinfo", "مثال.example", null, AF_INET, SOCK_STREAM],
    ],
    script: (q) => normal(q, ["192.0.2.1"], ["2001:db8::1"]),
  },
];

export const SCENARIOS: Scenario[] = [...MALFORMED, ...EDNS, ...FORMERR_EDNS, ...SORTLIST, ...BUFFER, ...NO_TLD, ...NO_AAAA, ...ESCAPES, ...BIDI];

/** resolv.conf of a scenario: its nameserver lines (given addresses, in order), then the rest. */
export function resolvConf(s: Scenario, addresses: string[]): string {
  return addresses.map((x) => `nameserver ${x}\n`).join("") + s.conf;
}

export const SERVER_ADDRESSES = ["127.0.0.1", "127.0.0.2", "127.0.0.3"];
