import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * "Runs without node:fs when given texts and a transport": a child process
 * imports netdb with node:fs trapped for netdb's own modules (every call
 * throws and is recorded; see support/fs-trap-hooks.mjs) and runs a lookup
 * of every kind from a Resolver built from texts and a fake transport.
 */
describe("node: netdb without node:fs", function () {
  this.timeout(30_000);
  let report: { afterImport: string[]; startedByImport: string[]; answers: Record<string, unknown>; duringUse: string[]; control: string[] };

  before(async () => {
    const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "--import", here("./support/fs-trap-register.mjs"), here("./support/no-fs-child.ts")],
        { timeout: 30_000 },
        (error, out, err) => (error === null ? resolve(out) : reject(new Error(`child failed: ${error.message}\n${err}`))),
      );
    });
    report = JSON.parse(stdout) as typeof report;
  });

  it("has no side effect at import: importing src/index.ts touches no file and starts nothing", () => {
    expect(report.afterImport).to.deep.equal([]);
    expect(report.startedByImport).to.deep.equal([]);
  });

  it("answers every kind of lookup from texts and a transport without touching a file", () => {
    expect(report.duringUse).to.deep.equal([]);
    expect(report.answers).to.deep.equal({
      gethostname: "box",
      gethostbyname: "192.0.2.7",
      gethostbyname_ex: ["box.sandbox.test", ["box"], ["192.0.2.1"]],
      getaddrinfo: [[2, 1, 6, "", ["192.0.2.7", 80]]],
      getservbyname: 443,
      getprotobyname: 17,
      gethostbyaddr: ["box.sandbox.test", ["box"], ["192.0.2.1"]],
      resolveMx: [{ exchange: "mail.sandbox.test", priority: 10 }],
      lookup: [{ address: "192.0.2.7", family: 4 }, { address: "2001:db8::7", family: 6 }],
    });
  });

  it("really traps node:fs: a Resolver of the system's files hits the trap", () => {
    expect(report.control).to.not.deep.equal([]);
    expect(report.control[0]).to.match(/^node:fs\.\w+\(\/etc\//);
  });
});
