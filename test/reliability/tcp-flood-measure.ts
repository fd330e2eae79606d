/**
 * The figures of "Hostile TCP" in docs/reliability.md: how long a lookup
 * takes to fail against a server that answers over TCP with an endless
 * stream (tcp-flood-server.ts, in its own process), how long the client's
 * event loop went without running a timer meanwhile (as CPU time spent
 * within one gap, and as wall-clock time; test/support/stall.ts), and the
 * CPU the client spent, for netdb (TCP from the start with use-vc, and after a
 * truncated UDP answer) and for c-ares (node:dns, which goes to TCP only
 * after a truncated UDP answer). Timeout 1 s, one try, one server.
 *
 *   node --import tsx test/reliability/tcp-flood-measure.ts [RUNS] [MODE]
 *
 * RUNS lookups per client (5 unless said); MODE is the flood
 * (`wrong-id`, the default, `wrong-id-large`, `wrong-question-large` or
 * `random`; see tcp-flood-server.ts). Prints one line per run and a
 * summary line of JSON.
 */
import dns from "node:dns";
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { Resolver } from "../../src/index.js";
import { installNetGuard } from "../support/netguard.js";
import { StallSampler } from "../support/stall.js";

installNetGuard();
const runs = Number(process.argv[2] ?? 5);
const mode = process.argv[3] ?? "wrong-id";
const SERVER = fileURLToPath(new URL("./tcp-flood-server.ts", import.meta.url));

const server = fork(SERVER, { execArgv: ["--import", "tsx"] });
const [{ port }] = (await once(server, "message")) as [{ port: number }];

interface Run {
  ms: number;
  stallMs: number;
  wallStallMs: number;
  cpuMs: number;
  error: string;
}

const clients: Record<string, (name: string) => Promise<unknown>> = {
  "netdb use-vc": (name) => withResolver(true, (r) => r.gethostbyname(name)),
  "netdb UDP TC → TCP": (name) => withResolver(false, (r) => r.gethostbyname(name)),
  "netdb getaddrinfo use-vc (A and AAAA at once)": (name) => withResolver(true, (r) => r.getaddrinfo(name, 80)),
  "c-ares UDP TC → TCP": (name) => {
    const resolver = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
    return resolver.resolve4(name);
  },
};

async function withResolver(useTcp: boolean, lookUp: (r: Resolver) => Promise<unknown>): Promise<unknown> {
  const resolver = new Resolver({
    files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
    hostname: "flood",
    nameservers: [`127.0.0.1:${port}`],
    timeout: 1000,
    attempts: 1,
    useTcp,
  });
  try {
    return await lookUp(resolver);
  } finally {
    await resolver.close();
  }
}

const summary: Record<string, { ms: number[]; stallMs: number[]; wallStallMs: number[]; cpuMs: number[]; errors: string[] }> = {};
for (const [client, lookUp] of Object.entries(clients)) {
  const seen: Run[] = [];
  for (let i = 0; i < runs; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sampler = new StallSampler();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const error = await lookUp(`${mode}.flood.test`).then(
      () => "answered",
      (err: NodeJS.ErrnoException) => String(err.code ?? err.errno ?? err.message),
    );
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const stall = sampler.stop();
    const run = { ms, stallMs: stall.busyMs, wallStallMs: stall.wallMs, cpuMs: (used.user + used.system) / 1000, error };
    seen.push(run);
    console.log(`${client}: ${run.ms.toFixed(0)} ms, longest stall ${run.stallMs.toFixed(1)} ms of CPU (${run.wallStallMs.toFixed(1)} ms wall), CPU ${run.cpuMs.toFixed(0)} ms, ${run.error}`);
  }
  summary[client] = {
    ms: seen.map((r) => Math.round(r.ms)),
    stallMs: seen.map((r) => Math.round(r.stallMs * 10) / 10),
    wallStallMs: seen.map((r) => Math.round(r.wallStallMs * 10) / 10),
    cpuMs: seen.map((r) => Math.round(r.cpuMs)),
    errors: [...new Set(seen.map((r) => r.error))],
  };
}
server.send("stop");
await once(server, "exit");
console.log(JSON.stringify({ mode, runs, summary }));
