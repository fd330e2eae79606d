import { expect } from "chai";
import { parseResolvConf } from "../../src/files/resolvconf.js";
import type { ResolvConf } from "../../src/files/resolvconf.js";
import { golden, type GoldenResolverState } from "./golden.js";

/** The flags res_init keeps in _res.options, by ResolvConf field. */
const FLAGS = ["rotate", "edns0", "singleRequest", "singleRequestReopen", "useVc", "noTldQuery", "noReload", "trustAd", "noAaaa"] as const;

/**
 * A ResolvConf as _res shows it: timeout in seconds, and the scope as the
 * numeric id glibc resolved it to inside the golden run's namespace (only
 * `lo` exists there, as interface 1; other names resolve to 0).
 */
function asResState(conf: ResolvConf): GoldenResolverState {
  const scopeId = (scope: string | undefined) => (scope === undefined ? 0 : scope === "lo" ? 1 : /^\d+$/.test(scope) ? Number(scope) : 0);
  const state: GoldenResolverState = {
    nameservers: conf.nameservers.map((ns) =>
      ns.family === 4 ? { address: ns.address, port: ns.port } : { address: ns.address, port: ns.port, scopeId: scopeId(ns.scope) }),
    search: conf.search,
    ndots: conf.ndots,
    timeout: conf.timeout / 1000,
    attempts: conf.attempts,
  };
  for (const flag of FLAGS) state[flag] = conf[flag] === true;
  return state;
}

describe("parseResolvConf", () => {
  it("defaults: 127.0.0.1, ndots 1, 5 s, 2 attempts, no flags", () => {
    expect(parseResolvConf("")).to.deep.equal({
      nameservers: [{ address: "127.0.0.1", port: 53, family: 4 }],
      search: [],
      ndots: 1,
      timeout: 5000,
      attempts: 2,
      rotate: false,
      edns0: false,
      singleRequest: false,
      singleRequestReopen: false,
      useVc: false,
      noAaaa: false,
      trustAd: false,
      noTldQuery: false,
      noReload: false,
      sortlist: [],
    });
  });

  const cases: [what: string, text: string, env: Record<string, string>, hostname: string | undefined, want: Partial<ResolvConf>][] = [
    ["IPv6 and scoped nameservers", "nameserver ::1\nnameserver fe80::1%eth0\nnameserver fe80::2%\n", {}, undefined, {
      nameservers: [
        { address: "::1", port: 53, family: 6 },
        { address: "fe80::1", port: 53, family: 6, scope: "eth0" },
        { address: "fe80::2", port: 53, family: 6 },
      ],
    }],
    ["the first three valid nameservers", "nameserver x\nnameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n", {}, undefined, {
      nameservers: ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map((address) => ({ address, port: 53, family: 4 as const })),
    }],
    ["the search list is not capped at 6 domains (glibc >= 2.26)", "search a b c d e f g h\n", {}, undefined, {
      search: ["a", "b", "c", "d", "e", "f", "g", "h"],
    }],
    ["nor at 256 characters", `search ${"x".repeat(200)}.one ${"y".repeat(200)}.two\n`, {}, undefined, {
      search: [`${"x".repeat(200)}.one`, `${"y".repeat(200)}.two`],
    }],
    ["the hostname's domain when there is no search list", "", {}, "host.example.com", { search: ["example.com"] }],
    ["no hostname, no domain", "", {}, undefined, { search: [] }],
    ["RES_OPTIONS after the file", "options ndots:2 attempts:1\n", { RES_OPTIONS: "ndots:4" }, undefined, { ndots: 4, attempts: 1 }],
    ["timeout in milliseconds, capped at 30 s", "options timeout:45\n", {}, undefined, { timeout: 30000 }],
    ["no-reload is kept for EtcTables", "options no-reload\n", {}, undefined, { noReload: true }],
    ["sortlist: masks after / or &, class masks for bare or unparsable ones, lines add up", "sortlist 192.0.2.0/255.255.255.0 10.1.0.0&255.255.0.0\nsortlist 172.16.0.0 198.51.100.0/junk 127.1\n", {}, undefined, {
      sortlist: [
        { address: 0xc0000200, mask: 0xffffff00 },
        { address: 0x0a010000, mask: 0xffff0000 },
        { address: 0xac100000, mask: 0xffff0000 },
        { address: 0xc6336400, mask: 0xffffff00 },
        { address: 0x7f000001, mask: 0xff000000 },
      ],
    }],
    ["sortlist: a ; ends the line, unparsable addresses are skipped", "sortlist x 192.0.2.0;203.0.113.0\n", {}, undefined, { sortlist: [{ address: 0xc0000200, mask: 0xffffff00 }] }],
    ["sortlist: an unparsable address before a mask ends nothing (glibc loops for ever there)", "sortlist bad/255.0.0.0 10.0.0.0\n", {}, undefined, {
      sortlist: [{ address: 0xff000000, mask: 0xffffff00 }, { address: 0x0a000000, mask: 0xff000000 }],
    }],
  ];
  for (const [what, text, env, hostname, want] of cases) {
    it(what, () => {
      const conf = parseResolvConf(text, env, hostname);
      for (const [key, value] of Object.entries(want)) expect(conf[key as keyof ResolvConf], key).to.deep.equal(value);
    });
  }

  describe("against glibc 2.36's res_init (fixtures/golden/tables.json)", () => {
    for (const c of golden.resolv) {
      const env = Object.keys(c.env).length === 0 ? "" : ` ${JSON.stringify(c.env)}`;
      it(`${JSON.stringify(c.text)}${env} on host ${c.hostname}`, () => {
        expect(asResState(parseResolvConf(c.text, c.env, c.hostname))).to.deep.equal(c.state);
      });
    }
  });
});
