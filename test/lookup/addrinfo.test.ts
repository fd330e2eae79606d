import { expect } from "chai";
import {
  AF_INET, AF_INET6, AF_UNSPEC, AI_ADDRCONFIG, AI_ALL, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_PASSIVE, AI_V4MAPPED,
  EAI_ADDRFAMILY, EAI_AGAIN, EAI_BADFLAGS, EAI_FAMILY, EAI_NODATA, EAI_NONAME, EAI_SERVICE, EAI_SOCKTYPE, EAI_SYSTEM,
  HOST_NOT_FOUND, NO_DATA, NO_RECOVERY, SOCK_STREAM, TRY_AGAIN,
} from "../../src/constants.js";
import { GaiError, SocketError } from "../../src/errors.js";
import { getaddrinfo, getaddrinfoCore } from "../../src/lookup/addrinfo.js";
import { AI_CANONIDN } from "../../src/lookup/gaih.js";
import type { AddrInfoRequest } from "../../src/lookup/getaddrinfo.js";
import { GaiCode } from "../../src/lookup/failures.js";
import { namespaceNetwork } from "./support/namespace.js";
import { testContext, type TestContextOptions } from "./support/context.js";
import { fakeDns, type FakeAnswer } from "./support/fakedns.js";

const HOSTS = [
  "127.0.0.1 localhost",
  "::1 localhost ip6-localhost",
  "192.168.1.17 farnsworth.hellfly.net farnsworth",
  "::ffff:192.168.1.24 mapped.hellfly.net mapped",
].join("\n");

const DNS: Record<string, FakeAnswer> = {
  "dual.test": { a: ["192.0.2.10"], aaaa: ["2001:db8::10"], canon: "dual.canon.test" },
  "v4.test": { a: ["192.0.2.4"] },
  "v6.test": { aaaa: ["2001:db8::6"] },
  "empty.test": { status: "notfound", herrno: NO_DATA },
  "servfail.test": { status: "unavail", herrno: TRY_AGAIN },
  "refused.test": { status: "notfound", herrno: NO_RECOVERY },
  "cname-only.test": { status: "tryagain", herrno: NO_RECOVERY },
  "bücher.test": { a: ["192.0.2.40"], canon: "xn--bcher-kva.test" },
};

function context(options: TestContextOptions = {}) {
  return testContext({ hosts: HOSTS, nsswitch: "files dns", modules: { dns: fakeDns(DNS) }, ...options });
}

const request = (host: string | null, service: string | null, family = AF_UNSPEC, socktype = SOCK_STREAM, flags = 0): AddrInfoRequest =>
  ({ host, service, family, socktype, protocol: 0, flags });

/** The EAI code a request fails with, or its results. */
async function run(req: AddrInfoRequest, options?: TestContextOptions): Promise<unknown> {
  try {
    return await getaddrinfoCore(context(options), req);
  } catch (e) {
    if (e instanceof GaiCode) return e.code;
    throw e;
  }
}

const v4 = (address: string, port = 80, canon = "") => [AF_INET, SOCK_STREAM, 6, canon, [address, port]];
const v6 = (address: string, port = 80, canon = "", scope = 0) => [AF_INET6, SOCK_STREAM, 6, canon, [address, port, 0, scope]];

