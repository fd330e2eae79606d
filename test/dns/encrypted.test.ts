/**
 * DNS over TLS and over HTTPS against Knot behind real TLS and HTTP/2
 * fronts on loopback (test/support/encrypted.ts): every lookup gives
 * what it gives over UDP; one connection or session carries concurrent
 * queries, answered out of order; queries are padded; DoH sends ID 0;
 * bad certificates, HTTP errors and dead servers fail over as glibc's
 * res_send fails over; opportunistic DoT falls back to clear text; a DoH
 * server named by host name is found through the bootstrap; resolv.conf's
 * `# netdb: nameserver` lines. Nothing is left open afterwards.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dgram from "node:dgram";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import dnsPacket from "dns-packet";
import { DotTransport } from "../../src/dns/transport/dot.js";
import { NetTransport } from "../../src/dns/transport/net.js";
import { encodeQuery } from "../../src/dns/message.js";
import { parseNameServer } from "../../src/lookup/nameserver.js";
import { createDns } from "../../src/node/create-dns.js";
import { Resolver, type ResolverOptions } from "../../src/resolver.js";
import { netdb, SEED_ROOT } from "../cli/process.js";
import { assertNoLeaks, resourceBaseline } from "../support/handles.js";
import { makeCertificate, startDohFront, startDotFront, startTlsDnsServer, type Front, type TestCertificate } from "../support/encrypted.js";
import { startKnot, worldZones, type KnotServer } from "../support/knot.js";
import { fixedNetwork, outcome } from "../support/outcomes.js";

const BOOTSTRAP_ZONE = { origin: "boot.test.", text: "$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\ndoh IN A 127.0.0.1\n" };

/** The lookups compared between transports: every method, the search list, NXDOMAIN, a large answer, A and AAAA in parallel. */
async function lookups(resolver: Resolver): Promise<unknown[]> {
  return Promise.all([
    outcome(resolver.getaddrinfo("dual.edge.test", 80)),
    outcome(resolver.getaddrinfo("www.hellfly.net", null, 0, 1)),
    outcome(resolver.getaddrinfo("dual", "http")),
    outcome(resolver.getaddrinfo("nosuch.edge.test", 80)),
    outcome(resolver.getaddrinfo("big.edge.test", 80, 2, 1)),
    outcome(resolver.gethostbyname("chain5.edge.test")),
    outcome(resolver.gethostbyname_ex("www.doughellmann.com")),
    outcome(resolver.gethostbyaddr("192.0.2.30")),
    outcome(resolver.getnameinfo(["192.0.2.35", 80], 0)),
  ]);
}

