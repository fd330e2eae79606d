/**
 * The in-process test server (dnsserver.ts) in a process of its own, for
 * dnsserver-process.ts: it reads and answers queries on its own event
 * loop, so a client whose loop is busy does not also hold the server's
 * answers back. Started with the server's options as JSON in argv[2];
 * sends `{ port, hasIPv6 }` once listening, then answers each
 * {@link ChildCommand} with one {@link ChildReply}; exits after "stop".
 */
import { TestDnsServer, type Behaviour, type Rule, type TestDnsServerOptions } from "./dnsserver.js";
import type { Protocol } from "../../src/dns/question.js";

/** A rule whose behaviour is plain data, as IPC carries it (no `raw` or `tcp-stream`, which hold functions). */
export type PlainRule = Omit<Rule, "behaviour"> & { behaviour: Exclude<Behaviour, { kind: "raw" | "tcp-stream" }> };

/** What the parent asks. */
export type ChildCommand =
  | { cmd: "misbehave"; rule: PlainRule }
  | { cmd: "reset" }
  | { cmd: "count"; protocol?: Protocol }
  | { cmd: "stop" };

/** The answer to every command: the queries received so far (over the protocol asked for "count"). */
export interface ChildReply {
  count: number;
}

const server = await TestDnsServer.start(JSON.parse(process.argv[2] ?? "{}") as TestDnsServerOptions);
process.on("message", (message: ChildCommand) => {
  switch (message.cmd) {
    case "misbehave":
      server.misbehave(message.rule);
      break;
    case "reset":
      server.reset();
      break;
    case "stop": {
      const count = server.count();
      void server.stop().then(() => process.send!({ count } satisfies ChildReply, () => process.disconnect()));
      return;
    }
    case "count":
      process.send!({ count: server.count(message.protocol) } satisfies ChildReply);
      return;
  }
  process.send!({ count: server.count() } satisfies ChildReply);
});
process.send!({ port: server.port, hasIPv6: server.hasIPv6 });
