/**
 * What the runtime suite (runtimes.test.ts) runs under Node, Bun and Deno,
 * from the sources, printing what it found as JSON on stdout:
 *
 *   probe.ts golden [WORLD | WORLD:N | -WORLD ...]
 *                            the golden lookup cases of fixtures/golden/ (no
 *                            namespace: the world's zones served on loopback
 *                            by the in-process server, the recorded network)
 *   probe.ts knot PORT       lookups against Knot on 127.0.0.1:PORT (no search
 *                            list), over UDP
 *                            and over TCP (use-vc)
 *   probe.ts order           getaddrinfo with the machine's own network: the
 *                            RFC 6724 order, which rests on source addresses
 *   probe.ts least ROOT PORT a lookup that needs only ROOT/etc and the server
 *                            on 127.0.0.1:PORT (Deno's least-privilege run)
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Resolver } from "../../src/resolver.js";
import { AF_UNSPEC, AI_ADDRCONFIG, AI_CANONNAME, SOCK_STREAM } from "../../src/constants.js";
import { expectGolden, GOLDEN, goldenNetwork, readGolden, startWorld, WORLDS } from "../support/golden-lookup.js";

/**
 * The golden lookup cases of the worlds `selection` names: `WORLD` (all
 * its cases), `WORLD:N` (its first N), `-WORLD` (every world but it); all
 * worlds when it names none to include. The count passed, each failure's
 * world, id and message, and each world's time.
 */
async function golden(selection: string[]): Promise<object> {
  const excluded = selection.filter((s) => s.startsWith("-")).map((s) => s.slice(1));
  const included = new Map(selection.filter((s) => !s.startsWith("-")).map((s) => {
    const [world, first] = s.split(":");
    return [world!, first === undefined ? Infinity : Number(first)];
  }));
  let passed = 0;
  const failures: string[] = [];
  const ms: Record<string, number> = {};
  for (const file of readdirSync(GOLDEN).filter((f) => /^lookup-.+\.json$/.test(f)).sort()) {
    const world = readGolden(file);
    if (excluded.includes(world.world) || (included.size > 0 && !included.has(world.world))) continue;
    const cases = world.cases.slice(0, included.get(world.world) ?? Infinity);
    const started = performance.now();
    const live = await startWorld(world.world);
    const resolver = new Resolver({ root: join(WORLDS, world.world), nameservers: live.nameservers, network: goldenNetwork(world), env: {} });
    try {
      for (const c of cases) {
        try {
          await expectGolden(resolver, c);
          passed++;
        } catch (error) {
          failures.push(`${world.world} ${c.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } finally {
      await resolver.close();
      await live.stop();
    }
    ms[world.world] = Math.round(performance.now() - started);
  }
  return { passed, failures, ms };
}

/** The outcome of one call: its value, or its error's class and message. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof Error)) return { error: String(error) };
    const cause = error.cause instanceof Error ? { cause: error.cause.message } : {};
    return { error: `${error.constructor.name}: ${error.message}`, ...cause };
  }
}

/** The seed world's names asked of Knot, once over UDP and once over TCP. */
async function knot(port: number): Promise<object> {
  const out: Record<string, unknown> = {};
  for (const useTcp of [false, true]) {
    const resolver = new Resolver({
      files: { hosts: "", "nsswitch.conf": "hosts: dns\n", "resolv.conf": "" },
      nameservers: [`127.0.0.1:${port}`],
      useTcp,
      timeout: 2000,
      attempts: 1,
      env: {},
    });
    try {
      out[useTcp ? "tcp" : "udp"] = {
        gethostbyname_ex: await outcome(() => resolver.gethostbyname_ex("www.hellfly.net")),
        gethostbyaddr: await outcome(() => resolver.gethostbyaddr("192.168.1.8")),
        getaddrinfo: await outcome(() => resolver.getaddrinfo("www.doughellmann.com", "http", AF_UNSPEC, SOCK_STREAM, 0, AI_CANONNAME)),
        nxdomain: await outcome(() => resolver.gethostbyname("nosuch.doughellmann.com")),
      };
    } finally {
      await resolver.close();
    }
  }
  return out;
}

/** getaddrinfo of hosts-file names with both families, sorted with this machine's interfaces and routes. */
async function order(): Promise<object> {
  const resolver = new Resolver({
    files: {
      hosts: "127.0.0.1 localhost both.test\n::1 localhost both.test\n192.0.2.77 far.test\n2001:db8::77 far.test\n::ffff:127.0.0.2 mapped.test\n127.0.0.3 mapped.test\n",
      "nsswitch.conf": "hosts: files\n",
      "host.conf": "multi on\n",
    },
    env: {},
  });
  const out: Record<string, unknown> = {};
  for (const name of ["localhost", "both.test", "far.test", "mapped.test"]) {
    out[name] = await outcome(async () => (await resolver.getaddrinfo(name, 80, AF_UNSPEC, SOCK_STREAM)).map((r) => r[4][0]));
  }
  await resolver.close();
  return out;
}

/** One lookup with ROOT's /etc files and the server on 127.0.0.1:PORT, nothing else. */
async function least(root: string, port: number): Promise<object> {
  const resolver = new Resolver({ root, nameservers: [`127.0.0.1:${port}`], timeout: 2000, attempts: 1, env: {} });
  try {
    return {
      gethostbyname_ex: await outcome(() => resolver.gethostbyname_ex("www.hellfly.net")),
      getaddrinfo: await outcome(async () => (await resolver.getaddrinfo("www.hellfly.net", 80, AF_UNSPEC, SOCK_STREAM)).map((r) => r[4][0])),
      // AI_ADDRCONFIG and the sort of two addresses need the interface list and the source addresses.
      addrconfig: await outcome(async () => (await resolver.getaddrinfo("localhost", 80, AF_UNSPEC, SOCK_STREAM, 0, AI_ADDRCONFIG)).map((r) => r[4][0])),
    };
  } finally {
    await resolver.close();
  }
}

const [command, ...args] = process.argv.slice(2);
const result =
  command === "golden" ? await golden(args)
  : command === "knot" ? await knot(Number(args[0]))
  : command === "order" ? await order()
  : command === "least" ? await least(args[0]!, Number(args[1]))
  : undefined;
if (result === undefined) {
  console.error("usage: probe.ts golden | knot PORT | order | least ROOT PORT");
  process.exitCode = 2;
} else {
  console.log(JSON.stringify(result, null, 1));
}
