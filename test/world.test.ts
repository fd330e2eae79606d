import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, SEED_ROOT } from "./cli/process.js";
import { TestDnsServer } from "./support/dnsserver.js";
import type { Destination, InterfaceAddress, NetworkEnvironment } from "../src/lookup/network.js";
import type { Transport } from "../src/dns/transport/transport.js";
import { GaiError } from "../src/errors.js";
import { ReplayMissError } from "../src/dns/transport/replay.js";
import { Resolver } from "../src/resolver.js";
import { openWorld, recordWorld } from "../src/world.js";

const scratch = mkdtempSync(join(tmpdir(), "netdb-world-"));
let worlds = 0;
const newDir = () => join(scratch, `w${++worlds}`);

/** A transport that must not be used: these tests exchange nothing. */
const unusedTransport: Transport = {
  exchange: () => Promise.reject(new Error("no exchange expected")),
  close: () => Promise.resolve(),
};

const LAPTOP: InterfaceAddress[] = [
  { name: "lo", index: 1, family: 4, address: "127.0.0.1", prefixlen: 8 },
  { name: "eth0", index: 2, family: 4, address: "192.168.1.17", prefixlen: 24 },
];

/** A machine with eth0 on 192.168.1.17/24 and an IPv4 default route, no IPv6. */
const laptop: NetworkEnvironment = {
  addresses: () => LAPTOP,
  indexOf: (name) => LAPTOP.find((a) => a.name === name)?.index ?? 0,
  nameOf: (index) => LAPTOP.find((a) => a.index === index)?.name,
  sourceFor: (d: Destination) => Promise.resolve(d.family === 4 ? "192.168.1.17" : null),
};

/** Another machine, with loopback only, that must not show through. */
const loopbackMachine: NetworkEnvironment = {
  addresses: () => [],
  indexOf: () => 0,
  nameOf: () => undefined,
  sourceFor: () => Promise.resolve(null),
};

const dest = (address: string, family: 4 | 6 = 4): Destination => ({ family, address, port: 0, scopeId: 0 });