describe("DNS over TLS and HTTPS (real TLS and HTTP/2 fronts for Knot)", function () {
  this.timeout(30_000);
  let knot: KnotServer;
  let certificate: TestCertificate;
  let dot: Front;
  let doh: Front;
  let baseline: Map<string, number>;
  const made: Resolver[] = [];
  const resolver = (options: ResolverOptions): Resolver => {
    const r = new Resolver({ files: { hosts: "127.0.0.1 localhost\n127.0.0.1 dns.test\n" }, search: ["edge.test"], hostname: "box.edge.test", network: fixedNetwork, tlsCa: certificate.ca, timeout: 2000, attempts: 1, ...options });
    made.push(r);
    return r;
  };

  before(async () => {
    knot = await startKnot([...worldZones(), BOOTSTRAP_ZONE]);
    certificate = makeCertificate(["dns.test", "doh.boot.test"]);
  });
  after(async () => {
    await knot?.stop();
  });
  beforeEach(async () => {
    dot = await startDotFront(knot.port, certificate);
    doh = await startDohFront(knot.port, certificate);
    baseline = await resourceBaseline();
  });
  afterEach(async () => {
    await Promise.all(made.splice(0).map((r) => r.close()));
    await dot.stop();
    await doh.stop();
    await assertNoLeaks(baseline, "encrypted lookups");
  });

  it("gives every lookup's UDP outcome over DoT, DoH on HTTP/2 (POST, GET) and HTTP/1.1", async () => {
    const udp = await lookups(resolver({ nameservers: [`127.0.0.1:${knot.port}`] }));
    expect(udp[0]).to.have.property("value");
    for (const server of [
      `tls://127.0.0.1:${dot.port}?name=dns.test`,
      `tls://127.0.0.1:${dot.port}`,
      `https://127.0.0.1:${doh.port}/dns-query`,
      `https://dns.test:${doh.port}/dns-query#method=get`,
      `https://dns.test:${doh.port}/dns-query#http=1.1`,
      `https://dns.test:${doh.port}/dns-query#http=1.1&method=get`,
    ]) {
      expect(await lookups(resolver({ nameservers: [server] })), server).to.deep.equal(udp);
    }
    expect(doh.requests).to.include.members(["POST 2.0", "GET 2.0", "POST 1.1", "GET 1.1"]);
    // DoH sends ID 0 (RFC 8484 4.1); DoT's IDs are the connection's own.
    expect(doh.queries.every((q) => q.id === 0)).to.equal(true);
    expect(dot.queries.some((q) => q.id !== 0)).to.equal(true);
  });

  it("pads every query to a multiple of 128 octets (RFC 8467), with or without edns0", async () => {
    for (const edns0 of [false, true]) {
      await resolver({ nameservers: [`tls://127.0.0.1:${dot.port}?name=dns.test`], edns0 }).getaddrinfo("dual.edge.test", 80);
      await resolver({ nameservers: [`https://dns.test:${doh.port}/dns-query`], edns0 }).getaddrinfo("dual.edge.test", 80);
    }
    const lengths = [...dot.queries, ...doh.queries].map((q) => q.length);
    expect(lengths).to.have.length(8);
    expect(lengths.filter((n) => n % 128 !== 0)).to.deep.equal([]);
  });

  it("carries 300 concurrent lookups on one TLS connection and one HTTP/2 session", async () => {
    for (const [front, server] of [[dot, `tls://127.0.0.1:${dot.port}?name=dns.test`], [doh, `https://dns.test:${doh.port}/dns-query`]] as const) {
      // A timeout that a loaded machine does not reach: the point is one connection, all answered.
      const r = resolver({ nameservers: [server], timeout: 5000 });
      const names = Array.from({ length: 300 }, (_, i) => ["dual.edge.test", "www.hellfly.net", "mail.edge.test"][i % 3]!);
      const started = performance.now();
      const results = await Promise.all(names.map((n) => outcome(r.getaddrinfo(n, 80, 2, 1))));
      expect(results.filter((x) => "value" in (x as object)), `${server}: ${JSON.stringify(results.find((x) => !("value" in (x as object))))}`).to.have.length(300);
      expect(performance.now() - started).to.be.below(10_000);
      expect(front.connections, server).to.equal(1);
    }
  });

  it("keeps one HTTP/2 session through 1,500 lookups: answered streams are not reset (a server takes many resets for an attack)", async () => {
    const r = resolver({ nameservers: [`https://127.0.0.1:${doh.port}/dns-query`], timeout: 5000 });
    let resolved = 0;
    const names = ["dual.edge.test", "www.hellfly.net", "mail.edge.test"];
    await Promise.all(Array.from({ length: 64 }, async (_, w) => {
      for (let i = w; i < 1500; i += 64) if ("value" in ((await outcome(r.gethostbyname(names[i % 3]!))) as object)) resolved++;
    }));
    expect(resolved).to.equal(1500);
    expect(doh.connections).to.equal(1);
  });

  it("matches DoT answers that come back out of order", async () => {
    await dot.stop();
    dot = await startDotFront(knot.port, certificate, { holdType: 1, holdMs: 150 });
    const r = resolver({ nameservers: [`tls://127.0.0.1:${dot.port}?name=dns.test`] });
    const infos = await r.getaddrinfo("dual.edge.test", 80, 0, 1);
    expect(infos.map((i) => i[4][0])).to.have.members(["192.0.2.10", "192.0.2.11", "2001:db8::10", "2001:db8::11"]);
    const a = dot.queries.find((q) => q.type === 1)!;
    const aaaa = dot.queries.find((q) => q.type === 28)!;
    // A was asked first on the connection and answered last.
    expect(dot.queries.indexOf(a)).to.be.below(dot.queries.indexOf(aaaa));
    expect(a.answeredAt).to.be.above(aaaa.answeredAt!);
    expect(dot.connections).to.equal(1);
  });

  it("closes an idle DoT connection after its idle time, and opens a new one for the next query", async () => {
    const transport = new DotTransport({ ca: certificate.ca }, { inFlight: 128, idleMs: 100, strayFrames: 32 });
    const server = { address: "127.0.0.1", port: dot.port, family: 4 as const, encrypted: { scheme: "tls" as const, uri: "tls://test", name: "dns.test", profile: "strict" as const } };
    const question = { name: "dual.edge.test", type: "A" };
    const ask = (id: number): Promise<unknown> => transport.exchange({ server, protocol: "udp", message: encodeQuery(question, { id, edns0: false }), id, question, timeout: 2000 });
    expect(await ask(1)).to.have.property("message");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(dot.closed).to.equal(1);
    expect(await ask(2)).to.have.property("message");
    expect(dot.connections).to.equal(2);
    await transport.close();
  });

  it("fails a server with an untrusted or misnamed certificate and fails over to the next (strict profile)", async () => {
    const good = `tls://127.0.0.1:${dot.port}?name=dns.test`;
    for (const bad of [`tls://127.0.0.1:${dot.port}?name=other.test`, `https://other.test:${doh.port}/dns-query`]) {
      const events: string[] = [];
      const r = resolver({ nameservers: [bad, good], files: { hosts: "127.0.0.1 other.test\n" }, tracer: (e) => e.kind === "error" && events.push(e.error) });
      expect((await r.getaddrinfo("mail.edge.test", 80, 2, 1))[0]![4][0]).to.equal("192.0.2.25");
      expect(events.join(), bad).to.match(/ERR_TLS_CERT_ALTNAME_INVALID/);
    }
    // No CA given: the system's store does not know the test certificate.
    const untrusted = resolver({ nameservers: [good], tlsCa: undefined });
    const started = performance.now();
    const failed = (await outcome(untrusted.getaddrinfo("mail.edge.test", 80))) as { error: string; errno: number };
    expect(failed).to.include({ error: "GaiError", errno: -3 });
    expect(performance.now() - started).to.be.below(2000);
  });

  it("takes an opportunistic DoT server's certificate unchecked, and asks in clear when TLS is refused", async () => {
    const r = resolver({ nameservers: [`tls://127.0.0.1:${dot.port}?name=other.test&profile=opportunistic`], tlsCa: undefined });
    expect((await r.getaddrinfo("mail.edge.test", 80, 2, 1))[0]![4][0]).to.equal("192.0.2.25");
    expect(dot.queries).to.have.length(1);
    // Nothing listens for TLS on 127.84.53.1; a plain server on its port 53 answers.
    const plain = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => plain.bind(53, "127.84.53.1", resolve));
    let asked = 0;
    plain.on("message", (bytes, from) => {
      asked++;
      const query = dnsPacket.decode(bytes);
      plain.send(dnsPacket.encode({ type: "response", id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: query.questions, answers: query.questions![0]!.type === "A" ? [{ type: "A", name: query.questions![0]!.name, ttl: 60, data: "198.51.100.53" }] : [] }), from.port, from.address);
    });
    try {
      const clear = resolver({ nameservers: [`tls://127.84.53.1:${dot.port}?profile=opportunistic`] });
      expect((await clear.getaddrinfo("anything.test", 80, 2, 1))[0]![4][0]).to.equal("198.51.100.53");
      expect(asked).to.equal(1);
      // Strict: refused means failed, never clear text.
      const strict = resolver({ nameservers: [`tls://127.84.53.1:${dot.port}`] });
      expect(await outcome(strict.getaddrinfo("anything.test", 80, 2, 1))).to.include({ error: "GaiError", errno: -3 });
      expect(asked).to.equal(1);
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  it("maps HTTP errors and non-DNS bodies to server failures: failover, then EAI_AGAIN", async () => {
    const good = `https://dns.test:${doh.port}/dns-query`;
    for (const bad of [`https://dns.test:${doh.port}/fail`, `https://dns.test:${doh.port}/html`, `https://dns.test:${doh.port}/nosuch#http=1.1`]) {
      const r = resolver({ nameservers: [bad, good] });
      expect((await r.getaddrinfo("mail.edge.test", 80, 2, 1))[0]![4][0], bad).to.equal("192.0.2.25");
      const alone = resolver({ nameservers: [bad] });
      expect(await outcome(alone.getaddrinfo("mail.edge.test", 80, 2, 1)), bad).to.include({ error: "GaiError", errno: -3 });
    }
  });

  it("finds a DoH server named by host name through the bootstrap servers, not through itself", async () => {
    const r = resolver({ nameservers: [`https://doh.boot.test:${doh.port}/dns-query`], bootstrap: [`127.0.0.1:${knot.port}`], files: { hosts: "127.0.0.1 localhost\n" } });
    expect((await r.getaddrinfo("mail.edge.test", 80, 2, 1))[0]![4][0]).to.equal("192.0.2.25");
    expect(doh.queries).to.have.length(1);
    // With a bootstrap that cannot resolve it, the server fails (fast), as one that does not answer.
    const lost = resolver({ nameservers: [`https://nowhere.boot.test:${doh.port}/dns-query`], bootstrap: [`127.0.0.1:${knot.port}`], files: { hosts: "" } });
    expect(await outcome(lost.getaddrinfo("mail.edge.test", 80, 2, 1))).to.include({ error: "GaiError", errno: -3 });
  });

  it("reads `# netdb: nameserver URI` lines of resolv.conf: encrypted servers, the plain ones as bootstrap", async () => {
    const text = `nameserver 127.0.0.1\n# netdb: nameserver https://doh.boot.test:${doh.port}/dns-query\n#netdb: nameserver tls://127.0.0.1:${dot.port}?name=dns.test\n# netdb: nameserver bogus://x\noptions timeout:2 attempts:1\n`;
    const r = new Resolver({ files: { "resolv.conf": text, hosts: "" }, hostname: "box", network: fixedNetwork, tlsCa: certificate.ca, nameservers: undefined });
    made.push(r);
    const conf = r.resolvConf();
    expect(conf.nameservers.map((s) => s.encrypted?.uri)).to.deep.equal([`https://doh.boot.test:${doh.port}/dns-query`, `tls://127.0.0.1:${dot.port}?name=dns.test`]);
    expect(conf.bootstrap).to.deep.equal([{ address: "127.0.0.1", port: 53, family: 4 }]);
    const viaDot = new Resolver({ files: { "resolv.conf": text.replace(/^# netdb: nameserver https.*\n/m, ""), hosts: "" }, hostname: "box", network: fixedNetwork, tlsCa: certificate.ca });
    made.push(viaDot);
    expect((await viaDot.getaddrinfo("mail.edge.test", 80, 2, 1))[0]![4][0]).to.equal("192.0.2.25");
    expect(dot.queries).to.have.length(1);
  });

  it("rejects nameserver URIs it cannot use, naming them", () => {
    for (const bad of ["tls://dns.example", "tls://192.0.2.1/path", "tls://192.0.2.1?nme=x", "tls://192.0.2.1?profile=loose", "https://dns.example/q#method=put", "https://dns.example/q#http=3", "quic://192.0.2.1", "https://user@dns.example/"]) {
      expect(() => new Resolver({ nameservers: [bad] }), bad).to.throw(TypeError, JSON.stringify(bad));
    }
  });

  it("netdb/dns (createDns over a Resolver with encrypted servers) answers as over UDP: lookup, resolve4, resolveMx, reverse", async () => {
    const answers = async (server: string): Promise<unknown[]> => {
      const dns = createDns(resolver({ nameservers: [server] }));
      return Promise.all([
        outcome(dns.promises.lookup("dual.edge.test", { all: true })),
        outcome(dns.promises.resolve4("mail.edge.test")),
        outcome(dns.promises.resolveMx("only-mx.edge.test")),
        outcome(dns.promises.reverse("192.0.2.30")),
        outcome(dns.promises.resolve4("nosuch.edge.test")),
      ]);
    };
    const udp = await answers(`127.0.0.1:${knot.port}`);
    expect(udp[2], JSON.stringify(udp)).to.have.property("value");
    expect(await answers(`tls://127.0.0.1:${dot.port}?name=dns.test`)).to.deep.equal(udp);
    expect(await answers(`https://dns.test:${doh.port}/dns-query`)).to.deep.equal(udp);
  });

  it("sends from the server's source address (node:dns's setLocalAddress) over DoT and DoH, HTTP/2 and HTTP/1.1", async () => {
    const transport = new NetTransport({ tls: { ca: certificate.ca } });
    const question = { name: "mail.edge.test", type: "A" };
    try {
      for (const uri of [`tls://127.0.0.1:${dot.port}?name=dns.test`, `https://127.0.0.1:${doh.port}/dns-query`, `https://127.0.0.1:${doh.port}/dns-query#http=1.1`]) {
        const server = { ...parseNameServer(uri), source: "127.0.0.9" };
        const response = await transport.exchange({ server, protocol: "udp", message: encodeQuery(question, { id: 7, edns0: false }), id: 7, question, timeout: 2000 });
        expect(response.decoded?.answers, uri).to.have.length(1);
      }
    } finally {
      await transport.close();
    }
    expect([...dot.peers, ...doh.peers]).to.deep.equal(["127.0.0.9", "127.0.0.9", "127.0.0.9"]);
  });

  it("the netdb command takes tls:// and https:// servers (--server), and --trace names them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netdb-cli-ca-"));
    writeFileSync(join(dir, "ca.pem"), certificate.ca);
    process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
    try {
      const viaDot = await netdb("--root", SEED_ROOT, "--server", `tls://127.0.0.1:${dot.port}?name=dns.test`, "hostbyname", "mail.edge.test");
      expect(viaDot).to.deep.equal({ stdout: "192.0.2.25\n", stderr: "", status: 0 });
      const doh0 = `https://127.0.0.1:${doh.port}/dns-query`;
      const traced = await netdb("--root", SEED_ROOT, "--server", doh0, "--trace", "hostbyname", "mail.edge.test");
      expect(traced.status).to.equal(0);
      expect(traced.stdout).to.include(doh0);
      const bad = await netdb("--server", "tls://dns.example", "hostbyname", "x");
      expect(bad.status).to.not.equal(0);
      expect(bad.stderr).to.include("--server \"tls://dns.example\"");
    } finally {
      delete process.env.NODE_EXTRA_CA_CERTS;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(dot.queries).to.have.length(1);
    expect(doh.queries).to.have.length(1);
  });

  it("leaves nothing open when closed with queries in flight", async () => {
    const transport = new NetTransport({ tls: { ca: certificate.ca } });
    const r = new Resolver({ files: { hosts: "" }, transport, nameservers: [`tls://127.0.0.1:${dot.port}?name=dns.test`, `https://127.0.0.1:${doh.port}/dns-query`], bootstrap: [`127.0.0.1:${knot.port}`], network: fixedNetwork, timeout: 2000, rotate: true });
    const pending = Array.from({ length: 50 }, () => outcome(r.getaddrinfo("dual.edge.test", 80)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closing = performance.now();
    await transport.close();
    const results = (await Promise.all(pending)) as Array<{ value?: unknown; message?: string }>;
    expect(performance.now() - closing).to.be.below(1000);
    // Each lookup either got its answer before the close or ended with it.
    expect(results.filter((x) => x.value === undefined && !/closed/.test(x.message ?? "")), JSON.stringify(results[0])).to.deep.equal([]);
  });

  describe("hostile and silent encrypted servers", () => {
    /** A TLS server on loopback that does `how` with each query. */
    const hostileTls = (how: "silent" | "strays" | "close" | "strays-then-answer"): Promise<Front> =>
      startTlsDnsServer(certificate, (query, answer, socket) => {
        if (how === "close") socket.destroy();
        if (how === "strays" || how === "strays-then-answer") {
          for (let i = 0; i < (how === "strays" ? 1000 : 20); i++) {
            const stray = Buffer.from(query);
            stray.writeUInt16BE((query.readUInt16BE(0) + 1 + i) & 0xffff, 0);
            stray[2]! |= 0x80;
            answer(stray);
          }
        }
        if (how === "strays-then-answer") {
          const q = dnsPacket.decode(query);
          answer(dnsPacket.encode({ type: "response", id: q.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: q.questions, answers: q.questions![0]!.type === "A" ? [{ type: "A", name: q.questions![0]!.name, ttl: 60, data: "198.51.100.7" }] : [] }));
        }
      });

    it("a silent DoT server costs each try its timeout, then the next server answers; attempts and rotate as over UDP", async () => {
      const silent = await hostileTls("silent");
      try {
        const r = resolver({ nameservers: [`tls://127.0.0.1:${silent.port}?name=dns.test`, `tls://127.0.0.1:${dot.port}?name=dns.test`], timeout: 300, attempts: 2 });
        const started = performance.now();
        const results = await Promise.all(Array.from({ length: 20 }, () => r.getaddrinfo("mail.edge.test", 80, 2, 1)));
        const took = performance.now() - started;
        expect(results.every((x) => x[0]![4][0] === "192.0.2.25")).to.equal(true);
        expect(took).to.be.within(280, 3000);
        const alone = resolver({ nameservers: [`tls://127.0.0.1:${silent.port}?name=dns.test`], timeout: 300, attempts: 2 });
        const t0 = performance.now();
        expect(await outcome(alone.getaddrinfo("mail.edge.test", 80, 2, 1))).to.include({ error: "GaiError", errno: -3 });
        // Two attempts of 300 ms, as res_send waits over UDP.
        expect(performance.now() - t0).to.be.within(550, 3000);
      } finally {
        await silent.stop();
      }
    });

    it("a DoT server flooding frames that answer nothing is dropped (EPROTO) at once; strays before the answer are skipped", async () => {
      for (const [how, resolves] of [["strays", false], ["close", false], ["strays-then-answer", true]] as const) {
        const bad = await hostileTls(how);
        try {
          const events: string[] = [];
          const r = resolver({ nameservers: [`tls://127.0.0.1:${bad.port}?name=dns.test`], timeout: 1500, tracer: (e) => e.kind === "error" && events.push(e.error) });
          const started = performance.now();
          const got = await outcome(r.getaddrinfo("mail.edge.test", 80, 2, 1));
          expect(performance.now() - started, how).to.be.below(1000);
          if (resolves) expect(got, how).to.deep.equal({ value: [[2, 1, 6, "", ["198.51.100.7", 80]]] });
          else {
            expect(got, how).to.include({ error: "GaiError", errno: -3 });
            expect(events.join(), how).to.match(how === "strays" ? /EPROTO/ : /EOF|ECONNRESET/);
          }
        } finally {
          await bad.stop();
        }
      }
    });

    it("a DoH server that never answers costs each try its timeout; one that answers 65,536 octets fails over", async () => {
      const server = http2.createSecureServer({ cert: certificate.cert, key: certificate.key });
      server.on("stream", (stream, headers) => {
        stream.on("error", () => undefined);
        if (headers[":path"] !== "/huge") return;
        stream.respond({ ":status": 200, "content-type": "application/dns-message" });
        stream.end(Buffer.alloc(0x10000));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const r = resolver({ nameservers: [`https://dns.test:${port}/stall`, `https://dns.test:${doh.port}/dns-query`], timeout: 300 });
        const started = performance.now();
        expect((await r.getaddrinfo("mail.edge.test", 80, 2, 1))[0]![4][0]).to.equal("192.0.2.25");
        expect(performance.now() - started).to.be.within(280, 3000);
        const huge = resolver({ nameservers: [`https://dns.test:${port}/huge`], timeout: 1000 });
        const t0 = performance.now();
        expect(await outcome(huge.getaddrinfo("mail.edge.test", 80, 2, 1))).to.include({ error: "GaiError", errno: -3 });
        expect(performance.now() - t0).to.be.below(900);
      } finally {
        await Promise.all(made.splice(0).map((x) => x.close()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
});
