/**
 * The test DNS server (dnsserver.ts) in a child process (dnsserver-child.ts).
 *
 * In the test's own process the server shares the client's event loop: it
 * reads a query only when that loop polls, and a reply it delays only
 * goes out when that loop runs its timers. A client busy for longer than
 * a try's timeout right after sending (a loaded machine) then finds its
 * deadline due before the server has even read the query, a failure no
 * real server would cause: a server in its own process answers on its own
 * clock, and the client reads that answer before it judges the deadline.
 * Where a test asserts outcomes that depend on a server answering in time,
 * this one runs the server apart.
 *
 * The same methods as TestDnsServer's, asynchronous where they ask the
 * child; rules must be plain data (no `raw` or `tcp-stream` behaviours).
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { Protocol } from "../../src/dns/question.js";
import type { NameServer } from "../../src/dns/server.js";
import type { ChildCommand, ChildReply, PlainRule } from "./dnsserver-child.js";
import type { TestDnsServerOptions } from "./dnsserver.js";

const CHILD = fileURLToPath(new URL("./dnsserver-child.ts", import.meta.url));

/** A {@link TestDnsServer} in a process of its own; see the module comment. */
export class ForkedDnsServer {
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly port: number;
  readonly hasIPv6: boolean;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(child: ChildProcess, exited: Promise<unknown>, port: number, hasIPv6: boolean) {
    this.#child = child;
    this.#exited = exited;
    this.port = port;
    this.hasIPv6 = hasIPv6;
  }

  /** Starts a server in a child process with these options (zones from files or text, as plain data). */
  static async start(options: TestDnsServerOptions = {}): Promise<ForkedDnsServer> {
    const child = fork(CHILD, [JSON.stringify(options)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const exited = once(child, "exit");
    const started = once(child, "message") as Promise<[{ port: number; hasIPv6: boolean }]>;
    const [{ port, hasIPv6 }] = await Promise.race([started, exited.then(() => Promise.reject(new Error("the forked DNS server exited at start")))]);
    return new ForkedDnsServer(child, exited, port, hasIPv6);
  }

  /** The server as a resolver configuration entry. */
  nameServer(family: 4 | 6 = 4): NameServer {
    if (family === 6 && !this.hasIPv6) throw new Error("the test server has no IPv6 listener");
    return { address: family === 4 ? "127.0.0.1" : "::1", port: this.port, family };
  }

  /** Adds a rule (plain data); the first matching rule decides. */
  async misbehave(rule: PlainRule): Promise<void> {
    await this.#ask({ cmd: "misbehave", rule });
  }

  /** Forgets rules and received queries, and cancels replies still waiting to be sent. */
  async reset(): Promise<void> {
    await this.#ask({ cmd: "reset" });
  }

  /** How many queries have arrived (over one protocol, or in all). */
  async count(protocol?: Protocol): Promise<number> {
    return (await this.#ask(protocol === undefined ? { cmd: "count" } : { cmd: "count", protocol })).count;
  }

  /** Stops the server and waits for its process to exit. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.connected) await this.#ask({ cmd: "stop" });
    await this.#exited;
  }

  /** One command, one reply, in the order asked. */
  #ask(command: ChildCommand): Promise<ChildReply> {
    const reply = this.#queue.then(async () => {
      const answer = once(this.#child, "message") as Promise<[ChildReply]>;
      this.#child.send(command);
      const [got] = await Promise.race([answer, this.#exited.then(() => Promise.reject(new Error("the forked DNS server exited")))]);
      return got;
    });
    this.#queue = reply.catch(() => undefined);
    return reply;
  }
}
