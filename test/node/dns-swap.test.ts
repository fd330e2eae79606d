import { expect } from "chai";
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { TestDnsServer } from "../support/dnsserver.js";

/**
 * "node:dns swapped for netdb/dns": a child process registers a
 * module-resolution hook (support/dns-swap-hooks.mjs) that resolves
 * `node:dns` to netdb/dns for every module but netdb's own, then fetches
 * a page over HTTP through cacheable-lookup, a client that takes no
 * lookup function and resolves through `node:dns` itself. The page must
 * come back, the client's `node:dns` must have been netdb's, and every
 * query the test server saw must be one netdb's transport sent.
 */
describe("node/dns-swap: a real client with node:dns swapped for netdb/dns by module.register", function () {
  this.timeout(30_000);
  let dnsServer: TestDnsServer;
  let web: http.Server;

  before(async () => {
    dnsServer = await TestDnsServer.start({
      zones: [{ origin: "swap.test.", text: "$ORIGIN swap.test.\n$TTL 60\n@ IN SOA ns hostmaster 1 3600 900 604800 60\n@ IN NS ns\nns IN A 127.0.0.1\nweb IN A 127.0.0.1\n" }],
    });
    web = http.createServer((_req, res) => res.end("hello from loopback"));
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await dnsServer.stop();
  });

  it("fetches the page with every DNS answer from netdb", async () => {
    const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "--import", here("./support/dns-swap-register.mjs"), here("./support/dns-swap-child.ts"), String(dnsServer.port), String((web.address() as AddressInfo).port)],
        { timeout: 20_000 },
        (error, out, err) => (error === null ? resolve(out) : reject(new Error(`child failed: ${error.message}\n${err}`))),
      );
    });
    const report = JSON.parse(stdout) as { body: string; remote: string; swapped: boolean; servers: string[]; swaps: Array<{ specifier: string; parent: string }>; exchanges: string[] };
    expect(report.body).to.equal("hello from loopback");
    expect(report.remote).to.equal("127.0.0.1");
    expect(report.swapped, "node:dns and node:dns/promises were netdb's in the child").to.equal(true);
    expect(report.servers).to.deep.equal([`127.0.0.1:${dnsServer.port}`]);
    expect(report.swaps.some((s) => s.parent.includes("/cacheable-lookup/")), "cacheable-lookup's node:dns import was swapped").to.equal(true);
    const received = dnsServer.queries.map((q) => `${q.name.toLowerCase()} ${q.type}`);
    expect(received.filter((q) => q === "web.swap.test A"), "the client asked for the name's address").to.have.length.greaterThan(0);
    expect([...report.exchanges].sort(), "every query the server saw came from netdb").to.deep.equal([...received].sort());
  });
});
