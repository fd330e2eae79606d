/**
 * How long a large /etc/hosts holds the event loop (docs/benchmarks.md,
 * "Huge /etc files"):
 *
 *   npx tsx scripts/etc-size.ts [MB...]
 *
 * (default: 7, 10, 200 and 600 MB with the default limit, then 10 and 50 MB
 * with the limit lifted).
 * For each size it writes a hosts file of that many megabytes under a
 * temporary root (lines of 198.18.0.0/15 addresses, the name looked up on
 * the last line), then for 5 s resolves that name with gethostbyname
 * through a Resolver on that root (files only: no DNS), one lookup after
 * another with a 1 ms pause, and reports: the first lookup's time (the
 * read and parse), the longest event-loop block (the longest gap between
 * ticks of a 5 ms interval), how many lookups resolved, how many times the
 * file was read, and what the lookups answered. Nothing touches the network.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Resolver } from "../src/resolver.js";

const RUN_MS = 5000;

/** Writes a hosts file of about `mb` megabytes; returns the last line's name. */
function writeHosts(path: string, mb: number): string {
  const fd = openSync(path, "w");
  let size = 0;
  let i = 0;
  let chunk: string[] = [];
  while (size < mb * 1024 * 1024) {
    const line = `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255} host${i}.hosts.test alias${i}\n`;
    chunk.push(line);
    size += line.length;
    i++;
    if (chunk.length === 100_000) {
      writeSync(fd, chunk.join(""));
      chunk = [];
    }
  }
  writeSync(fd, chunk.join(""));
  closeSync(fd);
  return `host${i - 1}.hosts.test`;
}

async function measure(mb: number, maxEtcFileSize?: number): Promise<Record<string, unknown>> {
  const root = mkdtempSync(join(tmpdir(), "netdb-etc-size-"));
  try {
    mkdirSync(join(root, "etc"));
    const name = writeHosts(join(root, "etc", "hosts"), mb);
    const bytes = statSync(join(root, "etc", "hosts")).size;
    // Port 9 of loopback: a name the files source cannot give fails at once (EAI_AGAIN).
    const resolver = new Resolver({ root, nameservers: ["127.0.0.1:9"], timeout: 100, attempts: 1, env: {}, ...(maxEtcFileSize === undefined ? {} : { maxEtcFileSize }) });
    // The longest gap between ticks of a 5 ms interval: how long the loop was held.
    let last = performance.now();
    let maxGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    await sleep(20);
    const answers = new Map<string, number>();
    let lookups = 0;
    let first = 0;
    const started = performance.now();
    while (performance.now() - started < RUN_MS) {
      const t = performance.now();
      let answer: string;
      try {
        answer = await resolver.gethostbyname(name);
      } catch (err) {
        answer = (err as Error).message;
      }
      if (lookups === 0) first = performance.now() - t;
      answers.set(answer, (answers.get(answer) ?? 0) + 1);
      lookups++;
      await sleep(1);
    }
    clearInterval(ticker);
    await resolver.close();
    return {
      mb,
      maxEtcFileSize: maxEtcFileSize ?? "default",
      bytes,
      firstLookupMs: Math.round(first),
      maxLoopBlockMs: Math.round(maxGap),
      lookupsIn5s: lookups,
      answers: Object.fromEntries(answers),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const sizes = process.argv.slice(2).map(Number);
for (const mb of sizes.length > 0 ? sizes : [7, 10, 200, 600]) {
  console.log(JSON.stringify(await measure(mb)));
}
// What the limit saves: the same files read with it lifted.
for (const mb of sizes.length > 0 ? [] : [10, 50]) {
  console.log(JSON.stringify(await measure(mb, 2 ** 31)));
}
