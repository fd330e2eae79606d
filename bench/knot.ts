/**
 * Runs knotd in its own process, serving given zones on a loopback address,
 * for the benchmarks. The server the clients are measured against must not
 * share the event loop (or the process) with them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dnsPacket from "dns-packet";

/** One zone for knotd: its origin (no trailing dot) and RFC 1035 text. */
export interface ZoneSource {
  origin: string;
  text: string;
}

/** A running knotd. */
export interface RunningKnot {
  address: string;
  port: number;
  pid: number;
  /** Stops knotd and removes its working directory. */
  stop(): Promise<void>;
}

/** Options for {@link startKnot}. */
export interface KnotOptions {
  zones: ZoneSource[];
  /** Loopback address to listen on (default 127.0.0.1). */
  address?: string;
  /** Port to listen on; 0 or absent picks a free one. */
  port?: number;
  /** UDP worker threads (knotd's default is one per CPU). */
  udpWorkers?: number;
}

/** A port that is free for both UDP and TCP on `address` right now. */
export async function freePort(address: string): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, address, () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket(net.isIPv6(address) ? "udp6" : "udp4");
      socket.once("error", () => resolve(false));
      socket.bind(port, address, () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

function knotConfig(dir: string, address: string, port: number, zones: ZoneSource[], udpWorkers?: number): string {
  const lines = [
    "server:",
    `  rundir: "${dir}"`,
    `  listen: ${address}@${port}`,
    "  answer-rotation: off",
    ...(udpWorkers === undefined ? [] : [`  udp-workers: ${udpWorkers}`]),
    "  background-workers: 1",
    "database:",
    `  storage: "${dir}/storage"`,
    "log:",
    `  - target: "${dir}/knotd.log"`,
    "    any: warning",
    "template:",
    "  - id: default",
    `    storage: "${dir}/zones"`,
    "    zonefile-sync: -1",
    "    journal-content: none",
    "zone:",
  ];
  for (const zone of zones) lines.push(`  - domain: "${zone.origin}."`, `    file: "${zone.origin}.zone"`);
  return lines.join("\n") + "\n";
}

/** True once `address:port` answers an SOA query for `origin` with NOERROR (QR set, RCODE 0). */
function answersSoa(address: string, port: number, origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? "udp6" : "udp4");
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 100);
    socket.on("error", () => done(false));
    socket.on("message", (msg) => done(msg.length >= 12 && (msg[2]! & 0x80) !== 0 && (msg[3]! & 0x0f) === 0));
    socket.send(dnsPacket.encode({ id: 1, type: "query", questions: [{ name: origin, type: "SOA" }] }), port, address);
  });
}

/** Starts knotd with `options.zones` and resolves once every zone answers. */
export async function startKnot(options: KnotOptions): Promise<RunningKnot> {
  const address = options.address ?? "127.0.0.1";
  const port = options.port || (await freePort(address));
  const dir = mkdtempSync(join(tmpdir(), "netdb-bench-knot-"));
  mkdirSync(join(dir, "zones"));
  mkdirSync(join(dir, "storage"));
  for (const zone of options.zones) writeFileSync(join(dir, "zones", `${zone.origin}.zone`), zone.text);
  writeFileSync(join(dir, "knot.conf"), knotConfig(dir, address, port, options.zones, options.udpWorkers));

  const child: ChildProcess = spawn("knotd", ["-c", join(dir, "knot.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`knotd exited with ${child.exitCode}: ${stderr}`);
    }
    const ready = await Promise.all(options.zones.map((z) => answersSoa(address, port, z.origin)));
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline) {
      let log = "";
      try {
        log = readFileSync(join(dir, "knotd.log"), "utf8");
      } catch {
        // no log written yet
      }
      await stop();
      throw new Error(`knotd did not serve its zones within 5 s: ${stderr}${log}`);
    }
  }
  return { address, port, pid: child.pid!, stop };
}
