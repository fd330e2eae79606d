/**
 * The burst server (burst-dns.ts) in a process of its own, so that
 * answering 10,000 queries, or flooding a client with forged answers, does
 * not compete with the client for an event loop:
 *
 *   fork("test/reliability/burst-server.ts", [PORT], { execArgv: ["--import", "tsx"] })
 *
 * PORT 0 (or none) takes a free port. Talks over IPC: sends `{ port }` once
 * listening; then answers each {@link BurstCommand} with one
 * {@link BurstReply}; exits after "stop".
 */
import { BurstServer, type BurstMode, type BurstStats } from "./burst-dns.js";

/** What the parent asks. */
export type BurstCommand =
  | { cmd: "reset"; mode?: Partial<BurstMode> }
  | { cmd: "stats" }
  | { cmd: "flood"; on: boolean }
  | { cmd: "stop" };

/** The answer to every command: the stats as they are after it. */
export interface BurstReply {
  stats: BurstStats;
}

const server = await BurstServer.start(Number(process.argv[2] ?? 0));
process.on("message", (message: BurstCommand) => {
  switch (message.cmd) {
    case "reset":
      server.reset(message.mode);
      break;
    case "flood":
      if (message.on) server.startFlood();
      else server.stopFlood();
      break;
    case "stop": {
      const stats = server.stats();
      void server.stop().then(() => process.send!({ stats } satisfies BurstReply, () => process.disconnect()));
      return;
    }
    case "stats":
      break;
  }
  process.send!({ stats: server.stats() } satisfies BurstReply);
});
process.send!({ port: server.port });
