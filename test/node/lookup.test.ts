import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLookup, type AddrInfoSource } from "../../src/node/lookup.js";

/** A getaddrinfo that must not be reached. */
const unreachable = (): AddrInfoSource => {
  throw new Error("getaddrinfo must not be called");
};

function call(lookup: (...args: unknown[]) => unknown, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve) => lookup(...args, (...result: unknown[]) => resolve(result)));
}

describe("node/lookup: dns.lookup's shortcuts and callbacks", () => {
  const lookup = createLookup(unreachable) as unknown as (...args: unknown[]) => unknown;

  it("answers an IP address with itself, without a lookup", async () => {
    expect(await call(lookup, "192.0.2.1")).to.deep.equal([null, "192.0.2.1", 4]);
    expect(await call(lookup, "::1", { all: true })).to.deep.equal([null, [{ address: "::1", family: 6 }]]);
    // A family that does not fit is not checked, as in node:dns.
    expect(await call(lookup, "192.0.2.1", 6)).to.deep.equal([null, "192.0.2.1", 4]);
    expect(await call(lookup, "fe80::1%eth0")).to.deep.equal([null, "fe80::1%eth0", 6]);
  });

  it("answers an empty name with null (family 4, or 6 if asked)", async () => {
    // The DEP0118 warning is checked below; keep it off the test output here.
    const quiet = process.noDeprecation;
    process.noDeprecation = true;
    try {
      expect(await call(lookup, "")).to.deep.equal([null, null, 4]);
      expect(await call(lookup, null, 6)).to.deep.equal([null, null, 6]);
      expect(await call(lookup, "", { all: true })).to.deep.equal([null, []]);
    } finally {
      process.noDeprecation = quiet;
    }
  });

  it("warns DEP0118 for the empty name once per process, as node:dns", () => {
    const script = fileURLToPath(new URL("./support/empty-name-warning.ts", import.meta.url));
    const run = (which: string): string[] => JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script, which], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as string[];
    const expected = run("node");
    expect(expected).to.have.length(1);
    expect(run("netdb")).to.deep.equal(expected);
  });

  it("calls back asynchronously, also for shortcuts", () => {
    let called = false;
    lookup("192.0.2.1", () => (called = true));
    expect(called).to.equal(false);
  });

  it("hands a failure of the resolver itself to the callback, not to the caller", async () => {
    const failing = createLookup(() => {
      throw new Error("no resolver");
    }) as unknown as (...args: unknown[]) => unknown;
    const [err] = await call(failing, "name.test");
    expect(err).to.be.instanceOf(Error).with.property("message", "no resolver");
  });

  it("orders families as asked, and reports no address at all as ENOTFOUND (EAI_NODATA)", async () => {
    const tuples = [
      [10, 1, 6, "", ["2001:db8::1", 0, 0, 0]],
      [2, 1, 6, "", ["192.0.2.1", 0]],
      [10, 1, 6, "", ["2001:db8::2", 0, 0, 0]],
    ] as Awaited<ReturnType<AddrInfoSource["getaddrinfo"]>>;
    const fixed = createLookup(() => ({ getaddrinfo: () => Promise.resolve(tuples) })) as unknown as (...args: unknown[]) => unknown;
    const addresses = (list: unknown): string[] => (list as Array<{ address: string }>).map((a) => a.address);
    expect(addresses((await call(fixed, "x.test", { all: true }))[1])).to.deep.equal(["2001:db8::1", "192.0.2.1", "2001:db8::2"]);
    expect(addresses((await call(fixed, "x.test", { all: true, order: "ipv4first" }))[1])).to.deep.equal(["192.0.2.1", "2001:db8::1", "2001:db8::2"]);
    expect(addresses((await call(fixed, "x.test", { all: true, verbatim: false }))[1])).to.deep.equal(["192.0.2.1", "2001:db8::1", "2001:db8::2"]);
    expect(await call(fixed, "x.test", { order: "ipv4first" })).to.deep.equal([null, "192.0.2.1", 4]);

    const none = createLookup(() => ({ getaddrinfo: () => Promise.resolve([]) })) as unknown as (...args: unknown[]) => unknown;
    const [err] = await call(none, "x.test");
    expect(err).to.include({ code: "ENOTFOUND", errno: -3007, syscall: "getaddrinfo", hostname: "x.test" });
  });
});
