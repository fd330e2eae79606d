/**
 * The c-ares client of the burst and spoofing runs (see burst-client.ts):
 * node:dns's promises `Resolver` with the same timeout and tries as netdb,
 * pointed at the burst server before any query, `resolve4` of each name.
 *
 *   node --import tsx test/reliability/burst-cares.ts '<BurstTask JSON>'
 */
import dns from "node:dns";
import { installNetGuard } from "../support/netguard.js";
import { printReport, runBurst, type BurstTask } from "./burst-client.js";

installNetGuard();
const task = JSON.parse(process.argv[2] ?? "") as BurstTask;
const resolver = new dns.promises.Resolver({ timeout: task.timeout, tries: task.attempts });
resolver.setServers([`127.0.0.1:${task.port}`]);
const report = await runBurst("cares", task, (name) => resolver.resolve4(name));
resolver.cancel();
printReport(report);
