/**
 * A real Knot DNS server for integration tests: writes a configuration and
 * the zone files into a temporary directory, starts `knotd` on a free port
 * of 127.0.0.1 (and ::1 when this machine has it), waits until every zone
 * has loaded (or failed to) and the server answers, and stops it again.
 * `.ci/run` installs Knot (Debian package `knot`); without `knotd` on the
 * PATH, {@link startKnot} fails with a message saying so.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dnsPacket from "dns-packet";
import { encodeQuery } from "../../src/dns/message.js";
import type { NameServer } from "../../src/dns/server.js";
import { hasIPv6Loopback } from "./dnsserver.js";

/** A zone for Knot: zone-file text or a file, with its origin. */
export interface KnotZone {
  origin: string;
  text?: string;
  file?: string;
}

/**
 * Knot's DNS cookies module (mod-cookies, RFC 7873), enabled for every
 * zone through the default template's `global-module`, as Knot's manual
 * recommends. Knot then answers a UDP query whose COOKIE option has no
 * valid server cookie (a client cookie alone included) with BADCOOKIE and
 * a fresh server cookie, and answers queries without a COOKIE option as
 * before.
 */
export interface KnotCookies {
  /** Answer only every Nth query with an invalid cookie (BADCOOKIE), dropping the others; 1 (every one) by default. */
  badcookieSlip?: number;
  /** The server secret, 32 hex digits (16 octets); random by default. */
  secret?: string;
}

/** Options of {@link startKnot}. */
export interface KnotOptions {
  /** Listen on this port instead of a free one. */
  port?: number;
  /** Enable mod-cookies (see {@link KnotCookies}). */
  cookies?: KnotCookies;
  /** UDP workers (Knot's default: one per CPU). */
  udpWorkers?: number;
}

/** A running knotd. */
export interface KnotServer {
  port: number;
  ipv6: boolean;
  nameServer(family?: 4 | 6): NameServer;
  /** knotd's log so far (for failure messages). */
  log(): string;
  /** Stops knotd (TERM, then KILL after 3 s), waits for it to exit, removes its directory. */
  stop(): Promise<void>;
}

/** knotd processes started and not yet exited: killed if the test process exits first (a crash, ^C). */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Throws a clear error if knotd is not installed. */
export function requireKnot(): void {
  const found = spawnSync("knotd", ["--version"], { stdio: "ignore" });
  if (found.error !== undefined || found.status !== 0) {
    throw new Error("knotd is not installed: install the Debian package 'knot' (.ci/run does) to run the Knot integration tests");
  }
}

/** Starts knotd serving `zones` on a free port (or `options.port`); rejects (with knotd's log) if it does not come up within 10 s. */
export async function startKnot(zones: KnotZone[], options: KnotOptions = {}): Promise<KnotServer> {
  requireKnot();
  const ipv6 = await hasIPv6Loopback();
  // A fixed port (53 inside a network namespace, where resolv.conf cannot name another).
  if (options.port !== undefined) return launch(zones, options.port, ipv6, options);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort(ipv6);
    try {
      return await launch(zones, port, ipv6, options);
    } catch (err) {
      // Another process may have taken the port between our check and knotd's bind.
      if (attempt >= 3 || !String((err as Error).message).includes("Address already in use")) throw err;
    }
  }
}

