/**
 * Loopback servers for the tests that run other people's clients under
 * netdb/testing: HTTP, HTTPS with a certificate made now by openssl for a
 * name only the inline world knows, a TCP echo server, and a real
 * redis-server (Debian's package, installed by .ci/run) on a free port.
 * Every response says `connection: close`, so no client keeps a socket.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A listening server and how to stop it. */
export interface Running {
  port: number;
  stop(): Promise<void>;
}

function listening(server: net.Server): Promise<Running> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        stop: () => new Promise<void>((done) => {
          (server as http.Server).closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader("connection", "close");
  res.end(`hello ${req.headers.host ?? "?"} from ${req.headers["user-agent"]?.split("/")[0] ?? "?"}`);
}

/** An HTTP server answering `hello HOST from AGENT`. */
export function startHttp(): Promise<Running> {
  return listening(http.createServer(answer));
}

/** A certificate and key for `name`, made with openssl in a temporary directory. */
export function makeCertificate(name: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "netdb-cert-"));
  try {
    const result = spawnSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", `/CN=${name}`, "-addext", `subjectAltName=DNS:${name}`,
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
    return { cert: readFileSync(join(dir, "cert.pem"), "utf8"), key: readFileSync(join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS server with `credentials`. */
export function startHttps(credentials: { cert: string; key: string }): Promise<Running> {
  return listening(https.createServer(credentials, answer));
}

/** A TCP server that writes back what it reads. */
export function startEcho(): Promise<Running> {
  return listening(net.createServer((socket) => socket.pipe(socket)));
}

/** A free port of 127.0.0.1 (for a server that cannot be told to pick one). */
async function freePort(): Promise<number> {
  const probe = await listening(net.createServer());
  await probe.stop();
  return probe.port;
}

/** redis-server on 127.0.0.1 and a free port, without persistence; fails saying so without the program. */
export async function startRedis(): Promise<Running> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    child.once("error", (err) => reject(new Error(`cannot start redis-server (.ci/run installs Debian's redis-server): ${err.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Ready to accept connections")) resolve();
    });
  });
  child.removeAllListeners("exit");
  return {
    port,
    stop: () => new Promise<void>((done) => {
      child.stdout!.destroy();
      child.stderr!.destroy();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    }),
  };
}
