import { expect } from "chai";
import { inet4Address, parseHosts, type HostsTable } from "../../src/files/hosts.js";
import type { HostEntry } from "../../src/files/hosts.js";
import { expected, golden, readFixture, untag, type Outcome } from "./golden.js";

const entry = (address: string, canonical: string, ...aliases: string[]): HostEntry => ({
  address, family: address.includes(":") ? 6 : 4, canonical, aliases,
});

describe("parseHosts", () => {
  const cases: [what: string, text: string, entries: HostEntry[]][] = [
    ["IPv4 and IPv6 lines", "127.0.0.1 localhost\n::1 localhost ip6-localhost\n",
      [entry("127.0.0.1", "localhost"), entry("::1", "localhost", "ip6-localhost")]],
    ["addresses in canonical text", "2001:DB8:0:0::1 a\n::FFFF:1.2.3.4 b\n",
      [entry("2001:db8::1", "a"), entry("::ffff:1.2.3.4", "b")]],
    ["inet_pton is strict: short, zero-led and scoped addresses are ignored",
      "127.1 a\n01.2.3.4 b\nfe80::1%eth0 c\n1.2.3.4.5 d\n256.0.0.1 e\n", []],
    ["tabs, CRs and comments", "\t1.2.3.4\ta\tb # c\r\n5.6.7.8 x#y\n",
      [entry("1.2.3.4", "a", "b"), entry("5.6.7.8", "x")]],
    ["an address alone keeps an empty name", "1.2.3.4\n", [entry("1.2.3.4", "")]],
    ["a line without an address is ignored", "localhost\n# 1.2.3.4 x\n", []],
    // Checked against glibc 2.36: gethostbyname_ex("h") → ('h', ['1.2.3.4', 'h'], ...).
    ["an indented last line without newline repeats its tail", "          1.2.3.4 h",
      [entry("1.2.3.4", "h", "1.2.3.4", "h")]],
  ];
  for (const [what, text, entries] of cases) {
    it(what, () => expect(parseHosts(text).entries).to.deep.equal(entries));
  }

  describe("byName", () => {
    const table = parseHosts(readFixture("fixtures/etc/hostile/hosts"));
    const names = (list: HostEntry[]) => list.map((e) => `${e.address} ${e.canonical}`);

    it("matches canonical names and aliases in file order, both families", () => {
      expect(names(table.byName("UPPER"))).to.deep.equal(["1.2.3.4 Lead", "::1 loop6", "10.0.0.1 UPPER"]);
    });
    it("folds ASCII case only, as strcasecmp in glibc's locales", () => {
      expect(names(table.byName("lEaD"))).to.deep.equal(["1.2.3.4 Lead"]);
      const accented = parseHosts("10.0.0.9 Éclair\n");
      expect(names(accented.byName("ÉCLAIR"))).to.deep.equal(["10.0.0.9 Éclair"]);
      expect(names(accented.byName("éclair"))).to.deep.equal([]);
    });
    it("lists a line once even when it names the name twice", () => {
      expect(names(parseHosts("1.2.3.4 a A a\n").byName("a"))).to.deep.equal(["1.2.3.4 a"]);
    });
    it("finds nothing for unknown names, and returns a fresh array each time", () => {
      expect(table.byName("nosuch")).to.deep.equal([]);
      table.byName("dup").pop();
      expect(table.byName("dup")).to.have.length(2);
    });
  });

  describe("byAddress, as glibc's gethostbyaddr matches", () => {
    const table = parseHosts("::1 six\n127.0.0.1 four\n::ffff:5.6.7.8 mapped\n5.6.7.8 plain\n2001:db8::1 v6\n");
    const cases: [query: string, canonicals: string[]][] = [
      ["127.0.0.1", ["six", "four"]], // a ::1 line answers for 127.0.0.1, in file order
      ["::1", ["six"]],
      ["5.6.7.8", ["mapped", "plain"]],
      ["::ffff:5.6.7.8", ["mapped"]], // IPv4 lines are not mapped for IPv6 queries
      ["2001:DB8:0::1", ["v6"]], // any spelling of the address
      ["127.1", []], // not an inet_pton address
      ["nonsense", []],
    ];
    for (const [query, canonicals] of cases) {
      it(`${query} → ${JSON.stringify(canonicals)}`, () => {
        expect(table.byAddress(query).map((e) => e.canonical)).to.deep.equal(canonicals);
      });
    }
  });

  describe("inet4Address", () => {
    const cases: [address: string, v4: string | undefined][] = [
      ["1.2.3.4", "1.2.3.4"], ["::ffff:1.2.3.4", "1.2.3.4"], ["::1", "127.0.0.1"],
      ["::1.2.3.4", undefined], ["::", undefined], ["2001:db8::1", undefined], ["::ffff:0:0:1", undefined],
    ];
    for (const [address, v4] of cases) {
      it(`${address} → ${v4}`, () => expect(inet4Address(parseHosts(`${address} x`).entries[0])).to.equal(v4));
    }
  });
});

/**
 * What CPython's gethostbyname_ex and gethostbyaddr return for a hosts file
 * with `hosts: files` and `multi on`, composed from the table the way glibc
 * composes it: for gethostbyname_ex, every line with an IPv4 view, the
 * first line's names, then each later line's aliases and (if different)
 * its canonical name; for gethostbyaddr, the first matching line.
 */
function pythonView(table: HostsTable, call: string, arg: string): Outcome {
  if (call === "gethostbyname_ex") {
    const lines = table.byName(arg).filter((e) => inet4Address(e) !== undefined);
    if (lines.length === 0) return { error: "SocketError", message: "not found" };
    const [first, ...rest] = lines;
    const aliases = [...first.aliases];
    for (const line of rest) aliases.push(...line.aliases, ...(line.canonical === first.canonical ? [] : [line.canonical]));
    return { result: [first.canonical, aliases, lines.map((e) => inet4Address(e))] };
  }
  const [first] = table.byAddress(arg);
  if (first === undefined) return { error: "SocketError", message: "not found" };
  return { result: [first.canonical, first.aliases, [arg]] };
}

describe("hosts against CPython 3.11 on glibc 2.36 (fixtures/golden/tables.json)", () => {
  for (const set of golden.sets.filter((s) => s.files.hosts !== undefined)) {
    for (const call of ["gethostbyname_ex", "gethostbyaddr"]) {
      const cases = set.cases.filter((c) => c.call === call);
      it(`${set.name}: ${call} agrees on all ${cases.length} cases`, () => {
        const table = parseHosts(readFixture(set.files.hosts as string));
        const wrong = cases
          .map((c) => {
            const want = expected(c);
            // Only "not found" matters for a miss; its text is the lookup layer's business.
            return { arg: untag(c.args[0]), want: "error" in want ? { error: want.error, message: "not found" } : want };
          })
          .map(({ arg, want }) => ({ arg, want, got: pythonView(table, call, arg as string) }))
          .filter(({ want, got }) => JSON.stringify(want) !== JSON.stringify(got));
        expect(wrong, JSON.stringify(wrong.slice(0, 5), null, 1)).to.deep.equal([]);
      });
    }
  }
});
