import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationSource } from "../../src/files/config.js";
import { EtcTables } from "../../src/files/source.js";
import { DEFAULT_POLICY } from "../../src/files/gaiconf.js";
import { resolvConfOverlay } from "../../src/options.js";

describe("files/config: ConfigurationSource", () => {
  let root: string;
  let clock: number;
  const write = (name: string, text: string) => writeFileSync(join(root, "etc", name), text);
  const source = (overlay = resolvConfOverlay({})) =>
    new ConfigurationSource(new EtcTables({ root, now: () => clock, env: {}, hostname: "box" }), overlay);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "netdb-config-"));
    mkdirSync(join(root, "etc"));
    clock = 1_000_000;
    write("hosts", "10.1.2.3 mine\n");
    write("resolv.conf", "nameserver 10.0.0.53\n");
    write("nsswitch.conf", "hosts: files dns\n");
    write("host.conf", "multi on\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("holds every file's parse, resolv.conf with the options on top", () => {
    const config = source(resolvConfOverlay({ nameservers: ["127.0.0.1:5353"], ndots: 3 })).current();
    expect(config.hosts.byName("mine")[0]!.address).to.equal("10.1.2.3");
    expect(config.nsswitch.hostsSources.map((s) => s.name)).to.deep.equal(["files", "dns"]);
    expect(config.hostConf.multi).to.equal(true);
    expect(config.gaiPolicy).to.equal(DEFAULT_POLICY);
    expect(config.resolvConf.nameservers.map((s) => `${s.address}:${s.port}`)).to.deep.equal(["127.0.0.1:5353"]);
    expect(config.resolvConf.ndots).to.equal(3);
  });

  it("is the same object while no file changed, checks included", () => {
    const configs = source();
    const first = configs.current();
    clock += 5_000;
    expect(configs.current()).to.equal(first);
    expect(configs.current()).to.equal(first);
  });

  it("is another object once a file changed; resolv.conf's part stays while resolv.conf does", () => {
    const configs = source();
    const first = configs.current();
    write("hosts", "10.9.9.9 mine other\n");
    clock += 1_000;
    const second = configs.current();
    expect(second).to.not.equal(first);
    expect(second.hosts.byName("mine")[0]!.address).to.equal("10.9.9.9");
    expect(second.resolvConf).to.equal(first.resolvConf);
    expect(second.nsswitch).to.equal(first.nsswitch);

    write("resolv.conf", "nameserver 10.0.0.54\noptions ndots:2\n");
    clock += 1_000;
    const third = configs.current();
    expect(third).to.not.equal(second);
    expect(third.resolvConf).to.not.equal(second.resolvConf);
    expect(third.resolvConf.nameservers[0]!.address).to.equal("10.0.0.54");
    expect(third.hosts).to.equal(second.hosts);
  });

  it("gives resolv.conf's part alone, the same object as the snapshot's, made again when resolv.conf changed", () => {
    const configs = source();
    const first = configs.current();
    expect(configs.resolvConf()).to.equal(first.resolvConf);
    write("resolv.conf", "nameserver 10.0.0.55\n");
    clock += 1_000;
    const conf = configs.resolvConf();
    expect(conf.nameservers[0]!.address).to.equal("10.0.0.55");
    expect(configs.current().resolvConf).to.equal(conf);
  });

  it("sees a new gai.conf and host.conf", () => {
    const configs = source();
    const first = configs.current();
    write("gai.conf", "precedence ::1/128 50\n");
    write("host.conf", "multi off\n");
    clock += 1_000;
    const second = configs.current();
    expect(second.gaiPolicy).to.not.equal(DEFAULT_POLICY);
    expect(second.hostConf.multi).to.equal(false);
    expect(first.hostConf.multi).to.equal(true);
  });

  it("does not change the tables' resolv.conf: the overlay makes its own", () => {
    const tables = new EtcTables({ root, now: () => clock, env: {}, hostname: "box" });
    const config = new ConfigurationSource(tables, resolvConfOverlay({ ndots: 4 })).current();
    expect(config.resolvConf.ndots).to.equal(4);
    expect(tables.resolvConf().ndots).to.equal(1);
  });
});
