import { expect } from "chai";
import { HOST_NOT_FOUND, NO_RECOVERY, TRY_AGAIN } from "../../src/constants.js";
import { GaiError, HError, SocketError } from "../../src/errors.js";
import { parseHosts } from "../../src/files/hosts.js";
import { formatAddress } from "../../src/inet.js";
import { filesByAddr, filesByName3, filesByName4 } from "../../src/lookup/filessource.js";
import { getfqdn } from "../../src/lookup/fqdn.js";
import { digitsDots } from "../../src/lookup/gethostby.js";
import { gethostbyaddr } from "../../src/lookup/hostbyaddr.js";
import { gethostbyname, gethostbyname2, gethostbynameEx } from "../../src/lookup/hostbyname.js";
import { testContext } from "./support/context.js";
import { fakeDns } from "./support/fakedns.js";

const HOSTS = parseHosts([
  "127.0.0.1 localhost",
  "::1 localhost ip6-localhost ip6-loopback",
  "192.168.1.21 leela.hellfly.net leela",
  "192.168.1.22 leela.hellfly.net leela2",
  "192.168.1.20 Bender.Hellfly.NET BENDER",
  "192.168.1.99 other.hellfly.net bender",
  "::ffff:192.168.1.24 mapped.hellfly.net mapped",
  "2001:db8::23 zoidberg",
].join("\n"));

const show = (host: { name: string; aliases: string[]; addresses: Uint8Array[] } | undefined) =>
  host === undefined ? undefined : [host.name, host.aliases, host.addresses.map(formatAddress)];

describe("lookup/filessource: nss_files over the hosts table", () => {
  it("gethostbyname3 with multi merges every line of the family, canonical names of later lines as aliases", () => {
    expect(show(filesByName3(HOSTS, "leela.hellfly.net", 4, true).value)).to.deep.equal(["leela.hellfly.net", ["leela", "leela2"], ["192.168.1.21", "192.168.1.22"]]);
    expect(show(filesByName3(HOSTS, "bender", 4, true).value)).to.deep.equal(["Bender.Hellfly.NET", ["BENDER", "bender", "other.hellfly.net"], ["192.168.1.20", "192.168.1.99"]]);
  });

  it("gethostbyname3 without multi stops at the first line", () => {
    expect(show(filesByName3(HOSTS, "leela.hellfly.net", 4, false).value)).to.deep.equal(["leela.hellfly.net", ["leela"], ["192.168.1.21"]]);
  });

  it("an IPv4 lookup sees ::1 as 127.0.0.1 and a mapped line as IPv4; an IPv6 lookup skips IPv4 lines", () => {
    expect(show(filesByName3(HOSTS, "localhost", 4, true).value)).to.deep.equal(["localhost", ["ip6-localhost", "ip6-loopback"], ["127.0.0.1", "127.0.0.1"]]);
    expect(show(filesByName3(HOSTS, "mapped", 4, true).value)).to.deep.equal(["mapped.hellfly.net", ["mapped"], ["192.168.1.24"]]);
    expect(show(filesByName3(HOSTS, "localhost", 6, true).value)).to.deep.equal(["localhost", ["ip6-localhost", "ip6-loopback"], ["::1"]]);
    expect(filesByName3(HOSTS, "zoidberg", 4, true)).to.deep.equal({ status: "notfound", herrno: HOST_NOT_FOUND });
  });

  it("reaching the end of the file (multi) stores HOST_NOT_FOUND even on success, as glibc does", () => {
    expect(filesByName3(HOSTS, "leela", 4, true).herrno).to.equal(HOST_NOT_FOUND);
    expect(filesByName3(HOSTS, "leela", 4, false).herrno).to.equal(undefined);
  });

  it("gethostbyname4 keeps each line's family and names the first", () => {
    const tuples = filesByName4(HOSTS, "LOCALHOST", true).value!;
    expect(tuples.map((t) => [t.name, t.family, formatAddress(t.address)])).to.deep.equal([["localhost", 4, "127.0.0.1"], [undefined, 6, "::1"]]);
    expect(filesByName4(HOSTS, "localhost", false).value).to.have.length(1);
  });

  it("gethostbyaddr takes the first line with the address", () => {
    expect(show(filesByAddr(HOSTS, Uint8Array.of(127, 0, 0, 1), 4).value)).to.deep.equal(["localhost", [], ["127.0.0.1"]]);
    expect(show(filesByAddr(HOSTS, Uint8Array.of(192, 168, 1, 24), 4).value)).to.deep.equal(["mapped.hellfly.net", ["mapped"], ["192.168.1.24"]]);
  });
});

describe("lookup/gethostby: the digits-and-dots shortcut", () => {
  const cases: Array<[string, 4 | 6, unknown]> = [
    ["1.2.3", 4, ["1.2.3", [], ["1.2.0.3"]]],
    ["0177.0.0.1", 4, ["0177.0.0.1", [], ["127.0.0.1"]]],
    ["256.1.1.1", 4, "notfound"],
    ["1.2.3.4.5", 4, "notfound"],
    ["127.0.0.1.", 4, undefined],
    ["0x7f000001", 4, undefined],
    ["::1", 4, "notfound"],
    ["abc:1", 4, "notfound"],
    ["::1", 6, ["::1", [], ["::1"]]],
    [":::", 6, "notfound"],
    ["fe80::1%lo", 6, undefined],
    ["localhost", 4, undefined],
  ];
  for (const [name, family, expected] of cases) {
    it(`${name} (IPv${family})`, () => {
      const r = digitsDots(name, family);
      expect(r === undefined ? undefined : r.status === "success" ? show(r.host) : r.status).to.deep.equal(expected);
    });
  }
});