describe("worlds", () => {
  it("refuse a directory without an exchange log", () => {
    const dir = newDir();
    mkdirSync(join(dir, "etc"), { recursive: true });
    expect(() => openWorld(dir)).to.throw(`${dir} is not a world: it has no exchanges.jsonl`);
  });

  it("replay as a loopback-only machine named localhost when they say nothing else", async () => {
    const dir = newDir();
    mkdirSync(dir);
    writeFileSync(join(dir, "exchanges.jsonl"), "");
    const world = openWorld(dir);
    expect(world.root).to.equal(dir);
    expect(world.hostname).to.equal("localhost");
    expect(world.env).to.deep.equal({});
    expect(world.network.addresses().map((a) => `${a.name} ${a.address}/${a.prefixlen}`)).to.deep.equal(["lo 127.0.0.1/8", "lo ::1/128"]);
    expect(world.network.indexOf("lo")).to.equal(1);
    expect(world.network.nameOf(1)).to.equal("lo");
    expect(world.network.indexOf("eth0")).to.equal(0);
    expect(await world.network.sourceFor(dest("127.0.0.9"))).to.equal("127.0.0.1");
    expect(await world.network.sourceFor(dest("::1", 6))).to.equal("::1");
    expect(await world.network.sourceFor(dest("::ffff:127.0.0.2", 6))).to.equal("::ffff:127.0.0.1");
    expect(await world.network.sourceFor(dest("192.0.2.1"))).to.equal(null);
    expect(await world.network.sourceFor(dest("2001:db8::1", 6))).to.equal(null);
    expect(world.transport.unused()).to.deep.equal([]);
  });

  describe("recorded", () => {
    const root = newDir();
    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "etc", "hosts"), "192.0.2.1 alpha\n");
    writeFileSync(join(root, "etc", "resolv.conf"), "nameserver 127.0.0.1\nsearch example.test\n");
    writeFileSync(join(root, "etc", "hostname"), "not-the-one-used\n");

    it("copy the etc files, save the hostname used, and remember the network", async () => {
      const dir = newDir();
      const recording = recordWorld(dir, { root, transport: unusedTransport, network: laptop, hostname: "farnsworth.example.test" });
      expect(recording.root).to.equal(root);
      expect(recording.hostname).to.equal("farnsworth.example.test");
      expect(await recording.network.sourceFor(dest("192.0.2.80"))).to.equal("192.168.1.17");
      expect(await recording.network.sourceFor(dest("2001:db8::80", 6))).to.equal(null);
      await recording.finish();

      expect(readFileSync(join(dir, "etc", "hosts"), "utf8")).to.equal("192.0.2.1 alpha\n");
      expect(readFileSync(join(dir, "etc", "resolv.conf"), "utf8")).to.contain("search example.test");
      expect(readFileSync(join(dir, "etc", "hostname"), "utf8")).to.equal("farnsworth.example.test\n");
      expect(readFileSync(join(dir, "exchanges.jsonl"), "utf8")).to.equal("");

      const world = openWorld(dir);
      expect(world.hostname).to.equal("farnsworth.example.test");
      expect(world.network.addresses()).to.deep.equal(LAPTOP);
      expect(world.network.indexOf("eth0")).to.equal(2);
      expect(await world.network.sourceFor(dest("192.0.2.80"))).to.equal("192.168.1.17");
      expect(await world.network.sourceFor(dest("2001:db8::80", 6))).to.equal(null);
      expect(await world.network.sourceFor(dest("127.0.0.1"))).to.equal("127.0.0.1");
      const err = await world.network.sourceFor(dest("198.51.100.1")).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.equal(`no recorded source address for 198.51.100.1 in world ${dir}; record the world again`);
    });

    it("add to the world already there when appending", async () => {
      const dir = newDir();
      const first = recordWorld(dir, { root, transport: unusedTransport, network: laptop });
      await first.network.sourceFor(dest("192.0.2.1"));
      await first.finish();
      const line = '{"id":0,"protocol":"udp","query":"","question":{"class":"IN","name":"a","type":"A"},"response":"","server":"127.0.0.1:53"}\n';
      writeFileSync(join(dir, "exchanges.jsonl"), line);
      const second = recordWorld(dir, { root, transport: unusedTransport, network: laptop, append: true });
      await second.network.sourceFor(dest("192.0.2.2"));
      await second.finish();
      expect(readFileSync(join(dir, "exchanges.jsonl"), "utf8")).to.equal(line);
      const world = openWorld(dir);
      expect(await world.network.sourceFor(dest("192.0.2.1"))).to.equal("192.168.1.17");
      expect(await world.network.sourceFor(dest("192.0.2.2"))).to.equal("192.168.1.17");
      expect(world.transport.unused()).to.have.length(1);

      const fresh = recordWorld(dir, { root, transport: unusedTransport, network: laptop });
      await fresh.finish();
      expect(readFileSync(join(dir, "exchanges.jsonl"), "utf8")).to.equal("");
      const err = await openWorld(dir).network.sourceFor(dest("192.0.2.1")).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.contain("no recorded source address for 192.0.2.1");
    });

    it("keep their networks when spread over another, as the Resolver spreads them over the machine's", async () => {
      const dir = newDir();
      const recording = recordWorld(dir, { root, transport: unusedTransport, network: laptop });
      const overRecording: NetworkEnvironment = { ...loopbackMachine, ...recording.network };
      expect(await overRecording.sourceFor(dest("192.0.2.80"))).to.equal("192.168.1.17");
      expect(overRecording.addresses()).to.deep.equal(LAPTOP);
      await recording.finish();
      const overWorld: NetworkEnvironment = { ...loopbackMachine, ...openWorld(dir).network };
      expect(await overWorld.sourceFor(dest("192.0.2.80"))).to.equal("192.168.1.17");
      expect(overWorld.indexOf("eth0")).to.equal(2);
    });

    it("write network.json sorted, so a re-recording diffs only where the network changed", async () => {
      const dir = newDir();
      const recording = recordWorld(dir, { root, transport: unusedTransport, network: laptop });
      for (const address of ["192.0.2.9", "192.0.2.10", "192.0.2.9"]) await recording.network.sourceFor(dest(address));
      await recording.finish();
      const saved = JSON.parse(readFileSync(join(dir, "network.json"), "utf8")) as { sources: { address: string }[] };
      expect(saved.sources.map((s) => s.address)).to.deep.equal(["192.0.2.10", "192.0.2.9"]);
    });
  });
});

