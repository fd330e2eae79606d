/**
 * netdb/testing under code nobody here wrote: undici's fetch and request,
 * Node's own fetch, http.get, net.connect and tls.connect with no lookup
 * option, axios, got and ioredis (against a real redis-server), and
 * CommonJS and ES module code under test, each reaching a loopback server
 * by a name only the inline world knows. Then the same clients again
 * without the interception: each would have asked the system resolver,
 * and the network guard (test/support/netguard.ts) refuses it.
 */
import { expect } from "chai";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import tls from "node:tls";
import axios from "axios";
import got from "got";
import { Redis } from "ioredis";
import { fetch as undiciFetch, request as undiciRequest } from "undici";
import { interceptDns, type DnsInterception } from "../../src/testing/index.js";
import { takeViolations } from "../support/netguard.js";
import { makeCertificate, startEcho, startHttp, startHttps, startRedis, type Running } from "./servers.js";

const require = createRequire(import.meta.url);
const cjs = require("./code-under-test/client.cjs") as { lookupAll(name: string): Promise<unknown>; get(url: string): Promise<string> };
interface EsmClient {
  lookupNamed(name: string): Promise<{ address: string; family: number }>;
  txtNamed(name: string): Promise<string[][]>;
}

const ZONE = `$ORIGIN app.test.
$TTL 60
@       SOA ns hostmaster 1 3600 600 86400 60
@       NS  ns
ns      A   127.0.0.1
api     A   127.0.0.1
www     CNAME api
secure  A   127.0.0.1
cache   A   127.0.0.1
echo    A   127.0.0.1
@       TXT "made by the inline world"
`;
const HOSTS = "127.0.0.1 db.internal\n";

describe("interceptDns: other people's clients", function () {
  this.timeout(30_000);
  const credentials = makeCertificate("secure.app.test");
  let web: Running;
  let secure: Running;
  let echo: Running;
  let redis: Running;
  let esm: EsmClient;

  before(async () => {
    esm = (await import(new URL("./code-under-test/client.mjs", import.meta.url).href)) as EsmClient;
    [web, secure, echo, redis] = await Promise.all([startHttp(), startHttps(credentials), startEcho(), startRedis()]);
  });
  after(async () => {
    await Promise.all([web, secure, echo, redis].map((s) => s?.stop()));
  });

  const body = (res: http.IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve(text));
      res.on("error", reject);
    });

  /** Each client: what it does, and what it gives when the name resolves. */
  const clients: Array<[string, () => Promise<string>, () => string]> = [
    ["undici fetch", async () => (await undiciFetch(`http://www.app.test:${web.port}/`, { headers: { "user-agent": "undici-fetch/1" } })).text(), () => `hello www.app.test:${web.port} from undici-fetch`],
    ["undici request", async () => (await undiciRequest(`http://api.app.test:${web.port}/`, { headers: { "user-agent": "undici-request/1" } })).body.text(), () => `hello api.app.test:${web.port} from undici-request`],
    ["Node's global fetch", async () => (await fetch(`http://api.app.test:${web.port}/`, { headers: { "user-agent": "fetch/1" } })).text(), () => `hello api.app.test:${web.port} from fetch`],
    ["http.get without a lookup option", () => new Promise<string>((resolve, reject) => {
      http.get(`http://db.internal:${web.port}/`, { headers: { "user-agent": "http.get/1" } }, (res) => resolve(body(res))).on("error", reject);
    }), () => `hello db.internal:${web.port} from http.get`],
    ["net.connect", () => new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: "echo.app.test", port: echo.port });
      socket.on("error", reject);
      socket.setEncoding("utf8");
      let text = "";
      let peer = "";
      socket.on("connect", () => {
        peer = socket.remoteAddress ?? "";
        socket.end("ping over net");
      });
      socket.on("data", (chunk: string) => (text += chunk));
      socket.on("close", () => resolve(`${text} from ${peer}`));
    }), () => "ping over net from 127.0.0.1"],
    ["tls.connect with a certificate for the name", () => new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: "secure.app.test", port: secure.port, ca: credentials.cert, servername: "secure.app.test" });
      socket.on("error", reject);
      socket.on("secureConnect", () => {
        const state = `authorized ${socket.authorized} for ${String(socket.getPeerCertificate().subject.CN)}`;
        socket.end();
        socket.on("close", () => resolve(state));
      });
    }), () => "authorized true for secure.app.test"],
    ["axios", async () => (await axios.get<string>(`http://api.app.test:${web.port}/`, { headers: { "user-agent": "axios/1" }, responseType: "text" })).data, () => `hello api.app.test:${web.port} from axios`],
    ["got", () => got(`http://www.app.test:${web.port}/`, { headers: { "user-agent": "got/14" }, retry: { limit: 0 } }).text(), () => `hello www.app.test:${web.port} from got`],
    ["ioredis against redis-server", async () => {
      const client = new Redis({ host: "cache.app.test", port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on("error", () => undefined);
      try {
        await client.connect();
        await client.set("greeting", "stored through cache.app.test");
        return (await client.get("greeting")) ?? "";
      } finally {
        client.disconnect();
      }
    }, () => "stored through cache.app.test"],
    ["CommonJS code under test (require)", () => cjs.get(`http://api.app.test:${web.port}/`), () => `hello api.app.test:${web.port} from client.cjs`],
    ["ES module code under test (named imports of node:dns)", async () => `${(await esm.lookupNamed("api.app.test")).address} ${(await esm.txtNamed("app.test")).flat().join()}`, () => "127.0.0.1 made by the inline world"],
  ];

  describe("intercepted", () => {
    let dns: DnsInterception;
    before(() => {
      dns = interceptDns({ hosts: HOSTS, zone: ZONE });
    });
    after(() => dns.restore());

    for (const [what, run, expected] of clients) {
      it(`${what} reaches the loopback server by its world name`, async () => {
        expect(await run()).to.equal(expected());
      });
    }

    it("logged every question those clients asked, by API", () => {
      const asked = new Set(dns.questions.map((q) => `${q.api} ${q.name}`));
      for (const expected of ["dns.lookup www.app.test", "dns.lookup api.app.test", "dns.lookup db.internal", "dns.lookup echo.app.test", "dns.lookup secure.app.test", "dns.lookup cache.app.test", "dns.promises.resolveTxt app.test"]) {
        expect([...asked]).to.include(expected);
      }
      expect(dns.questions.filter((q) => q.error !== undefined)).to.deep.equal([]);
      expect(dns.unused().map((u) => `${u.from} ${u.name} ${u.type}`)).to.deep.equal(["zone ns.app.test A"]);
    });
  });

  describe("without the interception", () => {
    for (const [what, run] of clients) {
      it(`${what} would have asked the system resolver: the network guard refuses it`, async () => {
        const outcome = await run().then((value) => `resolved: ${value}`, (err: Error) => err);
        expect(outcome).to.be.instanceOf(Error);
        const violations = takeViolations();
        expect(violations.join("\n")).to.match(/^network guard: dns\.lookup of a non-local name to non-loopback address "(www|api|db|echo|secure|cache)\.(app\.test|internal)" refused$/m);
      });
    }
  });
});
