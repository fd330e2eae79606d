/**
 * `npm start` (examples/seed.ts): the seed tour replayed from
 * fixtures/seed-world prints what CPython printed for the same programs in
 * the same world (fixtures/seed-world/expected-output.txt), with no network
 * at all, and the world holds exactly the exchanges the tour needs.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runSeedTour, SEED_WORLD } from "../examples/seed.js";
import { Resolver } from "../src/resolver.js";
import { openWorld } from "../src/world.js";
import { REPO } from "./cli/process.js";

const EXPECTED = readFileSync(join(SEED_WORLD, "expected-output.txt"), "utf8");

describe("npm start (examples/seed.ts)", function () {
  this.timeout(60_000);

  it("prints CPython's output for the seed tour, inside `unshare -n` (no network at all)", async () => {
    const { stdout, status, stderr } = await new Promise<{ stdout: string; stderr: string; status: number }>((resolve, reject) => {
      execFile("unshare", ["-n", "npm", "start", "--silent"], { cwd: REPO, timeout: 60_000 }, (error, out, err) => {
        if (error !== null && typeof error.code !== "number") reject(error);
        else resolve({ stdout: out, stderr: err, status: error === null ? 0 : (error.code as number) });
      });
    });
    expect(status, stderr).to.equal(0);
    expect(stdout).to.equal(EXPECTED);
  });

  it("has a heading for every example of the seed document", () => {
    const headings = EXPECTED.split("\n").filter((line) => line.startsWith("=== "));
    expect(headings.map((h) => h.replace(/^=== (.*?) \(.*$/, "$1"))).to.deep.equal([
      "gethostname",
      "gethostbyname",
      "gethostbyname_ex",
      "getfqdn",
      "gethostbyaddr",
      "getservbyname",
      "getservbyport",
      "getprotobyname",
      "getaddrinfo",
      "getaddrinfo with arguments",
      "inet_aton and inet_ntoa 192.168.1.1",
      "inet_aton and inet_ntoa 127.0.0.1",
      "inet_pton and inet_ntop 2002:ac10:10a:1234:21e:52ff:fe74:40e",
    ]);
  });

  it("uses every recording of fixtures/seed-world and misses none", async () => {
    const world = openWorld(SEED_WORLD);
    const lines: string[] = [];
    await runSeedTour(new Resolver(world), (line = "") => lines.push(line));
    expect(lines.join("\n") + "\n").to.equal(EXPECTED);
    expect(world.transport.misses()).to.deep.equal([]);
    expect(world.transport.unused().map((e) => `${e.question.name} ${e.question.type}`)).to.deep.equal([]);
  });
});
