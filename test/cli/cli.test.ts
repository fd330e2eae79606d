/**
 * The `netdb` command as a process: usage errors, help, and lookups
 * against the in-process test DNS server serving the seed world's zones
 * (with the seed world's etc files as root), recording a world and
 * replaying it.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestDnsServer } from "../support/dnsserver.js";
import { netdb, REPO, SEED_ROOT } from "./process.js";

describe("netdb CLI", function () {
  this.timeout(30_000);

  describe("command line", () => {
    it("prints the general help with --help", async () => {
      const run = await netdb("--help");
      expect(run.status).to.equal(0);
      expect(run.stdout).to.match(/^usage: netdb COMMAND \[ARGS\.\.\.\] \[OPTIONS\]\n/);
      for (const command of ["hosts", "ahostsv6", "services", "protocols", "addrinfo", "nameinfo", "hostbyname_ex", "fqdn"]) {
        expect(run.stdout).to.contain(`\n  ${command} `);
      }
      expect(run.stderr).to.equal("");
    });

    it("prints a command's help with COMMAND --help", async () => {
      const run = await netdb("addrinfo", "--help");
      expect(run.status).to.equal(0);
      expect(run.stdout.split("\n")[0]).to.equal("usage: netdb addrinfo HOST [PORT] [--family 4|6] [--type stream|dgram|raw] [--flags FLAG,...] [OPTIONS]");
      expect(run.stdout).to.contain("Flags for --flags (comma-separated): passive, canonname, numerichost, v4mapped, all, addrconfig, numericserv.");
    });

    const wrong: [string[], string][] = [
      [[], "netdb: no command given (see netdb --help)\n"],
      [["frobnicate"], 'netdb: unknown command "frobnicate" (see netdb --help)\n'],
      [["hostbyname"], "netdb: hostbyname needs NAME (see netdb --help)\n"],
      [["addrinfo", "www", "--family", "5"], 'netdb: --family must be 4 or 6, not "5" (see netdb --help)\n'],
      [["hosts", "x", "--server", "localhost"], 'netdb: --server must be an IP address with an optional port (ADDR, ADDR:PORT, [ADDR]:PORT), not "localhost" (see netdb --help)\n'],
      [["hosts", "x", "--world", "/nonexistent/world"], "netdb: /nonexistent/world is not a world: it has no exchanges.jsonl\n"],
    ];
    for (const [args, message] of wrong) {
      it(`refuses \`netdb ${args.join(" ") || "(nothing)"}\` with one line and status 1`, async () => {
        const run = await netdb(...args);
        expect(run).to.deep.equal({ stdout: "", stderr: message, status: 1 });
      });
    }
  });

  describe("against a live server", () => {
    let server: TestDnsServer;
    let at: string[];

    before(async () => {
      server = await TestDnsServer.start({ worldZones: join(SEED_ROOT, "zones"), ipv6: false });
      at = ["--root", SEED_ROOT, "--server", `127.0.0.1:${server.port}`];
    });
    after(() => server.stop());
    afterEach(() => server.reset());

    it("answers hostbyname_ex in the layout of the seed", async () => {
      const run = await netdb(...at, "hostbyname_ex", "www");
      expect(run).to.deep.equal({ stdout: "Hostname : hellfly.net\nAliases  : ['www.hellfly.net']\nAddresses: ['50.56.79.68']\n", stderr: "", status: 0 });
    });

    it("answers hostbyname, hostbyaddr, nameinfo and fqdn", async () => {
      expect((await netdb(...at, "hostbyname", "www.python.org")).stdout).to.equal("82.94.164.162\n");
      expect((await netdb(...at, "hostbyaddr", "192.168.1.8")).stdout).to.equal("Hostname : homer.hellfly.net\nAliases  : []\nAddresses: ['192.168.1.8']\n");
      expect((await netdb(...at, "nameinfo", "192.168.1.8", "80")).stdout).to.equal("homer.hellfly.net http\n");
      expect((await netdb(...at, "fqdn", "www")).stdout).to.equal("hellfly1.hellfly.net\n");
      expect((await netdb(...at, "fqdn")).stdout).to.equal("farnsworth.hellfly.net\n");
    });

    it("answers addrinfo with the requested hints", async () => {
      const run = await netdb(...at, "addrinfo", "www.doughellmann.com", "http", "--family", "4", "--type", "stream", "--flags", "canonname");
      expect(run.stdout).to.equal("AF_INET  SOCK_STREAM  IPPROTO_TCP  ('192.168.1.8', 80)  homer.doughellmann.com\n");
    });

    it("reports a failed lookup as Python does, on stderr, with status 2", async () => {
      const run = await netdb(...at, "hostbyname", "no.such.name.test.");
      expect(run).to.deep.equal({ stdout: "", stderr: "netdb: hostbyname: [Errno -2] Name or service not known\n", status: 2 });
      expect(server.count()).to.equal(1);
    });

    it("prints JSON with --json", async () => {
      const ok = await netdb(...at, "--json", "hostbyname_ex", "www");
      expect(JSON.parse(ok.stdout)).to.deep.equal({ command: "hostbyname_ex", args: ["www"], result: ["hellfly.net", ["www.hellfly.net"], ["50.56.79.68"]] });
      const failed = await netdb(...at, "--json", "hostbyaddr", "192.0.2.254");
      expect(failed.status).to.equal(2);
      expect(JSON.parse(failed.stdout)).to.deep.equal({
        command: "hostbyaddr",
        args: ["192.0.2.254"],
        error: { type: "herror", errno: 1, code: "HOST_NOT_FOUND", message: "[Errno 1] Unknown host" },
      });
    });

    it("explains a lookup step by step with --trace", async () => {
      const run = await netdb(...at, "--trace", "hostbyname_ex", "www");
      const port = server.port;
      const lines = run.stdout.split("\n");
      expect(lines.slice(0, 3)).to.deep.equal([
        ";; hosts: files dns",
        `;; nameservers 127.0.0.1:${port}; search hellfly.net; options ndots:1 timeout:5 attempts:2`,
        ";; gethostbyname_ex('www')",
      ]);
      expect(lines).to.include(';; files has no entry for "www"');
      expect(lines).to.include(';; search list for "www": try www.hellfly.net, then www');
      expect(lines).to.include(`;;   -> www.hellfly.net A to 127.0.0.1:${port} over udp`);
      expect(lines.find((l) => l.startsWith(`;;   <- www.hellfly.net A from 127.0.0.1:${port} over udp in `))).to.match(/ ms: NOERROR, 2 answers$/);
      expect(lines).to.include(';; dns answered "www"');
      expect(lines.find((l) => l.startsWith(";; => 'hellfly.net' with 1 address in "))).to.not.equal(undefined);
      expect(lines.slice(-4)).to.deep.equal(["Hostname : hellfly.net", "Aliases  : ['www.hellfly.net']", "Addresses: ['50.56.79.68']", ""]);
    });

    it("names the address, not its bytes, when tracing a reverse lookup", async () => {
      const run = await netdb(...at, "--trace", "hostbyaddr", "192.168.1.8");
      const lines = run.stdout.split("\n");
      expect(lines).to.include(';; files has no entry for "192.168.1.8"');
      expect(lines).to.include(`;;   -> 8.1.168.192.in-addr.arpa PTR to 127.0.0.1:${server.port} over udp`);
      expect(lines).to.include(';; dns answered "192.168.1.8"');
    });

    it("shows truncation and the TCP retry", async () => {
      server.misbehave({ name: "www.python.org", protocol: "udp", behaviour: { kind: "truncate" } });
      const run = await netdb(...at, "--trace", "hostbyname", "www.python.org");
      const port = server.port;
      const lines = run.stdout.split("\n");
      const udp = lines.findIndex((l) => l.startsWith(`;;   <- www.python.org A from 127.0.0.1:${port} over udp`));
      expect(lines[udp]).to.match(/NOERROR, 0 answers, truncated \(TC\): the answer did not fit$/);
      expect(lines.slice(udp + 1, udp + 3)).to.deep.equal([
        `;; truncated answer from 127.0.0.1:${port}: asking it again over TCP`,
        `;;   -> www.python.org A to 127.0.0.1:${port} over tcp`,
      ]);
      expect(lines[udp + 3]).to.match(new RegExp(`^;;   <- www\\.python\\.org A from 127\\.0\\.0\\.1:${port} over tcp in .* ms: NOERROR, 1 answer$`));
      expect(lines.at(-2)).to.equal("82.94.164.162");
    });

    it("asks over TCP only with --tcp", async () => {
      const run = await netdb(...at, "--tcp", "hostbyname", "www.python.org");
      expect(run.stdout).to.equal("82.94.164.162\n");
      expect(server.count("udp")).to.equal(0);
      expect(server.count("tcp")).to.equal(1);
    });

    it("gives up after --timeout when the server does not answer, and says so in the trace", async () => {
      server.misbehave({ behaviour: { kind: "drop" } });
      const started = Date.now();
      const run = await netdb(...at, "--timeout", "0.2", "--trace", "hostbyname", "www");
      expect(Date.now() - started).to.be.below(10_000);
      expect(run.status).to.equal(2);
      expect(run.stderr).to.equal("netdb: hostbyname: [Errno -3] Temporary failure in name resolution\n");
      expect(run.stdout).to.match(/;; {3}!! www\.hellfly\.net A to 127\.0\.0\.1:\d+ over udp: ETIMEDOUT/);
    });

    it("records a world with --record that --world then replays offline", async () => {
      const world = join(mkdtempSync(join(tmpdir(), "netdb-cli-")), "world");
      const live = await netdb(...at, "--record", world, "hostbyname_ex", "www");
      const again = await netdb(...at, "--record", world, "hostbyname", "www.python.org");
      expect(existsSync(join(world, "etc", "hosts"))).to.equal(true);
      server.reset();
      // No --server: a replay needs none, and nothing may reach the test server.
      const replayed = await netdb("--world", world, "hostbyname_ex", "www");
      const replayedToo = await netdb("--world", world, "hostbyname", "www.python.org");
      expect(replayed).to.deep.equal(live);
      expect(replayedToo).to.deep.equal(again);
      expect(server.count()).to.equal(0);

      const miss = await netdb("--world", world, "hostbyname", "ftp");
      expect(miss.status).to.equal(1);
      expect(miss.stdout).to.equal("");
      expect(miss.stderr).to.match(new RegExp(`^netdb: no recording of ftp\\.hellfly\\.net A IN \\(udp to 127\\.0\\.0\\.1:\\d+\\) in world ${world};`));
    });
  });

  describe("against a recorded world", () => {
    const world = join(REPO, "test/cli/golden/seed");

    it("prints getent results as JSON, found or not, with the error of a failed host lookup", async () => {
      const run = await netdb("--world", world, "--json", "hosts", "www", "no.such.name.test.");
      expect(run.status).to.equal(2);
      expect(JSON.parse(run.stdout)).to.deep.equal({
        command: "hosts",
        results: [
          { key: "www", found: true, entries: [{ address: "50.56.79.68", name: "hellfly.net", aliases: ["www.hellfly.net"] }] },
          {
            key: "no.such.name.test.",
            found: false,
            entries: [],
            error: { type: "herror", errno: 1, code: "HOST_NOT_FOUND", message: "[Errno 1] Unknown host" },
          },
        ],
      });
    });

    it("prints ahosts and services entries as JSON, and whole tables without keys", async () => {
      const ahosts = JSON.parse((await netdb("--world", world, "--json", "ahostsv4", "zoidberg")).stdout) as { results: { entries: unknown[] }[] };
      expect(ahosts.results[0]!.entries).to.deep.equal([
        { address: "192.168.1.23", scopeId: 0, socktype: 1, canonname: "zoidberg.hellfly.net" },
        { address: "192.168.1.23", scopeId: 0, socktype: 2, canonname: "" },
        { address: "192.168.1.23", scopeId: 0, socktype: 3, canonname: "" },
      ]);
      const services = JSON.parse((await netdb("--world", world, "--json", "services")).stdout) as { command: string; entries: { name: string }[] };
      expect(services.command).to.equal("services");
      expect(services.entries[0]).to.deep.equal({ name: "tcpmux", port: 1, proto: "tcp", aliases: [] });
    });

    it("puts the trace events in the JSON with --json --trace", async () => {
      const run = await netdb("--world", world, "--json", "--trace", "hosts", "www");
      const { results } = JSON.parse(run.stdout) as { results: { trace: { kind: string; text?: string }[] }[] };
      const trace = results[0]!.trace;
      expect(trace[0]).to.deep.equal({ kind: "note", text: "gethostbyname2('www', AF_INET6)" });
      expect(trace.map((e) => e.kind)).to.include.members(["source", "search", "query", "response"]);
      expect(trace.filter((e) => e.kind === "note").map((e) => e.text)).to.include("gethostbyname2('www', AF_INET)");
    });
  });
});
