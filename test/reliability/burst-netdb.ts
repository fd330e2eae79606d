/**
 * The netdb client of the burst and spoofing runs (see burst-client.ts):
 * one Resolver pointed at the burst server, `gethostbyname` of each name.
 * The hosts table holds only localhost, so every lookup goes to DNS.
 *
 *   node --import tsx test/reliability/burst-netdb.ts '<BurstTask JSON>'
 */
import { installNetGuard } from "../support/netguard.js";
import { printReport, runBurst, type BurstTask } from "./burst-client.js";

installNetGuard();
const task = JSON.parse(process.argv[2] ?? "") as BurstTask;
const { Resolver } = (await import(task.module ?? "../../src/index.js")) as typeof import("../../src/index.js");
const resolver = new Resolver({
  files: { hosts: "127.0.0.1 localhost\n", "nsswitch.conf": "hosts: files dns\n", "resolv.conf": "" },
  hostname: "burst",
  nameservers: [`127.0.0.1:${task.port}`],
  timeout: task.timeout,
  attempts: task.attempts,
});
const report = await runBurst("netdb", task, async (name) => [await resolver.gethostbyname(name)]);
await resolver.close();
printReport(report);