describe("lookup/addrinfo: glibc's getaddrinfo", () => {
  describe("argument checks, in glibc's order", () => {
    const cases: Array<[string, AddrInfoRequest, unknown]> = [
      ["no host and no service", request(null, null), EAI_NONAME],
      ['"*" is no host and no service', request("*", "*"), EAI_NONAME],
      ["unknown flag bits", request("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0x10000), EAI_BADFLAGS],
      ["-1 as flags", request("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, -1), EAI_BADFLAGS],
      ["AI_CANONNAME without a host", request(null, "80", AF_UNSPEC, SOCK_STREAM, AI_CANONNAME), EAI_BADFLAGS],
      ["a family that is neither inet", request("127.0.0.1", "80", 1), EAI_FAMILY],
      ["AI_NUMERICSERV with a name", request("127.0.0.1", "http", AF_UNSPEC, SOCK_STREAM, AI_NUMERICSERV), EAI_NONAME],
      ["a socket type glibc does not know", request("127.0.0.1", "80", AF_UNSPEC, 99), EAI_SOCKTYPE],
      ["a service nobody offers", request("127.0.0.1", "nosuch"), EAI_SERVICE],
      ["the retired IDN flags are accepted", request("127.0.0.1", "80", AF_UNSPEC, SOCK_STREAM, 0x300), [v4("127.0.0.1")]],
    ];
    for (const [title, req, expected] of cases) it(title, async () => expect(await run(req)).to.deep.equal(expected));
  });

  describe("numeric hosts", () => {
    const cases: Array<[string, AddrInfoRequest, unknown]> = [
      ["inet_aton forms", request("127.1", "80"), [v4("127.0.0.1")]],
      ["a NUL ends nothing here: it was cut before", request("0x7f.1", "80"), [v4("127.0.0.1")]],
      ["IPv4 for AF_INET6", request("1.2.3.4", "80", AF_INET6), EAI_ADDRFAMILY],
      ["IPv4 for AF_INET6 with AI_V4MAPPED", request("1.2.3.4", "80", AF_INET6, SOCK_STREAM, AI_V4MAPPED), [v6("::ffff:1.2.3.4")]],
      ["IPv4-mapped IPv6 for AF_INET", request("::ffff:1.2.3.4", "80", AF_INET), [v4("1.2.3.4")]],
      ["IPv6 for AF_INET", request("::1", "80", AF_INET), EAI_ADDRFAMILY],
      ["a scope by interface name", request("fe80::1%lo", "80"), [v6("fe80::1", 80, "", 1)]],
      ["a scope by number, even without such an interface", request("fe80::1%7", "80"), [v6("fe80::1", 80, "", 7)]],
      ["a multicast link-local scope", request("ff02::1%lo", "80"), [v6("ff02::1", 80, "", 1)]],
      ["no interface names on global addresses", request("2001:db8::1%lo", "80"), EAI_NONAME],
      ["an unknown interface", request("fe80::1%nosuch", "80"), EAI_NONAME],
      ["an empty scope", request("fe80::1%", "80"), EAI_NONAME],
      ["a scope past 32 bits", request("fe80::1%4294967296", "80"), EAI_NONAME],
      ["AI_NUMERICHOST refuses names", request("localhost", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST), EAI_NONAME],
      ["AI_CANONNAME gives the number", request("127.1", "80", AF_UNSPEC, SOCK_STREAM, AI_CANONNAME), [v4("127.0.0.1", 80, "127.1")]],
    ];
    for (const [title, req, expected] of cases) it(title, async () => expect(await run(req)).to.deep.equal(expected));
  });

  describe("no host", () => {
    it("loopback addresses, ::1 first by precedence", async () => {
      expect(await run(request(null, "80"))).to.deep.equal([v6("::1"), v4("127.0.0.1")]);
    });
    it("wildcard addresses with AI_PASSIVE, 0.0.0.0 first by label", async () => {
      expect(await run(request(null, "80", AF_UNSPEC, SOCK_STREAM, AI_PASSIVE))).to.deep.equal([v4("0.0.0.0"), v6("::")]);
    });
    it("one family", async () => {
      expect(await run(request(null, "80", AF_INET6, SOCK_STREAM, AI_PASSIVE))).to.deep.equal([v6("::")]);
    });
  });

  describe("AI_ADDRCONFIG", () => {
    const seedLike = {
      network: namespaceNetwork({
        addresses: [
          { interface: "lo", index: 1, address: "127.0.0.1", prefixlen: 8 },
          { interface: "lo", index: 1, address: "192.168.1.17", prefixlen: 24 },
          { interface: "lo", index: 1, address: "::1", prefixlen: 128 },
        ],
        routes: [],
      }, { v4: true, v6: false }),
    };
    it("with only loopback addresses, a family asked for fails at once, even for a number", async () => {
      expect(await run(request("127.0.0.1", "80", AF_INET, SOCK_STREAM, AI_ADDRCONFIG))).to.equal(EAI_NONAME);
    });
    it("with only loopback addresses, AF_UNSPEC is unchanged", async () => {
      expect(await run(request("::1", "80", AF_UNSPEC, SOCK_STREAM, AI_ADDRCONFIG))).to.deep.equal([v6("::1")]);
    });
    it("with one family configured, AF_UNSPEC becomes that family", async () => {
      expect(await run(request("::1", "80", AF_UNSPEC, SOCK_STREAM, AI_ADDRCONFIG), seedLike)).to.equal(EAI_ADDRFAMILY);
      expect(await run(request("dual.test", "80", AF_UNSPEC, SOCK_STREAM, AI_ADDRCONFIG), seedLike)).to.deep.equal([v4("192.0.2.10")]);
    });
  });

  describe("the hosts file and DNS through nsswitch", () => {
    it("every matching line with multi, sorted", async () => {
      expect(await run(request("localhost", "80"))).to.deep.equal([v6("::1"), v4("127.0.0.1")]);
    });
    it("::1 counts as 127.0.0.1 for AF_INET", async () => {
      expect(await run(request("localhost", "80", AF_INET))).to.deep.equal([v4("127.0.0.1"), v4("127.0.0.1")]);
    });
    it("only the first line without multi", async () => {
      expect(await run(request("localhost", "80"), { hostConf: "" })).to.deep.equal([v4("127.0.0.1")]);
    });
    it("a name the file lacks goes to DNS", async () => {
      expect(await run(request("v6.test", "80"))).to.deep.equal([v6("2001:db8::6")]);
    });
    it("the canonical name lands on the first tuple after sorting", async () => {
      expect(await run(request("dual.test", "80", AF_UNSPEC, SOCK_STREAM, AI_CANONNAME)))
        .to.deep.equal([v6("2001:db8::10", 80, "dual.canon.test"), v4("192.0.2.10")]);
    });
    it("AI_CANONIDN decodes the canonical name", async () => {
      expect(await run(request("bücher.test", "80", AF_UNSPEC, SOCK_STREAM, AI_CANONNAME | AI_CANONIDN)))
        .to.deep.equal([v4("192.0.2.40", 80, "bücher.test")]);
    });
  });

  describe("AI_V4MAPPED and AI_ALL", () => {
    const cases: Array<[string, AddrInfoRequest, unknown]> = [
      ["mapped IPv4 when there is no IPv6", request("v4.test", "80", AF_INET6, SOCK_STREAM, AI_V4MAPPED), [v6("::ffff:192.0.2.4")]],
      ["IPv6 only when there is some", request("dual.test", "80", AF_INET6, SOCK_STREAM, AI_V4MAPPED), [v6("2001:db8::10")]],
      ["both with AI_ALL", request("dual.test", "80", AF_INET6, SOCK_STREAM, AI_V4MAPPED | AI_ALL), [v6("2001:db8::10"), v6("::ffff:192.0.2.10")]],
      ["AI_ALL alone does nothing", request("v4.test", "80", AF_INET6, SOCK_STREAM, AI_ALL), EAI_NODATA],
      ["an IPv4-mapped hosts line next to IPv6 is dropped: nothing left", request("mapped", "80", AF_INET6, SOCK_STREAM, AI_V4MAPPED), EAI_NONAME],
    ];
    for (const [title, req, expected] of cases) it(title, async () => expect(await run(req)).to.deep.equal(expected));
  });

  describe("how source failures become EAI codes", () => {
    const cases: Array<[string, AddrInfoRequest, number]> = [
      ["NXDOMAIN", request("nosuch.test", "80"), EAI_NONAME],
      ["NODATA", request("empty.test", "80"), EAI_NODATA],
      ["SERVFAIL", request("servfail.test", "80"), EAI_AGAIN],
      ["REFUSED", request("refused.test", "80"), EAI_NONAME],
      ["AF_INET through gethostbyname2_r: NODATA", request("empty.test", "80", AF_INET), EAI_NODATA],
      ["AF_INET through gethostbyname2_r: an answer with CNAMEs only", request("cname-only.test", "80", AF_INET), EAI_NODATA],
      ["AF_INET through gethostbyname2_r: SERVFAIL", request("servfail.test", "80", AF_INET), EAI_AGAIN],
      ["AF_INET6 + AI_V4MAPPED: NODATA both ways", request("empty.test", "80", AF_INET6, SOCK_STREAM, AI_V4MAPPED), EAI_NODATA],
      ["AF_INET6 + AI_V4MAPPED: TRY_AGAIN both ways", request("servfail.test", "80", AF_INET6, SOCK_STREAM, AI_V4MAPPED), EAI_AGAIN],
    ];
    for (const [title, req, expected] of cases) it(title, async () => expect(await run(req)).to.equal(expected));

    it("a hosts line with only modules netdb lacks is EAI_SYSTEM with EBUSY", async () => {
      try {
        await getaddrinfoCore(context({ nsswitch: "nosuchmodule" }), request("x.test", "80"));
        expect.fail("resolved");
      } catch (e) {
        expect(e).to.be.instanceOf(GaiCode).with.property("code", EAI_SYSTEM);
        expect((e as GaiCode).errno).to.equal(16);
      }
    });

    it("a malformed nsswitch.conf is EAI_SYSTEM with EINVAL, whichever path the lookup takes", async () => {
      for (const family of [AF_UNSPEC, AF_INET]) {
        const ctx = context();
        ctx.nsswitchError = "nsswitch.conf: hosts: bad item";
        const e = await getaddrinfoCore(ctx, request("x.test", "80", family)).catch((err: unknown) => err);
        expect(e).to.be.instanceOf(GaiCode).with.property("code", EAI_SYSTEM);
        expect((e as GaiCode).errno).to.equal(22);
      }
    });

    it("an unknown module is skipped before known ones", async () => {
      expect(await run(request("v4.test", "80"), { nsswitch: "nosuchmodule dns files" })).to.deep.equal([v4("192.0.2.4")]);
    });

    it("[NOTFOUND=return] stops at the files", async () => {
      expect(await run(request("v4.test", "80"), { nsswitch: "files [NOTFOUND=return] dns" })).to.equal(EAI_NONAME);
    });

    it("leaves the thread's h_errno as the source set it", async () => {
      const ctx = context();
      await getaddrinfoCore(ctx, request("servfail.test", "80")).catch(() => undefined);
      expect(ctx.thread.hErrno).to.equal(TRY_AGAIN);
      await getaddrinfoCore(ctx, request("nosuch.test", "80")).catch(() => undefined);
      expect(ctx.thread.hErrno).to.equal(HOST_NOT_FOUND);
    });
  });

  it("asks for source addresses only when there is more than one address", async () => {
    const probed: string[] = [];
    const ctx = context({ network: { sourceFor: async (d) => (probed.push(d.address), null) } });
    await getaddrinfoCore(ctx, request("v4.test", "80"));
    expect(probed).to.deep.equal([]);
    await getaddrinfoCore(ctx, request("dual.test", "80"));
    expect(probed).to.deep.equal(["192.0.2.10", "2001:db8::10"]);
  });

  describe("the Python function", () => {
    it("converts arguments as CPython does, then raises gaierror", async () => {
      const ctx = context();
      expect(await getaddrinfo(ctx, "127.0.0.1", 70000, 0, SOCK_STREAM)).to.deep.equal([v4("127.0.0.1", 4464)]);
      const err = await getaddrinfo(ctx, "nosuch.test", 80).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(GaiError).with.property("message", "[Errno -2] Name or service not known");
      expect(err).to.have.property("hostname", "nosuch.test");
      await getaddrinfo(ctx, "x", 80, "2" as never).then(() => expect.fail("resolved"), (e: unknown) => {
        expect(e).to.be.instanceOf(TypeError).with.property("message", "'str' object cannot be interpreted as an integer");
      });
      await getaddrinfo(ctx, "x", 1.5).then(() => expect.fail("resolved"), (e: unknown) => {
        expect(e).to.be.instanceOf(SocketError).with.property("message", "Int or String expected");
      });
    });
  });
});
