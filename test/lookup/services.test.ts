import { expect } from "chai";
import { SocketError } from "../../src/errors.js";
import { EtcTables } from "../../src/files/source.js";
import { getprotobyname, getprotobynumber, getservbyname, getservbyport } from "../../src/lookup/services.js";
import { expected, golden, outcome, readFixture, untag, type GoldenCase, type Outcome } from "../files/golden.js";

/** The lookups the golden file records, by Python name. */
function call(tables: EtcTables, c: GoldenCase): Outcome {
  const args = c.args.map(untag) as never[];
  switch (c.call) {
    case "getservbyname":
      return outcome(() => (getservbyname as (...a: unknown[]) => number)(tables, ...args));
    case "getservbyport":
      return outcome(() => (getservbyport as (...a: unknown[]) => string)(tables, ...args));
    case "getprotobyname":
      return outcome(() => (getprotobyname as (...a: unknown[]) => number)(tables, ...args));
    default:
      throw new Error(`not a table lookup: ${c.call}`);
  }
}

const LOOKUPS = new Set(["getservbyname", "getservbyport", "getprotobyname"]);

/** Tables over a golden set's files, given as texts. */
function tablesFor(files: Partial<Record<string, string>>): EtcTables {
  return new EtcTables({
    files: { services: readFixture(files.services as string), protocols: readFixture(files.protocols as string) },
  });
}

describe("getservbyname, getservbyport, getprotobyname", () => {
  describe("the seed tour (Debian netbase, and the embedded defaults made from it)", () => {
    // The tour printed "imap" for 143 on its system; netbase 6.4 names the
    // port "imap2" with the alias "imap", and CPython here prints imap2.
    const byName: [name: string, port: number, portName: string][] = [
      ["http", 80, "http"], ["https", 443, "https"], ["ftp", 21, "ftp"], ["gopher", 70, "gopher"], ["smtp", 25, "smtp"],
      ["imap", 143, "imap2"], ["imaps", 993, "imaps"], ["pop3", 110, "pop3"], ["pop3s", 995, "pop3s"],
    ];
    const protocols: [string, number][] = [["icmp", 1], ["udp", 17], ["tcp", 6]];
    const sources: [string, EtcTables][] = [
      ["netbase files", tablesFor({ services: "fixtures/netbase/services", protocols: "fixtures/netbase/protocols" })],
      ["embedded defaults", new EtcTables({ files: {} })],
    ];
    for (const [source, tables] of sources) {
      for (const [name, port, portName] of byName) {
        it(`${source}: getservbyname(${JSON.stringify(name)}) → ${port}, getservbyport(${port}) → ${JSON.stringify(portName)}`, () => {
          expect(getservbyname(tables, name)).to.equal(port);
          expect(getservbyport(tables, port)).to.equal(portName);
        });
      }
      for (const [name, number] of protocols) {
        it(`${source}: getprotobyname(${JSON.stringify(name)}) → ${number}`, () => {
          expect(getprotobyname(tables, name)).to.equal(number);
          expect(getprotobynumber(tables, number)).to.equal(name);
        });
      }
    }
  });

  describe("CPython 3.11 on glibc 2.36, case by case (fixtures/golden/tables.json)", () => {
    for (const set of golden.sets) {
      const cases = set.cases.filter((c) => LOOKUPS.has(c.call));
      for (const fn of LOOKUPS) {
        const ofFn = cases.filter((c) => c.call === fn);
        it(`${set.name}: ${fn} agrees on all ${ofFn.length} cases`, () => {
          const tables = tablesFor(set.files);
          const wrong = ofFn
            .map((c) => ({ args: c.args.map(untag), want: expected(c), got: call(tables, c) }))
            .filter(({ want, got }) => JSON.stringify(want) !== JSON.stringify(got));
          expect(wrong, JSON.stringify(wrong.slice(0, 5), null, 1)).to.deep.equal([]);
        });
      }
    }

    it("records enough cases, the seed's among them", () => {
      const all = golden.sets.flatMap((s) => s.cases.filter((c) => LOOKUPS.has(c.call)));
      expect(all.length).to.be.at.least(150);
      const netbase = golden.sets.find((s) => s.name === "netbase") as (typeof golden.sets)[number];
      const recorded = new Set(netbase.cases.map((c) => `${c.call}(${c.args.map((a) => JSON.stringify(untag(a))).join(",")})`));
      for (const name of ["http", "https", "ftp", "gopher", "smtp", "imap", "imaps", "pop3", "pop3s"]) {
        expect(recorded).to.include(`getservbyname(${JSON.stringify(name)})`);
      }
      for (const port of [80, 443, 21, 70, 25, 143, 993, 110, 995]) expect(recorded).to.include(`getservbyport(${port})`);
      for (const name of ["icmp", "udp", "tcp"]) expect(recorded).to.include(`getprotobyname(${JSON.stringify(name)})`);
    });
  });

  describe("errors", () => {
    const tables = tablesFor({ services: "fixtures/netbase/services", protocols: "fixtures/netbase/protocols" });

    it("a miss is a SocketError without errno, with CPython's text", () => {
      for (const [fn, text] of [
        [() => getservbyname(tables, "nosuch"), "service/proto not found"],
        [() => getservbyname(tables, "http", "tcpx"), "service/proto not found"],
        [() => getservbyport(tables, 1023), "port/proto not found"],
        [() => getprotobyname(tables, "nosuch"), "protocol not found"],
        [() => getprotobynumber(tables, 200), "protocol not found"],
      ] as [() => unknown, string][]) {
        let error: unknown;
        try {
          fn();
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(SocketError);
        expect((error as SocketError).message).to.equal(text);
        expect((error as SocketError).errno).to.equal(undefined);
      }
    });

    it("getservbyport checks the port's range after the protocol's type, as CPython", () => {
      expect(() => getservbyport(tables, 65536)).to.throw(RangeError, "getservbyport: port must be 0-65535.");
      expect(() => getservbyport(tables, -1)).to.throw(RangeError, "getservbyport: port must be 0-65535.");
      expect(() => getservbyport(tables, 70000, 6 as never)).to.throw(TypeError, "getservbyport() argument 2 must be str, not int");
    });

    it("getprotobynumber takes C ints only", () => {
      expect(() => getprotobynumber(tables, 1.5)).to.throw(TypeError, "'float' object cannot be interpreted as an integer");
      expect(() => getprotobynumber(tables, 2 ** 31)).to.throw(RangeError, "signed integer is greater than maximum");
      expect(getprotobynumber(tables, 0)).to.equal("ip");
    });
  });
});
