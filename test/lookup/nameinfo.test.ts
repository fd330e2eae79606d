import { expect } from "chai";
import {
  EAI_AGAIN, EAI_BADFLAGS, EAI_NONAME, EAI_SERVICE, NI_DGRAM, NI_NAMEREQD, NI_NOFQDN, NI_NUMERICHOST, NI_NUMERICSERV, TRY_AGAIN,
} from "../../src/constants.js";
import { GaiError, SocketError } from "../../src/errors.js";
import { toSockaddrArgument } from "../../src/lookup/args.js";
import { GaiCode } from "../../src/lookup/failures.js";
import type { HostsModule } from "../../src/lookup/sources.js";
import { getnameinfo, getnameinfoCore, localDomain, NI_IDN } from "../../src/lookup/nameinfo.js";
import { testContext, type TestContextOptions } from "./support/context.js";
import { laterModule } from "./support/modules.js";

const HOSTS = [
  "127.0.0.1 localhost",
  "192.168.1.8 homer.hellfly.net homer",
  "192.168.1.9 host.hellfly.network.example",
  "192.168.1.10 nothellfly.net",
  "192.0.2.40 xn--bcher-kva.example",
].join("\n");

/** A dns module whose reverse lookups fail with TRY_AGAIN (a server that SERVFAILs). */
const servfailDns: HostsModule = laterModule({
  byName4: async () => ({ status: "notfound", herrno: 1 }),
  byName3: async () => ({ status: "notfound", herrno: 1 }),
  byAddr: async () => ({ status: "notfound", herrno: TRY_AGAIN, resolverHErrno: TRY_AGAIN }),
});

async function gni(sockaddr: unknown[], flags: number, options: TestContextOptions = {}): Promise<unknown> {
  const ctx = testContext({ hosts: HOSTS, ...options });
  try {
    return await getnameinfoCore(ctx, toSockaddrArgument(sockaddr), flags, () => localDomain(ctx));
  } catch (e) {
    if (e instanceof GaiCode) return e.code;
    if (e instanceof SocketError) return e.message;
    throw e;
  }
}

describe("lookup/nameinfo: getnameinfo as CPython calls it", () => {
  const cases: Array<[string, unknown[], number, unknown, TestContextOptions?]> = [
    ["a name from the hosts file and a tcp service", ["192.168.1.8", 80], 0, ["homer.hellfly.net", "http"]],
    ["NI_NUMERICHOST", ["192.168.1.8", 80], NI_NUMERICHOST, ["192.168.1.8", "http"]],
    ["NI_NUMERICSERV", ["192.168.1.8", 80], NI_NUMERICSERV, ["homer.hellfly.net", "80"]],
    ["NI_DGRAM looks the port up for udp", ["192.168.1.8", 53], NI_DGRAM, ["homer.hellfly.net", "domain"]],
    ["NI_DGRAM without a udp entry gives the number", ["192.168.1.8", 80], NI_DGRAM, ["homer.hellfly.net", "80"]],
    ["an unknown address gives the number", ["10.9.8.7", 80], 0, ["10.9.8.7", "http"]],
    ["NI_NAMEREQD for an unknown address", ["10.9.8.7", 80], NI_NAMEREQD, EAI_NONAME],
    ["NI_NUMERICHOST|NI_NAMEREQD always fails", ["192.168.1.8", 80], NI_NUMERICHOST | NI_NAMEREQD, EAI_NONAME],
    ["NI_NOFQDN cuts the local domain", ["192.168.1.8", 80], NI_NOFQDN, ["homer", "http"]],
    ["NI_NOFQDN finds the domain anywhere after a dot (strstr)", ["192.168.1.9", 80], NI_NOFQDN, ["host", "http"]],
    ["NI_NOFQDN needs a dot before the domain", ["192.168.1.10", 80], NI_NOFQDN, ["nothellfly.net", "http"]],
    ["NI_IDN decodes the name", ["192.0.2.40", 80], NI_IDN, ["bücher.example", "http"]],
    ["the retired IDN flags pass", ["192.168.1.8", 80], 64, ["homer.hellfly.net", "http"]],
    ["unknown flags", ["192.168.1.8", 80], 0x1000, EAI_BADFLAGS],
    ["a port past 16 bits wraps", ["192.168.1.8", 70000], NI_NUMERICHOST, ["192.168.1.8", "4464"]],
    ["a negative port is a service name glibc cannot find", ["192.168.1.8", -1], 0, EAI_SERVICE],
    ["a name is no address", ["localhost", 80], 0, EAI_NONAME],
    ["an IPv4 address in a 4-tuple", ["127.0.0.1", 80, 0, 0], 0, "IPv4 sockaddr must be 2 tuple"],
    ["a link-local scope prints as the interface name", ["fe80::1", 80, 0, 1], NI_NUMERICHOST, ["fe80::1%lo", "http"]],
    ["an unknown interface prints as the number", ["fe80::1", 80, 0, 99], NI_NUMERICHOST, ["fe80::1%99", "http"]],
    ["a scope on a global address prints as the number", ["2001:db8::1", 80, 0, 1], NI_NUMERICHOST, ["2001:db8::1%1", "http"]],
    ["the tuple's scope wins over the text's", ["fe80::1%lo", 80, 0, 0], NI_NUMERICHOST, ["fe80::1", "http"]],
    ["TRY_AGAIN from DNS fails even without NI_NAMEREQD", ["10.9.8.7", 80], 0, EAI_AGAIN, { nsswitch: "files dns", modules: { dns: servfailDns } }],
  ];
  for (const [title, sockaddr, flags, expected, options] of cases) {
    it(title, async () => expect(await gni(sockaddr, flags, options)).to.deep.equal(expected));
  }

  describe("the local domain of NI_NOFQDN", () => {
    it("comes from localhost's name when it has a dot", async () => {
      expect(await localDomain(testContext({ hosts: "127.0.0.1 localhost.example.org localhost" }))).to.equal("example.org");
    });
    it("else from the host name", async () => {
      expect(await localDomain(testContext({ hosts: "127.0.0.1 localhost", hostname: "bender.edge.test" }))).to.equal("edge.test");
    });
    it("else from what the host name resolves to", async () => {
      const hosts = "127.0.0.1 localhost\n192.168.1.17 farnsworth.hellfly.net farnsworth";
      expect(await localDomain(testContext({ hosts, hostname: "farnsworth" }))).to.equal("hellfly.net");
    });
    it("else there is none", async () => {
      expect(await localDomain(testContext({ hosts: "127.0.0.1 localhost", hostname: "farnsworth" }))).to.equal(undefined);
    });
  });

  it("the Python function wants its flags and raises gaierror", async () => {
    const ctx = testContext({ hosts: HOSTS });
    const domain = () => localDomain(ctx);
    await getnameinfo(ctx, ["127.0.0.1", 80], undefined, domain).then(() => expect.fail("resolved"), (e: unknown) => {
      expect(e).to.be.instanceOf(TypeError).with.property("message", "getnameinfo() takes exactly 2 arguments (1 given)");
    });
    await getnameinfo(ctx, ["localhost", 80], 0, domain).then(() => expect.fail("resolved"), (e: unknown) => {
      expect(e).to.be.instanceOf(GaiError).with.property("message", "[Errno -2] Name or service not known");
    });
  });
});