describe("lookup/hostbyname and hostbyaddr: CPython's functions", () => {
  const context = () => testContext({
    hosts: "127.0.0.1 localhost\n::1 localhost ip6-localhost\n192.168.1.8 homer.hellfly.net homer\n",
    nsswitch: "files dns",
    modules: {
      dns: fakeDns({
        "www.test": { a: ["192.0.2.1"], aaaa: ["2001:db8::1"] },
        "servfail.test": { status: "unavail", herrno: TRY_AGAIN },
      }),
    },
  });

  it("gethostbyname: the special names, numbers and names", async () => {
    const ctx = context();
    expect(await gethostbyname(ctx, "")).to.equal("0.0.0.0");
    expect(await gethostbyname(ctx, "<broadcast>")).to.equal("255.255.255.255");
    expect(await gethostbyname(ctx, "127.1")).to.equal("127.0.0.1");
    expect(await gethostbyname(ctx, "www.test")).to.equal("192.0.2.1");
    const err = await gethostbyname(ctx, "::1").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GaiError).with.property("message", "[Errno -9] Address family for hostname not supported");
  });

  it("gethostbyname_ex: gaierror from the first step, the hostent from the second", async () => {
    const ctx = context();
    expect(await gethostbynameEx(ctx, "homer")).to.deep.equal(["homer.hellfly.net", ["homer"], ["192.168.1.8"]]);
    expect(await gethostbynameEx(ctx, "1.2.3")).to.deep.equal(["1.2.3", [], ["1.2.0.3"]]);
    const err = await gethostbynameEx(ctx, "servfail.test").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GaiError).with.property("message", "[Errno -3] Temporary failure in name resolution");
  });

  it("gethostbyname_ex: a failure after setipaddr reports the thread's h_errno, even a stale one", async () => {
    const ctx = testContext({ nsswitch: "files" });
    ctx.thread.hErrno = NO_RECOVERY;
    // setipaddr answers "<broadcast>" itself; gethostbyname_r then fails in the files,
    // which store their h_errno through the caller's pointer, not the thread's.
    const err = await gethostbynameEx(ctx, "<broadcast>").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HError).with.property("message", "[Errno 3] Unknown server error");
  });

  it("a fresh Resolver's h_errno is 0, and herror words it as glibc's hstrerror does", async () => {
    const err = await gethostbynameEx(testContext({ nsswitch: "files" }), "<broadcast>").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HError).with.property("message", "[Errno 0] Resolver Error 0 (no error)");
  });

  it("gethostbyaddr: an address from the files, a name resolved first, the wildcard refused", async () => {
    const ctx = context();
    expect(await gethostbyaddr(ctx, "192.168.1.8")).to.deep.equal(["homer.hellfly.net", ["homer"], ["192.168.1.8"]]);
    expect(await gethostbyaddr(ctx, "localhost")).to.deep.equal(["localhost", ["ip6-localhost"], ["::1"]]);
    const unknown = await gethostbyaddr(ctx, "10.9.8.7").catch((e: unknown) => e);
    expect(unknown).to.be.instanceOf(HError).with.property("message", "[Errno 1] Unknown host");
    const wildcard = await gethostbyaddr(ctx, "").catch((e: unknown) => e);
    expect(wildcard).to.be.instanceOf(SocketError).with.property("message", "wildcard resolved to multiple address");
    expect(wildcard).to.not.be.instanceOf(GaiError);
  });

  it("gethostbyname2 (getent hosts) takes the name as it is", async () => {
    const ctx = context();
    expect(await gethostbyname2(ctx, "localhost", 6)).to.deep.equal(["localhost", ["ip6-localhost"], ["::1"]]);
    const err = await gethostbyname2(ctx, "homer", 6).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HError).with.property("errno", HOST_NOT_FOUND);
  });
});

describe("lookup/fqdn: Python's getfqdn", () => {
  const deps = (answers: Record<string, [string, string[], string[]]>) => ({
    gethostname: () => "farnsworth",
    gethostbyaddr: async (name: string) => {
      const answer = answers[name];
      if (answer === undefined) throw new HError(1);
      return answer;
    },
  });

  it("the first name with a dot among the hostname and aliases", async () => {
    const d = deps({ "192.168.1.8": ["homer", ["homer.hellfly.net", "h.example"], ["192.168.1.8"]] });
    expect(await getfqdn(d, " 192.168.1.8\n")).to.equal("homer.hellfly.net");
  });

  it("the hostname when no name has a dot, not the argument", async () => {
    expect(await getfqdn(deps({ x: ["localhost", [], ["127.0.0.1"]] }), "x")).to.equal("localhost");
  });

  it("the stripped argument when the lookup fails; the host name for '', 0.0.0.0 and ::", async () => {
    const d = deps({});
    expect(await getfqdn(d, "  nosuch.invalid. ")).to.equal("nosuch.invalid.");
    for (const empty of ["", "0.0.0.0", "::", "\u3000"]) expect(await getfqdn(d, empty)).to.equal("farnsworth");
    expect(await getfqdn(d)).to.equal("farnsworth");
  });

  it("errors that are no OSError pass through, as in Python", async () => {
    const d = { gethostname: () => "x", gethostbyaddr: async () => { throw new RangeError("encoding with 'idna' codec failed"); } };
    await getfqdn(d, "a..b").then(() => expect.fail("resolved"), (e: unknown) => expect(e).to.be.instanceOf(RangeError));
    await getfqdn(d, 5).then(() => expect.fail("resolved"), (e: unknown) => expect(e).to.be.instanceOf(TypeError).with.property("message", "'int' object has no attribute 'strip'"));
  });
});
