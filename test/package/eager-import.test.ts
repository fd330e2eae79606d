/**
 * What importing the built package loads, in a fresh node: the bundle
 * (scripts/build.ts) loads node:net, node:tls, node:http2, node:https,
 * node:crypto, node:dns, node:dgram and dns-packet only when a lookup needs them
 * (src/builtins.ts, src/dns/transport/builtins.ts, src/dns/packet.ts), so
 * neither `import("netdb")` nor a files-only CLI call loads any of them.
 * Each child reports the builtins Node loaded after its start
 * (`process.moduleLoadList`) and the CommonJS modules required; a control
 * child that does load them shows that the report would see them.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleNetdb } from "../../scripts/build.js";
import { REPO } from "../cli/process.js";

/**
 * Builtins (and their internals) that only a DNS exchange, an encrypted
 * server, a route's source address or node:dns compatibility needs; and
 * what an ES import of node:util or node:buffer would load with their
 * namespaces (parseArgs, MIMEType, File), which src/builtins.ts avoids.
 */
const LAZY_BUILTINS = [
  "net", "tls", "http2", "https", "crypto", "dns", "stream", "perf_hooks", "internal/fs/streams",
  "dgram", "internal/dgram", "internal/util/parse_args/parse_args", "internal/mime", "internal/file",
];

interface Loaded {
  /** Builtin modules loaded after the child started (`NativeModule x` entries, as `x`). */
  builtins: string[];
  /** CommonJS modules required, by path. */
  required: string[];
}

/**
 * Runs `body` (an ES module text) in a fresh node and resolves what it
 * loaded; the report goes to stderr at exit, after whatever `body` wrote.
 */
function loadedBy(body: string): Promise<Loaded> {
  const program = `
import { createRequire } from "node:module";
const before = new Set(process.moduleLoadList);
process.on("exit", () => {
  const builtins = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith("NativeModule ")).map((m) => m.slice(13));
  process.stderr.write("\\n" + JSON.stringify({ builtins, required: Object.keys(createRequire(import.meta.url).cache) }) + "\\n");
});
${body}`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", program], { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error !== null) return reject(new Error(`${error.message}\n${stderr}`));
      resolve(JSON.parse(stderr.trim().split("\n").at(-1)!) as Loaded);
    });
  });
}

/** Of `loaded`, the builtins in {@link LAZY_BUILTINS} and the dns-packet modules. */
function lazyOnes(loaded: Loaded): string[] {
  return [...loaded.builtins.filter((b) => LAZY_BUILTINS.includes(b)), ...loaded.required.filter((p) => p.includes("/node_modules/dns-packet/"))];
}

describe("package: what the import loads", function () {
  this.timeout(60_000);
  let dir: string;
  let dist: string;
  let root: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "netdb-eager-"));
    dist = join(dir, "dist");
    await bundleNetdb(dist, false);
    // A root whose hosts lookups are answered by the files alone: nothing can reach DNS.
    root = join(dir, "root");
    mkdirSync(join(root, "etc"), { recursive: true });
    writeFileSync(join(root, "etc/hosts"), "127.0.0.1 localhost\n::1 localhost\n");
    writeFileSync(join(root, "etc/nsswitch.conf"), "hosts: files\n");
    writeFileSync(join(root, "etc/resolv.conf"), "nameserver 127.0.0.1\n");
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("sees a lazily loaded builtin or dns-packet when a child does load them (the control)", async () => {
    const loaded = await loadedBy(`await import("node:net"); await import("node:crypto"); await import("node:dgram"); await import("node:util"); createRequire(${JSON.stringify(join(REPO, "package.json"))})("dns-packet");`);
    expect(lazyOnes(loaded)).to.include.members(["net", "crypto", "stream", "dgram", "internal/util/parse_args/parse_args"]);
    expect(loaded.required.some((p) => p.includes("/node_modules/dns-packet/"))).to.equal(true);
  });

  it("import of dist/index.js loads none of node:net, tls, http2, https, crypto, dns, streams, dns-packet", async () => {
    const loaded = await loadedBy(`const netdb = await import(${JSON.stringify(join(dist, "index.js"))}); if (typeof netdb.Resolver !== "function") throw new Error("no Resolver");`);
    expect(lazyOnes(loaded)).to.deep.equal([]);
  });

  it("a Resolver made and asked the hosts file loads none of them either", async () => {
    const loaded = await loadedBy(`const { Resolver } = await import(${JSON.stringify(join(dist, "index.js"))});
const r = new Resolver({ root: ${JSON.stringify(root)} });
if ((await r.gethostbyname("localhost")) !== "127.0.0.1") throw new Error("not from the hosts file");
await r.close();`);
    expect(lazyOnes(loaded)).to.deep.equal([]);
  });

  it("a files-only CLI call (netdb hosts localhost --root) loads none of them", async () => {
    // The CLI's stdout is replaced: Node's own process.stdout is a stream (and a pipe's a net.Socket).
    const loaded = await loadedBy(`const written = [];
Object.defineProperty(process, "stdout", { value: { write: (text) => written.push(text) } });
process.argv = [process.argv[0], "netdb", "hosts", "localhost", "--root", ${JSON.stringify(root)}];
await import(${JSON.stringify(join(dist, "cli.cjs"))});
process.on("exit", () => { if (written.join("") !== "::1             localhost\\n") throw new Error(JSON.stringify(written)); });`);
    expect(lazyOnes(loaded)).to.deep.equal([]);
  });
});
