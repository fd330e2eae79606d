/**
 * netdb where there is only `fetch`: workerd (npm `workerd`, Cloudflare's
 * runtime: no UDP socket, no HTTP/2 client, no /etc files), and the same
 * worker under Deno (npm `deno`, allowed the network of the DoH server's
 * address and port only, nothing else) and Bun (npm `bun`). The worker
 * (worker.ts, bundled here with esbuild) resolves names over DNS over
 * HTTPS on the global `fetch` through a DoH front for Knot on loopback
 * (test/support/encrypted.ts), with its files from texts; its answers must
 * be Node's for the same files over plain UDP to the same Knot, and every
 * DNS query of it must have reached the front as a padded DoH request
 * with ID 0. workerd's outbound network is loopback only (`allow =
 * ["local"]`) and trusts only the test's certificate; Deno trusts it
 * through `--cert`, Bun through NODE_EXTRA_CA_CERTS.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resolver } from "../../src/resolver.js";
import { makeCertificate, startDohFront, type Front, type TestCertificate } from "../support/encrypted.js";
import { startKnot, worldZones, type KnotServer } from "../support/knot.js";
import { bundleForWorkerd } from "./bundle.js";
import { fixedNetwork, runtimeLookups } from "./lookups.js";

const BIN = (name: string): string => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));
const HOSTS = "127.0.0.1 localhost\n192.0.2.9 box.sandbox.test\n";
const RESOLV_CONF = "search edge.test\noptions timeout:2 attempts:1\n";
/** DNS queries the lookups make: two per getaddrinfo and gethostbyname_ex, search-list candidates, the PTR. */
const MIN_QUERIES = 10;

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** workerd's configuration: the worker, its text bindings, an outbound network of loopback only that trusts `ca`. */
function workerdConfig(port: number, bindings: Record<string, string>, ca: string): string {
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

/** Runs `argv` to its end (at most 30 s); resolves its stdout, rejects with its output if it fails. */
function run(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${argv[0]} exited ${code ?? signal}:\n${stdout}\n${stderr}`));
    });
  });
}

/** GETs the worker once workerd listens (it takes a moment to start); rejects with its log after 20 s. */
async function askWorkerd(port: number, child: ChildProcess, log: () => string): Promise<unknown> {
  const until = performance.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log()}`);
    let response: Response | undefined;
    try {
      response = await fetch(`http://127.0.0.1:${port}/`);
    } catch (err) {
      if (performance.now() > until) throw new Error(`workerd did not answer: ${String(err)}\n${log()}`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    const body = await response.text();
    if (response.status !== 200) throw new Error(`worker answered ${response.status}: ${body}\n${log()}`);
    return JSON.parse(body);
  }
}

describe("netdb where there is only fetch: workerd, Deno, Bun (DNS over HTTPS, files from texts)", function () {
  this.timeout(60_000);
  let knot: KnotServer;
  let doh: Front;
  let dir: string;
  let certificate: TestCertificate;
  let fromNode: unknown[];
  let bindings: Record<string, string>;

  before(async () => {
    knot = await startKnot(worldZones());
    certificate = makeCertificate(["dns.test"]);
    doh = await startDohFront(knot.port, certificate);
    dir = mkdtempSync(join(tmpdir(), "netdb-fetch-only-"));
    writeFileSync(join(dir, "ca.pem"), certificate.ca);
    await bundleForWorkerd(WORKER, join(dir, "worker.js"));
    bindings = { DOH_URL: `https://127.0.0.1:${doh.port}/dns-query#http=fetch`, HOSTS, RESOLV_CONF };
    const node = new Resolver({ files: { hosts: HOSTS, "resolv.conf": RESOLV_CONF }, nameservers: [`127.0.0.1:${knot.port}`], hostname: "worker", env: {}, network: fixedNetwork });
    fromNode = await runtimeLookups(node);
    await node.close();
    expect((fromNode[0] as { value: unknown[] }).value).to.have.length.above(0);
  });
  after(async () => {
    await doh?.stop();
    await knot?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** The worker run once outside workerd: its fetch() called by a runner script, the answer's body printed. */
  const runnerFor = (): string => {
    const runner = join(dir, "runner.mjs");
    writeFileSync(runner, `import worker from "./worker.js";\nconst response = await worker.fetch(new Request("http://worker/"), ${JSON.stringify(bindings)});\nconsole.log(await response.text());\n`);
    return runner;
  };

  const expectSameAsNode = (fromRuntime: unknown, queriesBefore: number): void => {
    expect(fromRuntime).to.deep.equal(fromNode);
    const queries = doh.queries.slice(queriesBefore);
    expect(queries.length).to.be.at.least(MIN_QUERIES);
    expect(queries.every((q) => q.id === 0 && q.length % 128 === 0)).to.equal(true);
  };

  it("workerd: outbound network loopback only", async () => {
    const port = await freePort();
    // workerd has no http2 client: the URL without #http=fetch must fall back to fetch by itself.
    writeFileSync(join(dir, "config.capnp"), workerdConfig(port, { ...bindings, DOH_URL: bindings.DOH_URL!.replace("#http=fetch", "") }, certificate.ca));
    let output = "";
    const before = doh.queries.length;
    const child = spawn(BIN("workerd"), ["serve", join(dir, "config.capnp")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      expectSameAsNode(await askWorkerd(port, child, () => output), before);
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
    }
  });

  it("Deno: allowed the network of the DoH server only (no files, env, system info)", async () => {
    const before = doh.queries.length;
    const out = await run([BIN("deno"), "run", "--no-prompt", "--no-config", "--no-lock", `--allow-net=127.0.0.1:${doh.port}`, `--cert=${join(dir, "ca.pem")}`, runnerFor()], { PATH: process.env.PATH, HOME: dir, DENO_DIR: join(dir, "deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" });
    expectSameAsNode(JSON.parse(out), before);
  });

  it("Bun", async () => {
    const before = doh.queries.length;
    const out = await run([BIN("bun"), runnerFor()], { PATH: process.env.PATH, HOME: dir, NODE_EXTRA_CA_CERTS: join(dir, "ca.pem"), BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0", DO_NOT_TRACK: "1" });
    expectSameAsNode(JSON.parse(out), before);
  });
});
