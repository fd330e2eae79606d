import { expect } from "chai";
import http from "node:http";
import net from "node:net";
import { promisify } from "node:util";
import { Agent as UndiciAgent, request as undiciRequest } from "undici";
import type { InterfaceAddress } from "../../src/lookup/network.js";
import { createLookup, type Lookup } from "../../src/node/lookup.js";
import { Resolver } from "../../src/resolver.js";
import { hasIPv6Loopback, TestDnsServer } from "../support/dnsserver.js";
import { takeViolations } from "../support/netguard.js";

/**
 * Real clients connect to a real HTTP server on loopback through names
 * only netdb knows: from a hosts text given to the Resolver, and from the
 * test DNS server. The machine's resolver knows none of them (and the
 * network guard would stop it from being asked).
 */
const HOSTS = `127.0.0.1 web4.netdb.test
::1 web6.netdb.test
127.0.0.1 dual.netdb.test
::1 dual.netdb.test
`;

const ZONE = `
$ORIGIN dns.netdb.test.
$TTL 300
@      IN SOA ns hostmaster 1 3600 900 604800 60
web    IN A    127.0.0.1
web    IN AAAA ::1
only6  IN AAAA ::1
`;

/** A machine with only loopback, so AI_ADDRCONFIG (which net.connect asks for) keeps both families. */
const LOOPBACK_ONLY: InterfaceAddress[] = [
  { name: "lo", index: 1, family: 4, address: "127.0.0.1", prefixlen: 8 },
  { name: "lo", index: 1, family: 6, address: "::1", prefixlen: 128 },
];

/** Who answered: the address the server saw the request arrive on. */
async function startServers(ipv6: boolean): Promise<{ port: number; servers: http.Server[] }> {
  const handler: http.RequestListener = (req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ local: req.socket.localAddress, host: req.headers.host }));
  };
  const first = http.createServer(handler);
  await new Promise<void>((resolve) => first.listen(0, "127.0.0.1", resolve));
  const port = (first.address() as net.AddressInfo).port;
  const servers = [first];
  if (ipv6) {
    const second = http.createServer(handler);
    await new Promise<void>((resolve, reject) => {
      second.once("error", reject);
      second.listen(port, "::1", resolve);
    });
    servers.push(second);
  }
  return { port, servers };
}

function get(url: string, options: http.RequestOptions): Promise<{ status: number; body: { local: string; host: string } }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, options, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { local: string; host: string } }));
    });
    req.on("error", reject);
  });
}

