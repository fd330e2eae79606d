import { expect } from "chai";
import fc from "fast-check";
import { Buffer } from "node:buffer";
import { AF_INET, AF_INET6 } from "../src/constants.js";
import { SocketError } from "../src/errors.js";
import {
  formatIPv6, inet_aton, inet_ntoa, inet_ntop, inet_pton,
  parseInetAton, parseInetAtonExact, parseIPv4, parseIPv6,
} from "../src/inet.js";

const RUNS = { numRuns: 1000 };

/** Eight 16-bit groups, zero half of the time so that runs of zeros (and "::") are common. */
const groupsArb = fc.array(
  fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 1, max: 0xffff })),
  { minLength: 8, maxLength: 8 },
);

function groupsToBytes(groups: number[]): Buffer {
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(g, 2 * i));
  return bytes;
}

/** How to spell an address: which zero run becomes "::", case and padding of each group, a dotted tail. */
const spellingArb = fc.record({
  run: fc.nat(),
  upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  width: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
  dottedTail: fc.boolean(),
});
type Spelling = typeof spellingArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * One of the many texts inet_pton(AF_INET6) accepts for `groups`: any run
 * of zero groups (even a single one) may become "::", groups may be padded
 * and upper-case, and the last 32 bits may be a dotted quad.
 */
function spellIPv6(groups: number[], how: Spelling): string {
  const runs: [start: number, end: number][] = [];
  for (let start = 0; start < 8; start++) {
    for (let end = start + 1; end <= 8 && groups[end - 1] === 0; end++) runs.push([start, end]);
  }
  const [runStart, runEnd] = how.run % (runs.length + 1) === runs.length ? [8, 8] : runs[how.run % (runs.length + 1)];
  const tail = how.dottedTail && runEnd <= 6;
  const text = (from: number, to: number): string[] => {
    const out: string[] = [];
    for (let g = from; g < to; g++) {
      if (tail && g >= 6) {
        const b = groupsToBytes(groups);
        out.push(`${b[12]}.${b[13]}.${b[14]}.${b[15]}`);
        break;
      }
      const digits = groups[g].toString(16).padStart(how.width[g], "0");
      out.push(how.upper[g] ? digits.toUpperCase() : digits);
    }
    return out;
  };
  if (runStart === 8) return text(0, 8).join(":");
  return `${text(0, runStart).join(":")}::${text(runEnd, 8).join(":")}`;
}

/** An inet_aton spelling of a number: decimal, octal or hex (either case, padded). */
const atonPartArb = (max: number) =>
  fc.tuple(fc.integer({ min: 0, max }), fc.constantFrom("dec", "oct", "hex", "HEX"), fc.integer({ min: 0, max: 3 }))
    .map(([value, base, zeros]): [number, string] => {
      const pad = "0".repeat(zeros);
      if (base === "dec") return [value, String(value)];
      if (base === "oct") return [value, `0${pad}${value.toString(8)}`];
      const x = base === "hex" ? "0x" : "0X";
      return [value, `${x}${pad}${base === "hex" ? value.toString(16) : value.toString(16).toUpperCase()}`];
    });

/** A 1- to 4-part inet_aton address and the 32-bit value it stands for. */
const atonArb = fc.integer({ min: 1, max: 4 }).chain((parts) =>
  fc.tuple(
    fc.array(atonPartArb(0xff), { minLength: parts - 1, maxLength: parts - 1 }),
    atonPartArb([0xffffffff, 0xffffff, 0xffff, 0xff][parts - 1]),
  ).map(([head, last]) => {
    const value = head.reduce((sum, [byte], i) => sum + byte * 2 ** (24 - 8 * i), 0) + last[0];
    return { text: [...head, last].map(([, text]) => text).join("."), value };
  }));

/** Strings from the characters addresses are made of, with some others (NUL, non-ASCII, lone surrogates). */
const addressishArb = fc.string({
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(..."0123456789abcdefABCDEFxX.:%") },
    { weight: 1, arbitrary: fc.constantFrom(" ", "\t", "\n", "\0", "\u00a0", "é", "\ud800", "\udc00", "😀") },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  ),
  maxLength: 48,
});

/** Valid addresses with a few random edits. */
const mutatedArb = fc.tuple(
  fc.oneof(
    fc.tuple(groupsArb, spellingArb).map(([groups, how]) => spellIPv6(groups, how)),
    atonArb.map((a) => a.text),
  ),
  fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "insert", "replace"), fc.constantFrom(..."0:.f9x %\0")), { maxLength: 3 }),
).map(([text, edits]) => edits.reduce((s, [at, op, ch]) => {
  const i = at % (s.length + 1);
  if (op === "insert") return s.slice(0, i) + ch + s.slice(i);
  return s.slice(0, i) + (op === "replace" ? ch : "") + s.slice(i + 1);
}, text));

