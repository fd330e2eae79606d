import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sinon from "sinon";
import { parseHosts } from "../../src/files/hosts.js";
import { fileFailure } from "../../src/files/failure.js";
import { EtcTables, MAX_FILE_SIZE, nodeFileSystem, type EtcFileSystem, type EtcTablesOptions } from "../../src/files/source.js";

/** The real file system, counting what EtcTables asks of it. */
class CountingFs implements EtcFileSystem {
  stats = 0;
  reads = 0;
  stat(path: string) {
    this.stats++;
    return nodeFileSystem.stat(path);
  }
  read(path: string) {
    this.reads++;
    return nodeFileSystem.read(path);
  }
}

describe("EtcTables", () => {
  let root: string;
  let clock: number;
  let fs: CountingFs;

  const write = (name: string, text: string) => writeFileSync(join(root, "etc", name), text);
  const tables = (options: EtcTablesOptions = {}) =>
    new EtcTables({ root, fs, now: () => clock, env: {}, hostname: "box", ...options });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "netdb-etc-"));
    mkdirSync(join(root, "etc"));
    clock = 1_000_000;
    fs = new CountingFs();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe("where the tables come from", () => {
    it("reads ROOT/etc/NAME", () => {
      write("services", "mine 1234/tcp\n");
      write("protocols", "mine 200\n");
      write("hosts", "10.1.2.3 mine\n");
      write("resolv.conf", "nameserver 10.0.0.53\nsearch example\n");
      write("nsswitch.conf", "hosts: dns files\n");
      write("hostname", "box.example\n");
      const t = tables();
      expect(t.services().byName("mine")?.port).to.equal(1234);
      expect(t.services().byName("http")).to.equal(undefined);
      expect(t.protocols().byName("mine")?.number).to.equal(200);
      expect(t.hosts().byName("mine")[0].address).to.equal("10.1.2.3");
      expect(t.resolvConf().nameservers[0].address).to.equal("10.0.0.53");
      expect(t.resolvConf().search).to.deep.equal(["example"]);
      expect(t.nsswitch().hosts).to.deep.equal(["dns", "files"]);
      expect(t.hostname()).to.equal("box.example");
    });

    it("falls back to the embedded defaults for missing files", () => {
      const t = tables();
      expect(t.services().byName("https", "tcp")?.port).to.equal(443);
      expect(t.protocols().byName("udp")?.number).to.equal(17);
      expect(t.hosts().entries).to.deep.equal(parseHosts("127.0.0.1 localhost\n::1 localhost\n").entries);
      expect(t.resolvConf().nameservers).to.deep.equal([{ address: "127.0.0.1", port: 53, family: 4 }]);
      expect(t.nsswitch().hosts).to.deep.equal(["files", "dns"]);
      expect(t.hostname()).to.equal(undefined);
    });

    it("reads a directory where a file should be as glibc does: no services, a failing hosts file (EISDIR)", () => {
      mkdirSync(join(root, "etc", "services"));
      mkdirSync(join(root, "etc", "hosts"));
      const t = tables();
      expect(t.services().byName("http")).to.equal(undefined);
      expect(t.services().entries).to.deep.equal([]);
      expect(t.hosts().failure).to.deep.equal({ errno: 21, code: "EISDIR" });
      expect(t.hosts().byName("localhost")).to.deep.equal([]);
    });

    it("never opens a FIFO or a device (EINVAL), nor a file over MAX_FILE_SIZE (EFBIG)", () => {
      execFileSync("mkfifo", [join(root, "etc", "hosts")]);
      symlinkSync("/dev/zero", join(root, "etc", "protocols"));
      writeFileSync(join(root, "etc", "services"), "");
      truncateSync(join(root, "etc", "services"), MAX_FILE_SIZE + 1);
      const t = tables();
      expect(t.hosts().failure).to.deep.equal({ errno: 22, code: "EINVAL" });
      expect(t.protocols().entries).to.deep.equal([]);
      expect(t.services().entries).to.deep.equal([]);
      expect(fs.reads).to.equal(0);
    });

    it("takes texts given directly over the root's files, and reads nothing else when there is no root", () => {
      write("services", "fromdisk 1/tcp\n");
      const both = tables({ files: { services: "given 2/tcp\n" } });
      expect(both.services().byName("given")?.port).to.equal(2);
      expect(both.services().byName("fromdisk")).to.equal(undefined);

      const textsOnly = new EtcTables({ files: { hosts: "10.9.9.9 given\n" }, fs, env: {}, hostname: "box" });
      expect(textsOnly.hosts().byName("given")).to.have.length(1);
      expect(textsOnly.services().byName("http")?.port).to.equal(80);
      expect(textsOnly.resolvConf().nameservers[0].address).to.equal("127.0.0.1");
      expect(fs.stats + fs.reads).to.equal(0);
    });

    it("applies the environment and the host name to resolv.conf", () => {
      write("resolv.conf", "search from.file\n");
      const t = tables({ env: { LOCALDOMAIN: "from.env", RES_OPTIONS: "ndots:3" } });
      expect(t.resolvConf().search).to.deep.equal(["from.env"]);
      expect(t.resolvConf().ndots).to.equal(3);
      expect(tables({ hostname: "box.lan" }).resolvConf().search).to.deep.equal(["from.file"]); // the file wins over the host name
      rmSync(join(root, "etc", "resolv.conf"));
      expect(tables({ hostname: "box.lan" }).resolvConf().search).to.deep.equal(["lan"]);
    });
  });

  describe("re-reading", () => {
    it("parses once, checks the file at most once a second, re-reads only on change", () => {
      write("services", "a 1/tcp\n");
      const t = tables();
      const first = t.services();
      expect(first.byName("a")?.port).to.equal(1);
      expect([fs.stats, fs.reads]).to.deep.equal([1, 1]);

      write("services", "a 2/tcp\n");
      clock += 999;
      expect(t.services()).to.equal(first); // not checked yet
      expect(fs.stats).to.equal(1);

      clock += 1;
      expect(t.services().byName("a")?.port).to.equal(2);
      expect([fs.stats, fs.reads]).to.deep.equal([2, 2]);

      clock += 5000;
      const second = t.services();
      expect(t.services()).to.equal(second);
      expect([fs.stats, fs.reads]).to.deep.equal([3, 2]); // checked, unchanged, not read
    });

    it("notices a file appearing and disappearing", () => {
      const t = tables();
      expect(t.services().byName("late")).to.equal(undefined);
      write("services", "late 7/tcp\n");
      clock += 1000;
      expect(t.services().byName("late")?.port).to.equal(7);
      rmSync(join(root, "etc", "services"));
      clock += 1000;
      expect(t.services().byName("late")).to.equal(undefined);
      expect(t.services().byName("http")?.port).to.equal(80);
    });

    it("keeps resolv.conf once read when it says no-reload, as glibc", () => {
      write("resolv.conf", "nameserver 10.0.0.1\noptions no-reload\n");
      const t = tables();
      expect(t.resolvConf().nameservers[0].address).to.equal("10.0.0.1");
      write("resolv.conf", "nameserver 10.0.0.2\n");
      clock += 10_000;
      expect(t.resolvConf().nameservers[0].address).to.equal("10.0.0.1");
      expect(fs.stats).to.equal(1);
    });

    it("does not try a file that failed again until it changes", () => {
      write("hosts", "10.1.1.1 late\n");
      chmodSync(join(root, "etc", "hosts"), 0o000);
      // Root reads a mode-000 file; the unreadable file is a file system that says EACCES.
      const denying: EtcFileSystem = { stat: (path) => fs.stat(path), read: (path) => (path.endsWith("hosts") ? fileFailure("EACCES") : fs.read(path)) };
      const t = new EtcTables({ root, fs: denying, now: () => clock, env: {}, hostname: "box" });
      expect(t.hosts().failure).to.deep.equal({ errno: 13, code: "EACCES" });
      for (let i = 0; i < 10; i++) {
        clock += 1000;
        t.hosts();
      }
      expect(fs.stats).to.equal(11); // checked once a second, never opened again
      chmodSync(join(root, "etc", "hosts"), 0o644); // the ctime changes
      clock += 1000;
      const read = new EtcTables({ root, fs, now: () => clock, env: {}, hostname: "box" });
      expect(read.hosts().byName("late")).to.have.length(1);
    });

    it("sees a file rewritten in place in several writes whole by the first check after its last write", () => {
      const path = join(root, "etc", "hosts");
      write("hosts", "10.0.0.1 stable\n10.0.0.2 other\n");
      const t = tables();
      expect(t.hosts().byName("stable")).to.have.length(1);
      // A writer truncates the file and writes it again, line by line.
      const fd = openSync(path, "w");
      writeSync(fd, "10.0.0.2 other\n");
      clock += 1000;
      expect(t.hosts().byName("stable")).to.deep.equal([]); // half-written, seen as it is
      writeSync(fd, "10.0.0.1 stable\n");
      closeSync(fd);
      expect(t.hosts().byName("stable")).to.deep.equal([]); // until the next check
      clock += 1000;
      expect(t.hosts().byName("stable")).to.have.length(1);
    });

    it("reads a file that changed while it was read again at the next check", () => {
      const path = join(root, "etc", "hosts");
      write("hosts", "10.0.0.1 first\n");
      let reads = 0;
      // A writer appends between netdb's stat and its read's end.
      const racing: EtcFileSystem = {
        stat: (p) => fs.stat(p),
        read: (p) => {
          const text = fs.read(p);
          if (reads++ === 0) appendFileSync(path, "10.0.0.2 second\n");
          return text;
        },
      };
      const t = new EtcTables({ root, fs: racing, now: () => clock, env: {}, hostname: "box" });
      expect(t.hosts().byName("second")).to.deep.equal([]);
      clock += 1000;
      expect(t.hosts().byName("second")).to.have.length(1);
    });

    it("never re-reads texts given directly", () => {
      const t = new EtcTables({ files: { services: "x 1/tcp\n" }, fs, now: () => clock });
      const first = t.services();
      clock += 10_000;
      expect(t.services()).to.equal(first);
      expect(fs.stats + fs.reads).to.equal(0);
    });
  });

  describe("a 100,000-line hosts file", () => {
    const lines = 100_000;
    const text = Array.from({ length: lines }, (_, i) =>
      `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\thost${i}.example host${i}\n`).join("");

    it("parses well within a second (bound: 3 s, for slow machines)", () => {
      const start = performance.now();
      const table = parseHosts(text);
      const elapsed = performance.now() - start;
      expect(table.entries).to.have.length(lines);
      expect(elapsed).to.be.below(3000);
    });

    it("answers a lookup with the same constant number of Map reads as a 10-line file", () => {
      const big = parseHosts(text);
      const small = parseHosts(text.split("\n").slice(0, 10).join("\n"));
      const gets = sinon.spy(Map.prototype, "get");
      try {
        const count = (lookup: () => unknown) => {
          gets.resetHistory();
          lookup();
          return gets.callCount;
        };
        const perLookup = [
          count(() => small.byName("host5")), count(() => big.byName("host99999")), count(() => big.byName("HOST5.example")),
          count(() => small.byAddress("10.0.0.5")), count(() => big.byAddress("10.1.134.159")), count(() => big.byName("nosuch")),
        ];
        expect(perLookup.every((n) => n === perLookup[0] && n <= 2), String(perLookup)).to.equal(true);
      } finally {
        gets.restore();
      }
      expect(big.byAddress("10.1.134.159")[0].canonical).to.equal("host99999.example");
    });
  });
});