/** The fenced blocks of docs/fixtures.md whose info string is `ts NAME`, by NAME. */
function docExamples(): Map<string, string> {
  const text = readFileSync(join(REPO, "docs/fixtures.md"), "utf8");
  return new Map([...text.matchAll(/^```ts (\S+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** `example` with each placeholder replaced, failing when the docs no longer hold one. */
function instantiate(example: string, replacements: Record<string, string>): string {
  let code = example;
  for (const [placeholder, value] of Object.entries(replacements)) {
    expect(code, `docs/fixtures.md example lost ${placeholder}`).to.contain(placeholder);
    code = code.split(placeholder).join(value);
  }
  return code;
}

/** Runs a command without blocking this process (the test server answers from it). */
function run(command: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO, timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : -1, output: stdout + stderr });
    });
  });
}

describe("Resolver.fromWorld", () => {
  const SEED_WORLD = join(REPO, "fixtures/seed-world");

  it("answers from the world's files and recorded DNS, named as the world's host", async () => {
    const resolver = Resolver.fromWorld(SEED_WORLD);
    expect(resolver.gethostname()).to.equal("farnsworth.hellfly.net");
    expect(await resolver.gethostbyname_ex("www")).to.deep.equal(["hellfly.net", ["www.hellfly.net"], ["50.56.79.68"]]);
    expect(await resolver.gethostbyname_ex("bender")).to.deep.equal(["Bender.Hellfly.NET", ["BENDER", "bender-alias"], ["192.168.1.20"]]);
    expect(resolver.getservbyname("imaps")).to.equal(993);
  });

  it("fails loudly for a query the world has no recording of", async () => {
    const err = await Resolver.fromWorld(SEED_WORLD).gethostbyname("mail").then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ReplayMissError);
    expect((err as Error).message).to.match(/^no recording of mail\.hellfly\.net A IN \(udp to 127\.0\.0\.1:53\) in world .*fixtures\/seed-world/);
  });

  it("answers such a query NXDOMAIN with nxdomainOnMiss, so the lookup fails as for a name that does not exist", async () => {
    const err = await Resolver.fromWorld(SEED_WORLD, { nxdomainOnMiss: true }).gethostbyname("mail").then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(GaiError);
    expect((err as GaiError).message).to.equal("[Errno -2] Name or service not known");
  });

  it("takes resolver options on top of the world's", () => {
    const resolver = Resolver.fromWorld(SEED_WORLD, { hostname: "bender.hellfly.net", ndots: 3 });
    expect(resolver.gethostname()).to.equal("bender.hellfly.net");
    expect(resolver.resolvConf().ndots).to.equal(3);
    expect(resolver.resolvConf().search).to.deep.equal(["hellfly.net"]);
  });
});

// The examples run as .mts files: the temporary directory has no
// package.json saying "type": "module", and they use ESM and top-level await.
describe("docs/fixtures.md examples", function () {
  this.timeout(60_000);
  const examples = docExamples();
  const dir = mkdtempSync(join(tmpdir(), "netdb-docs-"));
  const world = join(dir, "www");
  let server: TestDnsServer;

  before(async () => {
    server = await TestDnsServer.start({ worldZones: join(SEED_ROOT, "zones"), ipv6: false });
  });
  after(() => server.stop());

  /** The examples' world and package, made real. */
  const places = () => ({
    'from "netdb"': `from ${JSON.stringify(join(REPO, "src/index.ts"))}`,
    '"test/worlds/www"': JSON.stringify(world),
  });

  it("has the record, mocha, node:test and vitest examples", () => {
    expect([...examples.keys()]).to.deep.equal(["record", "mocha", "node:test", "vitest"]);
  });

  it("records a world from a live loopback server (the record example)", async () => {
    const code = instantiate(examples.get("record")!, {
      ...places(),
      '"test/worlds/etc-source"': JSON.stringify(SEED_ROOT),
      '"127.0.0.1:5353"': JSON.stringify(`127.0.0.1:${server.port}`),
    });
    writeFileSync(join(dir, "record.mts"), code);
    const result = await run(process.execPath, ["--import", "tsx", join(dir, "record.mts")]);
    expect(result.status, result.output).to.equal(0);
    expect(server.count()).to.equal(3);
    expect(openWorld(world).transport.unused().map((e) => e.question.name)).to.deep.equal(["www.hellfly.net", "www.hellfly.net", "ftp.hellfly.net"]);
  });

  it("replays it in mocha (the mocha example)", async () => {
    writeFileSync(join(dir, "mocha.test.mts"), instantiate(examples.get("mocha")!, places()));
    const mocha = join(REPO, "node_modules/mocha/bin/mocha.js");
    const result = await run(process.execPath, [mocha, "--no-config", "--node-option", "import=tsx", join(dir, "mocha.test.mts")]);
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.contain("3 passing");
  });

  it("replays it in vitest (the vitest example)", async () => {
    const root = join(dir, "vitest");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "world.test.ts"), instantiate(examples.get("vitest")!, places()));
    const result = await run(process.execPath, [join(REPO, "node_modules/vitest/vitest.mjs"), "run", "--root", root]);
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.match(/Tests\s+2 passed \(2\)/);
  });

  it("replays it in node:test (the node:test example)", async () => {
    writeFileSync(join(dir, "node.test.mts"), instantiate(examples.get("node:test")!, places()));
    const result = await run(process.execPath, ["--import", "tsx", "--test", join(dir, "node.test.mts")]);
    expect(result.status, result.output).to.equal(0);
    expect(result.output).to.match(/# pass 2\n/);
  });
});