async function launch(zones: KnotZone[], port: number, ipv6: boolean, options: KnotOptions): Promise<KnotServer> {
  const dir = mkdtempSync(join(tmpdir(), "netdb-knot-"));
  mkdirSync(join(dir, "zones"));
  mkdirSync(join(dir, "storage"));
  const logFile = join(dir, "knotd.log");
  const listen = [`127.0.0.1@${port}`, ...(ipv6 ? [`::1@${port}`] : [])];
  const conf = [
    "server:",
    `  rundir: "${dir}"`,
    `  listen: [ ${listen.join(", ")} ]`,
    ...(options.udpWorkers === undefined ? [] : [`  udp-workers: ${options.udpWorkers}`]),
    "  answer-rotation: off",
    "database:",
    `  storage: "${join(dir, "storage")}"`,
    "log:",
    `  - target: "${logFile}"`,
    "    any: info",
    ...cookiesModule(options.cookies),
    "template:",
    "  - id: default",
    `    storage: "${join(dir, "zones")}"`,
    "    zonefile-sync: -1",
    "    journal-content: none",
    ...(options.cookies === undefined ? [] : ["    global-module: mod-cookies/default"]),
    "zone:",
  ];
  zones.forEach((zone, i) => {
    const file = `zone${i}.zone`;
    if (zone.file !== undefined) copyFileSync(zone.file, join(dir, "zones", file));
    else writeFileSync(join(dir, "zones", file), zone.text ?? "");
    conf.push(`  - domain: "${zone.origin}"`, `    file: "${file}"`);
  });
  writeFileSync(join(dir, "knot.conf"), `${conf.join("\n")}\n`);

  const child = spawn("knotd", ["-c", join(dir, "knot.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const log = (): string => {
    try {
      return stderr + readFileSync(logFile, "utf8");
    } catch {
      return stderr;
    }
  };
  const stop = async (): Promise<void> => {
    await kill(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = log();
      await stop();
      throw new Error(`knotd exited during start-up:\n${text}`);
    }
    const settled = (log().match(/\] loaded, serial|zone event 'load' failed/g) ?? []).length;
    if (settled >= zones.length && (await answers(port))) break;
    if (Date.now() > deadline) {
      const text = log();
      await stop();
      throw new Error(`knotd did not come up within 10 s:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    port,
    ipv6,
    nameServer: (family = 4) => ({ address: family === 4 ? "127.0.0.1" : "::1", port, family }),
    log,
    stop,
  };
}

/** The `mod-cookies` section of knot.conf, or nothing. */
function cookiesModule(cookies: KnotCookies | undefined): string[] {
  if (cookies === undefined) return [];
  if (cookies.secret !== undefined && !/^[0-9a-fA-F]{32}$/.test(cookies.secret)) throw new Error("a Knot cookie secret is 32 hex digits");
  return [
    "mod-cookies:",
    "  - id: default",
    ...(cookies.badcookieSlip === undefined ? [] : [`    badcookie-slip: ${cookies.badcookieSlip}`]),
    ...(cookies.secret === undefined ? [] : [`    secret: 0x${cookies.secret}`]),
  ];
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** True when something answers a UDP query on 127.0.0.1:port within 200 ms. */
async function answers(port: number): Promise<boolean> {
  const socket = dgram.createSocket("udp4");
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.on("error", () => {
        clearTimeout(timer);
        resolve(false);
      });
      socket.on("message", () => {
        clearTimeout(timer);
        resolve(true);
      });
      socket.send(dnsPacket.encode({ type: "query", id: 1, questions: [{ type: "SOA", name: "." }] }), port, "127.0.0.1");
    });
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** A port free for UDP and TCP on 127.0.0.1 (and ::1) right now. */
async function freePort(ipv6: boolean): Promise<number> {
  for (;;) {
    const tcp = net.createServer();
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", () => resolve()));
    const port = (tcp.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    const hosts: Array<["udp4" | "udp6", string]> = [["udp4", "127.0.0.1"], ...(ipv6 ? [["udp6", "::1"] as ["udp6", string]] : [])];
    let free = true;
    for (const [type, host] of hosts) {
      const udp = dgram.createSocket(type);
      free &&= await new Promise<boolean>((resolve) => {
        udp.once("error", () => resolve(false));
        udp.bind(port, host, () => resolve(true));
      });
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
    if (free) return port;
  }
}

/** The zones of a world under fixtures/worlds/ (its `zones` file: origin and zone file per line), as knotd is given them. */
export function worldZones(world = "seed"): KnotZone[] {
  const zonesDir = fileURLToPath(new URL("../../fixtures/zones/", import.meta.url));
  return readFileSync(fileURLToPath(new URL(`../../fixtures/worlds/${world}/zones`, import.meta.url)), "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim().split(/\s+/))
    .filter((fields) => fields.length === 2)
    .map(([origin, file]) => ({ origin: origin!, file: `${zonesDir}${file}` }));
}

/** One UDP query to 127.0.0.1:port, the raw response. */
export async function askUdp(port: number, name: string, type: string, edns: boolean): Promise<Buffer> {
  const socket = dgram.createSocket("udp4");
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${name} ${type} on port ${port}`)), 2000);
      socket.on("message", (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      socket.send(encodeQuery({ name, type }, { id: 0x4242, edns0: edns }), port, "127.0.0.1");
    });
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
