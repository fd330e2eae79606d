/**
 * `netdb query` beyond dig's text (JSON, --trace, --search, errors and exit
 * statuses), the command-line checks of --root and --record, --version and
 * the built bin, all as real processes, against a real Knot.
 */
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleNetdb } from "../../scripts/build.js";
import { startKnot, type KnotServer } from "../support/knot.js";
import { digZones, run } from "./golden/dig-regen.js";
import { netdb, REPO, SEED_ROOT } from "./process.js";

const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

describe("netdb query", function () {
  this.timeout(60_000);
  let knot: KnotServer;
  let server: string;
  before(async () => {
    knot = await startKnot(digZones());
    server = `127.0.0.1:${knot.port}`;
  });
  after(async () => {
    await knot.stop();
  });

  it("--json: header, sections with TTLs and RDATA as dig writes it, one result per type", async () => {
    const r = await netdb("query", "--server", server, "mx.types.test", "MX", "TXT", "--json", "--root", SEED_ROOT);
    expect(r.status).to.equal(0);
    const doc = JSON.parse(r.stdout) as { command: string; name: string; results: Array<Record<string, unknown>> };
    expect(doc.command).to.equal("query");
    expect(doc.results.map((x) => [x.type, x.status])).to.deep.equal([["MX", "answer"], ["TXT", "answer"]]);
    const mx = doc.results[0]!;
    expect(mx.answer).to.deep.equal([
      { name: "mx.types.test", ttl: 600, class: "IN", type: "MX", data: "10 mail.types.test." },
      { name: "mx.types.test", ttl: 600, class: "IN", type: "MX", data: "20 ." },
    ]);
    expect(mx.header).to.include({ rcode: "NOERROR", aa: true, rd: true, ra: false });
    expect(mx.server).to.equal(server);
    expect((doc.results[1]!.authority as unknown[]).length).to.equal(1);
  });

  it("--trace: every response's records with their TTLs, text and JSON alike, rtt rounded, config in both", async () => {
    const text = await netdb("query", "--server", server, "alias.types.test", "--trace", "--root", SEED_ROOT);
    expect(text.status).to.equal(0);
    expect(text.stdout).to.match(/^;; hosts: files dns\n;; nameservers 127\.0\.0\.1:\d+; search hellfly\.net; options ndots:1/);
    expect(text.stdout).to.include(";;        answer alias.types.test. 600 CNAME a.types.test.\n;;        answer a.types.test. 600 A 192.0.2.1\n");
    const json = await netdb("query", "--server", server, "alias.types.test", "--trace", "--json", "--root", SEED_ROOT);
    const doc = JSON.parse(json.stdout) as { config: { nameservers: string[]; search: string[] }; results: Array<{ trace: Array<Record<string, unknown>> }> };
    expect(doc.config.nameservers).to.deep.equal([server]);
    expect(doc.config.search).to.deep.equal(["hellfly.net"]);
    const response = doc.results[0]!.trace.find((e) => e.kind === "response")!;
    expect(response.records).to.deep.include({ section: "answer", name: "a.types.test", ttl: 600, type: "A", data: "192.0.2.2" });
    expect(Math.round((response.rtt as number) * 10) / 10).to.equal(response.rtt);
  });

  it("asks the name as given; --search (or +search) applies the search list and ndots", async () => {
    const exact = await netdb("query", "--server", server, "www", "--short", "--root", SEED_ROOT);
    expect(exact).to.deep.include({ status: 0, stdout: "" });
    for (const spelling of ["--search", "+search"]) {
      const searched = await netdb("query", "--server", server, "www", spelling, "+short", "--root", SEED_ROOT);
      expect(searched, spelling).to.deep.include({ status: 0, stdout: "hellfly.net.\n50.56.79.68\n" });
    }
  });

  it("exit status as dig's: 0 for NXDOMAIN, 9 for no reply, 10 for a name that cannot be sent, 1 for a wrong command line", async () => {
    expect((await netdb("query", "--server", server, "nope.types.test", "--root", SEED_ROOT)).status).to.equal(0);
    const bad = await netdb("query", "--server", server, "a..b", "--root", SEED_ROOT);
    expect(bad).to.deep.include({ status: 10, stderr: "netdb: 'a..b' is not a legal name (empty label)\n" });
    for (const args of [["query"], ["query", "a.types.test", "BOGUS"], ["query", "a.types.test", "+bogus"], ["hosts", "x", "--short"], ["query", "x", "OPT"]]) {
      const r = await netdb(...args);
      expect(r.status, args.join(" ")).to.equal(1);
      expect(r.stderr, args.join(" ")).to.match(/^netdb: .*\(see netdb --help\)\n$/);
    }
  });

  it("no server listening: 9 within the resolver's bound, dig's lines", async () => {
    const started = Date.now();
    const r = await netdb("query", "--server", "127.0.0.1:9", "a.types.test", "--timeout", "0.2", "--root", SEED_ROOT);
    expect(r.status).to.equal(9);
    expect(r.stdout).to.match(/;; communications error to 127\.0\.0\.1#9: (connection refused|timed out)\n/);
    expect(r.stdout.endsWith(";; no servers could be reached\n")).to.equal(true);
    expect(Date.now() - started).to.be.below(15_000);
  });
});

describe("netdb command-line checks", function () {
  this.timeout(60_000);

  it("--version prints the package's version", async () => {
    expect(await netdb("--version")).to.deep.include({ status: 0, stdout: `netdb ${VERSION}\n` });
  });

  it("--root to a missing directory is a usage error", async () => {
    const r = await netdb("--root", "/nonexistent-netdb-root", "hosts", "localhost");
    expect(r).to.deep.include({ status: 1, stdout: "", stderr: "netdb: --root /nonexistent-netdb-root: no such directory\n" });
  });

  for (const dir of ["/proc/x", "/sys/netdb/world"]) {
    it(`--record ${dir} is refused at once`, async () => {
      const started = Date.now();
      const r = await netdb("--record", dir, "hosts", "localhost");
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(/^netdb: --record .*: cannot record a world under \/(proc|sys), a kernel pseudo-filesystem\n$/);
      expect(Date.now() - started).to.be.below(10_000);
    });
  }

  it("--trace says when AI_ADDRCONFIG leaves nothing to look up", async () => {
    const world = mkdtempSync(join(tmpdir(), "netdb-loopback-world-"));
    try {
      cpSync(join(REPO, "test/cli/golden/seed"), world, { recursive: true });
      const network = JSON.parse(readFileSync(join(world, "network.json"), "utf8")) as { addresses: Array<{ address: string }> };
      network.addresses = network.addresses.filter((a) => a.address === "127.0.0.1" || a.address === "::1");
      writeFileSync(join(world, "network.json"), JSON.stringify(network));
      const r = await netdb("--world", world, "--trace", "ahostsv4", "www.hellfly.net");
      expect(r.status).to.equal(2);
      expect(r.stdout).to.include(";; AI_ADDRCONFIG: no IPv4 address configured (loopback does not count), so nothing is looked up: EAI_NONAME\n");
      expect(r.stdout).not.to.include(";;   ->");
    } finally {
      rmSync(world, { recursive: true, force: true });
    }
  });

  it("the built bin is executable and runs", async () => {
    const out = mkdtempSync(join(REPO, "node_modules/.netdb-bin-test-"));
    try {
      await bundleNetdb(out, false);
      expect(statSync(join(out, "cli.cjs")).mode & 0o777).to.equal(0o755);
      expect(await run(join(out, "cli.cjs"), ["--version"])).to.deep.include({ status: 0, stdout: `netdb ${VERSION}\n` });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
