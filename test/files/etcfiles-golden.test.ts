/**
 * /etc files that are not plain files, against CPython/glibc
 * (fixtures/golden/etcfiles.json, scripts/golden/etcfiles.sh): each world
 * and file of the recording, made unreadable (asked as user nobody, in a
 * child process), a directory, a FIFO and /dev/zero under a temporary root,
 * the world's zones on the in-process server. netdb must give glibc's
 * answer; where glibc hangs (a FIFO; resolv.conf as /dev/zero) netdb gives
 * the documented answer at once: what glibc gives for /dev/zero, where it
 * reads on to an end (src/files/source.ts).
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Resolver } from "../../src/resolver.js";
import { expectGolden, goldenNetwork, readGolden, startWorld, type GoldenCase, type LiveWorld } from "../support/golden-lookup.js";
import { etcFilesScenarios, oddRoot, type EtcFilesCase } from "./support/etcfiles.js";

const REPO = join(import.meta.dirname, "..", "..");
const scenarios = etcFilesScenarios();

/** The recorded case of the same world, file and call for another kind of file. */
function sameCase(c: EtcFilesCase, kind: string): GoldenCase & { hang?: true } {
  const other = scenarios.get(`${c.world} ${c.file} ${kind}`)?.find((o) => o.case.id === c.case.id);
  expect(other, `no ${kind} case for ${c.case.id}`).to.not.equal(undefined);
  return other!.case;
}

const EINVAL_ERROR = { type: "OSError", errno: 22, message: "[Errno 22] Invalid argument" };

/**
 * netdb's answer where glibc hangs (a FIFO; resolv.conf as /dev/zero): a
 * file that is no regular file fails with EINVAL at once, so glibc's answer
 * for /dev/zero where glibc reads it to an end (EINVAL), else its answer
 * for a directory with EINVAL for EISDIR.
 */
function documentedAnswer(c: EtcFilesCase): GoldenCase {
  const zero = sameCase(c, "zero");
  if (zero.hang !== true) return zero;
  const directory = sameCase(c, "directory");
  return directory.error?.errno === 21 ? { ...directory, error: EINVAL_ERROR } : directory;
}

/**
 * Where netdb departs from glibc for /dev/zero as /etc/hosts: CPython's
 * gethostbyname_ex and gethostbyaddr call the _r functions with a fixed
 * 16 KiB buffer, nss_files' line of zeros overflows it (ERANGE) and
 * CPython reports h_errno 0. netdb reads no device, so the files source
 * fails as for any other file that is not a regular file, and the answer
 * is glibc's for a hosts file that fails at its first read: a directory.
 */
const ZERO_DEPARTURES = new Set(["seed ghbnx 'farnsworth'", "seed ghba '127.0.0.1'"]);

function expectedAnswer(c: EtcFilesCase): GoldenCase {
  if (c.case.hang === true) return documentedAnswer(c);
  if (c.kind === "zero" && ZERO_DEPARTURES.has(`${c.world} ${c.case.id}`)) return sameCase(c, "directory");
  return c.case;
}

/** Runs the cases in a child process as user nobody; resolves its [{id, failure?}]. */
function asNobody(input: object): Promise<Array<{ id: string; failure?: string }>> {
  const child = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", process.execPath, "--import", "tsx", "test/files/support/etcfiles-child.ts", JSON.stringify(input)];
  return new Promise((resolve, reject) => {
    execFile("setpriv", child, { cwd: REPO, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Array<{ id: string; failure?: string }>);
    });
  });
}

describe("/etc files that are not plain files, against CPython", function () {
  this.timeout(60_000);

  for (const [key, cases] of scenarios) {
    const { world, file, kind } = cases[0]!;

    describe(`${world}: ${file} ${kind === "zero" ? "is /dev/zero" : kind === "fifo" ? "is a FIFO" : kind === "directory" ? "is a directory" : "is unreadable"}`, () => {
      let root: string;
      let live: LiveWorld;

      before(async () => {
        root = oddRoot(world, file, kind);
        live = await startWorld(world);
      });
      after(async () => {
        await live?.stop();
        rmSync(root, { recursive: true, force: true });
      });

      if (kind === "unreadable") {
        it(`${cases.length} cases as user nobody`, async () => {
          const results = await asNobody({ root, world, nameservers: live.nameservers, cases: cases.map((c) => c.case) });
          expect(results.filter((r) => r.failure !== undefined), key).to.deep.equal([]);
          expect(results).to.have.length(cases.length);
        });
        return;
      }

      for (const c of cases) {
        const expected = expectedAnswer(c);
        const note = c.case.hang === true ? " (glibc hangs: netdb's EINVAL at once)" : expected !== c.case ? " (departure: as a directory)" : "";
        it(`${c.case.id}${note}`, async () => {
          const resolver = new Resolver({ root, nameservers: live.nameservers, network: goldenNetwork(readGolden(`lookup-${world}.json`)), env: {} });
          const started = Date.now();
          try {
            await expectGolden(resolver, expected);
          } finally {
            await resolver.close();
          }
          expect(Date.now() - started, "netdb does not wait for the file").to.be.below(1000);
        });
      }
    });
  }
});