describe("node/lookup: http, undici and net through netdb", function () {
  let ipv6: boolean;
  let dnsServer: TestDnsServer;
  let web: { port: number; servers: http.Server[] };
  let resolver: Resolver;
  let lookup: Lookup;

  before(async () => {
    ipv6 = await hasIPv6Loopback();
    dnsServer = await TestDnsServer.start({ zones: [{ origin: "dns.netdb.test.", text: ZONE }] });
    web = await startServers(ipv6);
    resolver = new Resolver({
      // "multi on" (Debian's host.conf) lets a name have lines of both families, as in glibc.
      files: { hosts: HOSTS, "host.conf": "multi on\n" },
      nameservers: [`127.0.0.1:${dnsServer.port}`],
      timeout: 300,
      attempts: 1,
      network: { addresses: () => LOOPBACK_ONLY },
    });
    lookup = createLookup(() => resolver);
  });
  after(async () => {
    await Promise.all(web.servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await dnsServer.stop();
    await resolver.close();
  });

  it("http.get with lookup reaches a name from the hosts text", async () => {
    const { status, body } = await get(`http://web4.netdb.test:${web.port}/`, { lookup });
    expect(status).to.equal(200);
    expect(body).to.deep.equal({ local: "127.0.0.1", host: `web4.netdb.test:${web.port}` });
  });

  it("http.get reaches an IPv6-only name from the hosts text", async () => {
    expect(ipv6, "this machine has ::1").to.equal(true);
    const { body } = await get(`http://web6.netdb.test:${web.port}/`, { lookup });
    expect(body.local).to.equal("::1");
  });

  it("http.Agent({ lookup }) reaches a name from the DNS server", async () => {
    const agent = new http.Agent({ lookup, keepAlive: false });
    try {
      const { status, body } = await get(`http://web.dns.netdb.test:${web.port}/`, { agent, family: 4 });
      expect(status).to.equal(200);
      expect(body.local).to.equal("127.0.0.1");
    } finally {
      agent.destroy();
    }
  });

  it("undici's Agent({ connect: { lookup } }) reaches names from both sources", async () => {
    const dispatcher = new UndiciAgent({ connect: { lookup } });
    try {
      for (const name of ["web4.netdb.test", "web.dns.netdb.test"]) {
        const res = await undiciRequest(`http://${name}:${web.port}/`, { dispatcher });
        expect(res.statusCode).to.equal(200);
        const body = (await res.body.json()) as { host: string };
        expect(body.host).to.equal(`${name}:${web.port}`);
      }
    } finally {
      await dispatcher.close();
    }
  });

  it("net.connect({ lookup }) connects, and reports the address it used", async () => {
    const socket = net.connect({ host: "web4.netdb.test", port: web.port, lookup });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      expect(socket.remoteAddress).to.equal("127.0.0.1");
      expect(socket.remotePort).to.equal(web.port);
    } finally {
      socket.destroy();
    }
  });

  it("net.connect gets every address netdb gives when it selects the family itself (autoSelectFamily)", async () => {
    expect(ipv6, "this machine has ::1").to.equal(true);
    const seen: unknown[] = [];
    const recording = ((hostname: string, options: object, callback: (...a: unknown[]) => void) =>
      lookup(hostname, options, (...args: unknown[]) => {
        seen.push(args[1]);
        (callback as (...a: unknown[]) => void)(...args);
      })) as unknown as Lookup;
    const socket = net.connect({ host: "dual.netdb.test", port: web.port, lookup: recording, autoSelectFamily: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      expect(seen).to.have.length(1);
      expect(seen[0]).to.have.deep.members([{ address: "127.0.0.1", family: 4 }, { address: "::1", family: 6 }]);
    } finally {
      socket.destroy();
    }
  });

  it("a name nobody knows fails the request with node:dns's ENOTFOUND", async () => {
    try {
      await get(`http://missing.dns.netdb.test:${web.port}/`, { lookup });
      expect.fail("should fail");
    } catch (err) {
      expect(err).to.be.instanceOf(Error);
      expect(err).to.include({ code: "ENOTFOUND", errno: -3008, syscall: "getaddrinfo", hostname: "missing.dns.netdb.test" });
      expect((err as Error).message).to.equal("getaddrinfo ENOTFOUND missing.dns.netdb.test");
    }
  });

  it("a name whose server does not answer fails with EAI_AGAIN", async () => {
    dnsServer.misbehave({ name: "silent.dns.netdb.test", behaviour: { kind: "drop" } });
    try {
      await get(`http://silent.dns.netdb.test:${web.port}/`, { lookup });
      expect.fail("should fail");
    } catch (err) {
      expect(err).to.include({ code: "EAI_AGAIN", errno: -3001, syscall: "getaddrinfo", hostname: "silent.dns.netdb.test" });
    } finally {
      dnsServer.reset();
    }
  });

  it("util.promisify(lookup) resolves { address, family } as dns.lookup's does", async () => {
    const lookupAsync = promisify(lookup);
    expect(await lookupAsync("web4.netdb.test")).to.deep.equal({ address: "127.0.0.1", family: 4 });
    expect(await lookupAsync("dual.netdb.test", { all: true, order: "ipv4first" })).to.deep.equal([
      { address: "127.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ]);
  });

  it("is guarded: an address off loopback from a custom lookup is refused (test/support/netguard.ts)", async () => {
    const offLoopback = ((_hostname: string, _options: object, callback: (err: null, address: string, family: number) => void) =>
      process.nextTick(callback, null, "192.0.2.1", 4)) as unknown as Lookup;
    const socket = net.connect({ host: "elsewhere.test", port: 80, lookup: offLoopback });
    const err = await new Promise<Error>((resolve) => socket.once("error", resolve));
    socket.destroy();
    expect(err.message).to.match(/network guard: .*"192\.0\.2\.1"/);
    expect(takeViolations()).to.have.length(1);
  });
});
