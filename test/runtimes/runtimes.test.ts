/**
 * netdb under Bun and Deno (both from the npm registry, devDependencies):
 * the seed tour prints what Node prints, the golden lookup cases pass,
 * the CLI (the built dist/cli.cjs) prints and exits as under Node, lookups
 * against Knot over UDP and TCP give Node's answers, getaddrinfo's RFC
 * 6724 order over the machine's own network is Node's, and under Deno a
 * least-privilege run (`--allow-net=127.0.0.1:PORT --allow-read=DIR`)
 * works. Each runtime runs test/runtimes/probe.ts from the sources (Deno
 * with --sloppy-imports, for the sources' `.js` import specifiers).
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../cli/process.js";
import { startKnot, worldZones, type KnotServer } from "../support/knot.js";

const BIN = join(REPO, "node_modules/.bin");
const PROBE = "test/runtimes/probe.ts";
const SEED_WORLD = "fixtures/seed-world";
const SEED_ROOT = "fixtures/worlds/seed";

interface Runtime {
  name: string;
  /** The command line that runs a TypeScript file of the sources. */
  ts: string[];
  /** The command line that runs a JavaScript file (the built package). */
  js: string[];
  /**
   * Golden worlds whose cases run only in part: their first server refuses
   * every query, which Deno's node:dgram (its connect never reaches the
   * kernel) cannot hear, so each query there waits out its 1 s timeout
   * instead (same answers, 170 s a world).
   */
  partialWorlds: Record<string, number>;
}

const NODE: Runtime = { name: "node", ts: [process.execPath, "--import", "tsx"], js: [process.execPath], partialWorlds: {} };
const RUNTIMES: Runtime[] = [
  { name: "bun", ts: [join(BIN, "bun")], js: [join(BIN, "bun")], partialWorlds: {} },
  {
    name: "deno",
    ts: [join(BIN, "deno"), "run", "-A", "--sloppy-imports"],
    js: [join(BIN, "deno"), "run", "-A"],
    partialWorlds: { deadfirst: 8, nssrefused: 8 },
  },
];

interface Run {
  stdout: string;
  stderr: string;
  status: number;
}

/** Runs a command line in the repository; resolves its output and exit status. */
function run(argv: string[], timeout = 240_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { cwd: REPO, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") reject(error);
      else resolve({ stdout, stderr, status: error === null ? 0 : (error.code as number) });
    });
  });
}

/** Runs probe.ts under `runtime` and parses what it printed. */
async function probe(runtime: Runtime, ...args: string[]): Promise<unknown> {
  const { stdout, stderr, status } = await run([...runtime.ts, PROBE, ...args]);
  if (status !== 0) throw new Error(`${runtime.name} ${PROBE} ${args.join(" ")} exited ${status}: ${stderr}`);
  return JSON.parse(stdout);
}

/** CLI command lines whose output is the same on every run (no live round-trip times). */
function cliLines(knotPort: number): string[][] {
  const server = `127.0.0.1:${knotPort}`;
  return [
    ["services", "https", "53/udp", "nosuch"],
    ["protocols", "tcp", "17"],
    ["hosts", "localhost", "--root", SEED_ROOT],
    ["ahosts", "www.python.org", "--world", SEED_WORLD],
    ["addrinfo", "www.doughellmann.com", "http", "--flags", "canonname", "--world", SEED_WORLD],
    ["nameinfo", "192.168.1.8", "80", "--flags", "namereqd", "--world", SEED_WORLD, "--json"],
    ["hostbyname_ex", "www", "--world", SEED_WORLD, "--json"],
    ["hosts", "nosuchname.hellfly.net", "--world", SEED_WORLD],
    ["hostbyname_ex", "www.hellfly.net", "--root", SEED_ROOT, "--server", server],
    ["hostbyname_ex", "www.hellfly.net", "--root", SEED_ROOT, "--server", server, "--tcp"],
    ["hostbyaddr", "192.168.1.8", "--root", SEED_ROOT, "--server", server, "--tcp"],
    ["ahosts", "nosuch.hellfly.net", "--root", SEED_ROOT, "--server", server],
    ["nosuchcommand"],
  ];
}

