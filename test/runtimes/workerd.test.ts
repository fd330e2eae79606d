/**
 * netdb in workerd (npm `workerd`, Cloudflare's runtime): no UDP socket,
 * no HTTP/2 client, no /etc files. The worker (worker.ts, bundled here
 * with esbuild) resolves names over DNS over HTTPS on the global `fetch`,
 * through a DoH front for Knot on loopback (test/support/encrypted.ts),
 * with its files from texts; its answers must be Node's for the same
 * files over plain UDP to the same Knot. workerd's outbound network is
 * limited to loopback (`allow = ["local"]`) and trusts only the test's
 * certificate.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resolver } from "../../src/resolver.js";
import { makeCertificate, startDohFront, type Front } from "../support/encrypted.js";
import { startKnot, worldZones, type KnotServer } from "../support/knot.js";
import { bundleForWorkerd } from "./bundle.js";
import { fixedNetwork, runtimeLookups } from "./lookups.js";

const WORKERD = fileURLToPath(new URL("../../node_modules/.bin/workerd", import.meta.url));
const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
const HOSTS = "127.0.0.1 localhost\n192.0.2.9 box.sandbox.test\n";
const RESOLV_CONF = "search edge.test\noptions timeout:2 attempts:1\n";

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** workerd's configuration: the worker, its text bindings, an outbound network of loopback only that trusts `ca`. */
function config(port: number, bindings: Record<string, string>, ca: string): string {
  const text = Object.entries(bindings).map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`).join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"], tlsOptions = (trustedCertificates = [${JSON.stringify(ca)}]))),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
  bindings = [${text}],
  globalOutbound = "loopback",
);
`;
}

/** GETs the worker once it listens (workerd takes a moment to start); rejects with its log after 20 s. */
async function askWorker(port: number, child: ChildProcess, log: () => string): Promise<unknown> {
  const until = performance.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      const body = await response.text();
      if (response.status !== 200) throw new Error(`worker answered ${response.status}: ${body}\n${log()}`);
      return JSON.parse(body);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("worker answered")) throw err;
      if (performance.now() > until) throw new Error(`workerd did not answer: ${String(err)}\n${log()}`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe("netdb in workerd: DNS over HTTPS on fetch, files from texts", function () {
  this.timeout(60_000);
  let knot: KnotServer;
  let doh: Front;
  let dir: string;
  let certificate: ReturnType<typeof makeCertificate>;

  before(async () => {
    knot = await startKnot(worldZones());
    certificate = makeCertificate(["dns.test"]);
    doh = await startDohFront(knot.port, certificate);
    dir = mkdtempSync(join(tmpdir(), "netdb-workerd-"));
  });
  after(async () => {
    await doh?.stop();
    await knot?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("answers every lookup as Node does over UDP, each query a DoH request", async () => {
    await bundleForWorkerd(WORKER, join(dir, "worker.js"));
    const port = await freePort();
    const url = `https://127.0.0.1:${doh.port}/dns-query`;
    writeFileSync(join(dir, "config.capnp"), config(port, { DOH_URL: url, HOSTS, RESOLV_CONF }, certificate.cert));
    let output = "";
    const child = spawn(WORKERD, ["serve", "--experimental", join(dir, "config.capnp")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      const fromWorker = await askWorker(port, child, () => output);
      const node = new Resolver({ files: { hosts: HOSTS, "resolv.conf": RESOLV_CONF }, nameservers: [`127.0.0.1:${knot.port}`], hostname: "worker", env: {}, network: fixedNetwork });
      const fromNode = await runtimeLookups(node);
      await node.close();
      expect(fromWorker).to.deep.equal(fromNode);
      expect((fromNode[0] as { value: unknown[] }).value).to.have.length.above(0);
      // Every DNS query of the worker went over DoH (hosts answered box.sandbox.test): fetch sends HTTP/1.1 or 2.
      expect(doh.queries.length).to.be.at.least(10);
      expect(doh.queries.every((q) => q.id === 0 && q.length % 128 === 0)).to.equal(true);
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});
