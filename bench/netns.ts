/**
 * Runs a command in a private network and mount namespace with generated
 * /etc files bind-mounted over the real ones. This is the only way the bench
 * lets glibc resolve (dns.lookup, CPython): inside, only `lo` exists and
 * resolv.conf names 127.0.0.1, so no packet can reach the machine's real
 * nameserver, and the host's /etc is never written.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChild } from "./spawn.js";

/** The /etc files glibc's host lookup reads, all replaced inside. */
export interface EtcFiles {
  hosts: string;
  "resolv.conf": string;
  "nsswitch.conf": string;
  "host.conf": string;
  "gai.conf": string;
}

/** resolv.conf, nsswitch and the rest for a namespace whose DNS server is 127.0.0.1:53. */
export function loopbackEtc(hosts: string): EtcFiles {
  return {
    hosts,
    "resolv.conf": "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    "nsswitch.conf": "hosts: files dns\n",
    "host.conf": "multi on\n",
    "gai.conf": "",
  };
}

// Brings lo up, bind-mounts each generated file over /etc/NAME, then runs
// the command. Arguments: the directory of generated files, the file names,
// "--", the command.
const SETUP = `set -e
ip link set lo up
dir=$1; shift
while [ "$1" != -- ]; do mount --bind "$dir/$1" "/etc/$1"; shift; done
shift
exec "$@"`;

/** Runs `argv` inside a fresh namespace with `etc` mounted; resolves with its stdout. */
export async function runInNamespace(etc: EtcFiles, argv: string[], deadlineMs: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "netdb-bench-etc-"));
  try {
    for (const [name, text] of Object.entries(etc)) writeFileSync(join(dir, name), text);
    return await runChild(
      ["unshare", "--net", "--mount", "--propagation", "private", "--", "sh", "-c", SETUP, "sh", dir, ...Object.keys(etc), "--", ...argv],
      deadlineMs,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws unless this process is inside a namespace made by {@link runInNamespace}. */
export function assertInsideNamespace(interfaces: string[], resolvConf: string): void {
  if (interfaces.some((name) => name !== "lo")) {
    throw new Error(`not in a private network namespace (interfaces: ${interfaces.join(", ")}); refusing to use glibc's resolver`);
  }
  if (!/^nameserver 127\.0\.0\.1$/m.test(resolvConf) || /^nameserver (?!127\.0\.0\.1$)/m.test(resolvConf)) {
    throw new Error(`resolv.conf inside the namespace is not the bench's:\n${resolvConf}`);
  }
}
