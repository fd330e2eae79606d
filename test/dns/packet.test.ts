import { expect } from "chai";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * dns-packet is loaded on first use (src/dns/packet.ts): a child process
 * imports netdb and runs a gethostbyname over DNS without loading it, then
 * decodes an MX answer, which must load it.
 */
describe("dns: dns-packet loaded on first use", function () {
  this.timeout(30_000);
  let report: { afterImport: boolean; address: string; afterLookup: boolean; mx: unknown; afterMx: boolean };

  before(async () => {
    const child = fileURLToPath(new URL("./support/packet-child.ts", import.meta.url));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ["--import", "tsx", child], { timeout: 30_000 }, (error, out, err) =>
        error === null ? resolve(out) : reject(new Error(`child failed: ${error.message}\n${err}`)),
      );
    });
    report = JSON.parse(stdout) as typeof report;
  });

  it("is not loaded by the import", () => {
    expect(report.afterImport).to.equal(false);
  });

  it("is not loaded by a gethostbyname answered over DNS", () => {
    expect(report.address).to.equal("192.0.2.7");
    expect(report.afterLookup).to.equal(false);
  });

  it("is loaded to decode an MX answer", () => {
    expect(report.mx).to.deep.equal([{ exchange: "", priority: 10 }]);
    expect(report.afterMx).to.equal(true);
  });
});