const anyTextArb = fc.oneof(addressishArb, mutatedArb, fc.string({ unit: "binary", maxLength: 24 }));

/** The only errors a string may get from inet_aton/inet_pton (see API.md). */
function expectDocumentedError(call: () => unknown, fn: "inet_aton" | "inet_pton"): void {
  try {
    call();
  } catch (e) {
    if (e instanceof SocketError) {
      expect(e.message).to.equal(`illegal IP address string passed to ${fn}`);
    } else {
      expect(e).to.be.instanceOf(RangeError);
      expect((e as RangeError).message).to.match(/^(embedded null character|'utf-8' codec can't encode characters? .*: surrogates not allowed)$/);
    }
  }
}

describe("inet properties", () => {
  it("inet_ntop(inet_pton(x)) is x for the text inet_ntop prints", () => {
    fc.assert(fc.property(groupsArb, (groups) => {
      const canonical = inet_ntop(AF_INET6, groupsToBytes(groups));
      expect(inet_ntop(AF_INET6, inet_pton(AF_INET6, canonical))).to.equal(canonical);
    }), RUNS);
  });

  it("every spelling of an IPv6 address parses to its bytes and prints canonically", () => {
    fc.assert(fc.property(groupsArb, spellingArb, (groups, how) => {
      const bytes = groupsToBytes(groups);
      const text = spellIPv6(groups, how);
      expect(inet_pton(AF_INET6, text), text).to.deep.equal(bytes);
      expect(inet_ntop(AF_INET6, inet_pton(AF_INET6, text))).to.equal(formatIPv6(bytes));
    }), RUNS);
  });

  it("random 4- and 16-byte strings round-trip through inet_ntop and inet_pton", () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 })), (bytes) => {
      const family = bytes.length === 4 ? AF_INET : AF_INET6;
      expect(inet_pton(family, inet_ntop(family, bytes))).to.deep.equal(Buffer.from(bytes));
    }), RUNS);
  });

  it("inet_ntoa and inet_aton invert each other on 4 bytes, and agree with inet_ntop", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) => {
      const text = inet_ntoa(bytes);
      expect(text).to.equal(inet_ntop(AF_INET, bytes));
      expect(inet_aton(text)).to.deep.equal(Buffer.from(bytes));
    }), RUNS);
  });

  it("inet_aton reads 1-4 parts in any base as the number they spell", () => {
    fc.assert(fc.property(atonArb, fc.constantFrom("", " junk", "\tx", "\n"), ({ text, value }, suffix) => {
      const want = Buffer.alloc(4);
      want.writeUInt32BE(value);
      expect(inet_aton(text + suffix), text + suffix).to.deep.equal(want);
      expect(parseInetAtonExact(text + suffix)).to.deep.equal(suffix === "" ? new Uint8Array(want) : null);
    }), RUNS);
  });

  it("random and mutated strings get a result or a documented error, never anything else", () => {
    fc.assert(fc.property(anyTextArb, (s) => {
      expectDocumentedError(() => inet_aton(s), "inet_aton");
      expectDocumentedError(() => inet_pton(AF_INET, s), "inet_pton");
      expectDocumentedError(() => inet_pton(AF_INET6, s), "inet_pton");
    }), { numRuns: 2000 });
  });

  it("the helpers agree with the public functions on what C would see", () => {
    fc.assert(fc.property(anyTextArb, (s) => {
      // The public functions refuse a NUL; glibc, and so the helpers, stop there.
      const c = s.split("\0")[0];
      const agree = (helper: Uint8Array | null, pub: () => Buffer) => {
        let expected: Uint8Array | null = null;
        try {
          expected = new Uint8Array(pub());
        } catch (e) {
          if (!(e instanceof SocketError || e instanceof RangeError)) throw e;
        }
        if (expected !== null || !/[\ud800-\udfff]/.test(c)) expect(helper, JSON.stringify(s)).to.deep.equal(expected);
      };
      agree(parseInetAton(s), () => inet_aton(c));
      agree(parseIPv4(s), () => inet_pton(AF_INET, c));
      agree(parseIPv6(s), () => inet_pton(AF_INET6, c));
    }), { numRuns: 2000 });
  });
});
