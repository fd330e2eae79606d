/**
 * Fuzz cases for the /etc parsers: files of plausible and broken lines
 * for each format, then character-level damage (NULs, control characters,
 * CR, stray brackets and separators, non-ASCII, huge tokens and numbers,
 * duplicated and cut lines). Every parser must read any of it without
 * throwing, and what it returns must still be well-formed.
 */
import { Random } from "./random.js";

/** The files the parsers read. */
export type EtcKind = "hosts" | "services" | "protocols" | "resolv.conf" | "nsswitch.conf" | "hostname" | "gai.conf" | "host.conf";

const WORDS = ["localhost", "www", "example.test", "a-b", "UPPER", "x_y", "ünïcode", "xn--bcher-kva", "#", "#comment", "[", "]", "=", "!", ":", "/", "%eth0", "..", "-", ""];
const NUMBERS = ["0", "1", "80", "65535", "65536", "65616", "4294967295", "4294967296", "99999999999999999999", "-1", "-0", "+6", "0x50", "0120", "08", "1e3", "NaN", "", " "];
const ADDRESSES = ["127.0.0.1", "::1", "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0", "127.1", "01.2.3.4", "1.2.3.4.5", "256.1.1.1", "::", "1::2::3", "0x7f.1", ""];
const PROTOS = ["tcp", "udp", "TCP", "sctp", "", "tcp/udp"];
const STATUSES = ["SUCCESS", "NOTFOUND", "UNAVAIL", "TRYAGAIN", "notfound", "!UNAVAIL", "MAYBE", ""];
const ACTIONS = ["return", "continue", "merge", "RETURN", "maybe", ""];
const OPTIONS = ["ndots:1", "ndots:15", "ndots:-1", "ndots:3x", "timeout:0", "timeout:30", "timeout:99999999999", "attempts:5", "attempts:-2", "rotate", "rotatefoo", "edns0", "single-request", "single-request-reopen", "use-vc", "no-aaaa", "trust-ad", "no-tld-query", "no-reload", "inet6", "debug", "ndots:"];
const JUNK = ["\0", "\t", "\r", "\v", "\f", " ", "#", "[", "]", "=", "!", ":", "/", "%", "\\", "\u00a0", "\u2028", "é", "😀", "\n", "\n\n"];

function words(r: Random, pool: readonly string[], n: number): string {
  return Array.from({ length: n }, () => r.pick(pool)).join(r.pick([" ", "\t", "  ", " \t "]));
}

const LINE: Record<EtcKind, (r: Random) => string> = {
  hosts: (r) => `${r.pick(ADDRESSES)} ${words(r, WORDS, r.int(5))}`,
  services: (r) => `${r.pick(WORDS)} ${r.pick(NUMBERS)}${r.pick(["/", "//", " /", ""])}${r.pick(PROTOS)} ${words(r, WORDS, r.int(3))}`,
  protocols: (r) => `${r.pick(WORDS)} ${r.pick(NUMBERS)} ${words(r, WORDS, r.int(3))}`,
  "resolv.conf": (r) =>
    r.pick([
      () => `nameserver ${r.pick(ADDRESSES)}`,
      () => `search ${words(r, WORDS, r.int(8))}`,
      () => `domain ${r.pick(WORDS)}`,
      () => `options ${words(r, OPTIONS, r.int(5))}`,
      () => `sortlist ${r.pick(ADDRESSES)}/${r.pick(ADDRESSES)}`,
      () => `${r.pick(WORDS)} ${r.pick(WORDS)}`,
    ])(),
  "nsswitch.conf": (r) => {
    const sources = Array.from({ length: r.int(5) }, () =>
      r.chance(0.3) ? `[${words(r, STATUSES.map((s) => `${s}=${r.pick(ACTIONS)}`), r.int(3))}]` : r.pick(["files", "dns", "myhostname", "mdns4_minimal", "nosuchmodule", "[", "]"]),
    );
    return `${r.pick(["hosts", "hosts:", " hosts:", "passwd:", "HOSTS:", "networks:"])} ${sources.join(" ")}`;
  },
  hostname: (r) => words(r, WORDS, r.int(3)),
  "gai.conf": (r) =>
    `${r.pick(["label", "precedence", "scopev4", "reload", "bogus"])} ${r.pick(ADDRESSES)}/${r.pick(["0", "96", "128", "129", "-1", "x", ""])} ${r.pick(NUMBERS)}`,
  "host.conf": (r) => `${r.pick(["multi", "reorder", "trim", "order", "spoof", "nospoof", "MULTI", "bogus"])} ${r.pick(["on", "off", "ON", "yes", "", ".example.test", "hosts,bind", "warn"])}`,
};

/** A file of `kind` for case `index` of the run seeded `seed`, and how many times it was damaged. */
export function etcText(kind: EtcKind, seed: number, index: number): { text: string; r: Random; damage: number } {
  const r = Random.forCase(seed, index);
  const lines = Array.from({ length: r.int(30) }, () => LINE[kind](r));
  let text = lines.join(r.pick(["\n", "\n", "\r\n"])) + (r.chance(0.7) ? "\n" : "");
  let damage = r.pick([0, 0, 1, 2, 5, 20]);
  for (let n = damage; n > 0; n--) {
    const at = r.int(text.length + 1);
    text = r.pick([
      () => text.slice(0, at) + r.pick(JUNK) + text.slice(at),
      () => text.slice(0, at) + text.slice(at + r.between(1, 10)),
      () => text.slice(0, at) + String.fromCharCode(r.int(0x10000)) + text.slice(at),
      () => text + text.slice(at),
    ])();
  }
  if (r.chance(0.002)) {
    text += `${LINE[kind](r)}${"x".repeat(r.pick([10_000, 300_000]))}\n`;
    damage++;
  }
  if (r.chance(0.002)) text += Array.from({ length: 5000 }, () => LINE[kind](r)).join("\n");
  return { text, r, damage };
}
