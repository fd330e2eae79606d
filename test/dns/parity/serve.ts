/**
 * The scripted server's face for the recorder (scripts/golden/resolv-parity.py).
 *
 *   node --import tsx test/dns/parity/serve.ts list
 *       Prints the scenarios (without their scripts) as JSON.
 *   node --import tsx test/dns/parity/serve.ts serve
 *       In a network namespace of its own (PARITY_OUTER_NETNS names the
 *       starter's, which it must not be): UDP and TCP on 127.0.0.1, .2 and
 *       .3, port 53. Prints "ready", then reads commands, one a line:
 *       `use ID` serves scenario ID from now on (answers "ok"); `log`
 *       answers the queries since the last `use` or `log`, as one JSON line.
 *       Ends when its input ends.
 */
import { readlinkSync } from "node:fs";
import { createInterface } from "node:readline";
import { exitOnCrash } from "../../support/crashguard.js";
import { SCENARIOS, SERVER_ADDRESSES } from "./scenarios.js";
import { ScriptedServer } from "./scripted.js";

function list(): void {
  const plain = SCENARIOS.map(({ script: _script, ...rest }) => ({ servers: 1, ...rest }));
  process.stdout.write(JSON.stringify(plain) + "\n");
}

async function serve(): Promise<void> {
  const outer = process.env.PARITY_OUTER_NETNS;
  if (outer === undefined || outer === "" || readlinkSync("/proc/self/ns/net") === outer) {
    throw new Error("serve.ts: not in a network namespace of its own (run it under unshare -n with PARITY_OUTER_NETNS set)");
  }
  const server = await ScriptedServer.start(SERVER_ADDRESSES.map((address) => ({ address, port: 53 })));
  process.stdout.write("ready\n");
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg] = line.trim().split(" ");
    if (command === "use") {
      const scenario = SCENARIOS.find((s) => s.id === arg);
      if (scenario === undefined) throw new Error(`no scenario ${arg}`);
      server.use(scenario.script);
      process.stdout.write("ok\n");
    } else if (command === "log") {
      process.stdout.write(JSON.stringify(server.takeLog()) + "\n");
    } else throw new Error(`unknown command ${line}`);
  }
  await server.stop();
}

if (process.argv[1] === import.meta.filename) {
  exitOnCrash(() => "in test/dns/parity/serve.ts");
  const mode = process.argv[2];
  if (mode === "list") list();
  else if (mode === "serve") await serve();
  else throw new Error("usage: serve.ts list | serve");
}