describe("runtimes: Bun and Deno give Node's results", function () {
  this.timeout(300_000);
  let knot: KnotServer;
  let nodeKnot: unknown;
  let nodeOrder: unknown;
  const nodeCli = new Map<string, Run>();

  before(async () => {
    knot = await startKnot(worldZones("seed"));
    nodeKnot = await probe(NODE, "knot", String(knot.port));
    nodeOrder = await probe(NODE, "order");
    for (const line of cliLines(knot.port)) nodeCli.set(line.join(" "), await run([...NODE.js, "dist/cli.cjs", ...line]));
  });

  after(async () => {
    await knot?.stop();
  });

  it("Node's own Knot answers are the seed world's, the same over UDP and TCP", () => {
    const answers = nodeKnot as { udp: Record<string, unknown>; tcp: Record<string, unknown> };
    expect(answers.udp).to.deep.equal(answers.tcp);
    expect(answers.udp.gethostbyname_ex).to.deep.equal(["hellfly.net", ["www.hellfly.net"], ["50.56.79.68"]]);
    expect(answers.udp.nxdomain).to.deep.equal({ error: "GaiError: [Errno -2] Name or service not known" });
  });

  for (const runtime of RUNTIMES) {
    describe(runtime.name, () => {
      it("prints the seed tour (npm start) exactly as Node does", async () => {
        const { stdout, stderr, status } = await run([...runtime.ts, "examples/seed.ts"]);
        expect(status, stderr).to.equal(0);
        expect(stdout).to.equal(readFileSync(join(REPO, SEED_WORLD, "expected-output.txt"), "utf8"));
      });

      it("passes every golden lookup case that needs no namespace", async () => {
        const whole = (await probe(runtime, "golden", ...Object.keys(runtime.partialWorlds).map((w) => `-${w}`))) as { passed: number; failures: string[] };
        expect(whole.failures).to.deep.equal([]);
        expect(whole.passed).to.be.greaterThan(2_000);
        for (const [world, first] of Object.entries(runtime.partialWorlds)) {
          const part = (await probe(runtime, "golden", `${world}:${first}`)) as { passed: number; failures: string[] };
          expect(part).to.deep.include({ passed: first, failures: [] });
        }
      });

      it("answers as Node does from Knot over UDP and over TCP", async () => {
        expect(await probe(runtime, "knot", String(knot.port))).to.deep.equal(nodeKnot);
      });

      it("sorts getaddrinfo's addresses over this machine's network as Node does", async () => {
        expect(await probe(runtime, "order")).to.deep.equal(nodeOrder);
      });

      if (runtime.name === "deno") {
        it("with least privilege, fails with one clear line until the UDP bind address is allowed, then answers as Node", async () => {
          const root = join(REPO, SEED_ROOT);
          const deno = (allow: string[]): Promise<unknown> =>
            run([join(BIN, "deno"), "run", "--sloppy-imports", ...allow, PROBE, "least", root, String(knot.port)]).then(({ stdout, stderr, status }) => {
              if (status !== 0) throw new Error(`deno ${allow.join(" ")} exited ${status}: ${stderr}`);
              return JSON.parse(stdout);
            });
          const net = `--allow-net=127.0.0.1:${knot.port}`;
          const read = `--allow-read=${root}`;
          const nodeLeast = (await probe(NODE, "least", root, String(knot.port))) as Record<string, unknown>;
          expect(nodeLeast.gethostbyname_ex).to.deep.equal(["hellfly.net", ["www.hellfly.net"], ["50.56.79.68"]]);

          const bindDenied = `Error: netdb: Deno denies net access to 0.0.0.0:0, where a UDP socket to 127.0.0.1:${knot.port} is bound first: add 0.0.0.0:0 to --allow-net`;
          // AI_ADDRCONFIG needs the interface list, and the sort's sources the routing tables (Deno lets
          // /proc/net be read only with --allow-all), each refused in Deno's own one line.
          const sysDenied = 'NotCapable: Requires sys access to "networkInterfaces", run again with the --allow-sys flag';
          expect(await deno([net, read])).to.deep.equal({
            gethostbyname_ex: { error: bindDenied }, getaddrinfo: { error: bindDenied }, addrconfig: { error: sysDenied },
          });
          expect(await deno([`${net},0.0.0.0:0`, read])).to.deep.equal({ ...nodeLeast, addrconfig: { error: sysDenied } });
          expect(await deno([`${net},0.0.0.0:0`, read, "--allow-sys=networkInterfaces"])).to.deep.equal({
            ...nodeLeast,
            addrconfig: { error: 'NotCapable: Requires read access to "/proc/net/route", run again with the --allow-read flag' },
          });
        });
      }

      it("runs the CLI (dist/cli.cjs) with Node's output and exit status, command by command", async () => {
        for (const line of cliLines(knot.port)) {
          const got = await run([...runtime.js, "dist/cli.cjs", ...line]);
          expect(got, line.join(" ")).to.deep.equal(nodeCli.get(line.join(" ")));
        }
      });
    });
  }
});
