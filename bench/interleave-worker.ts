/**
 * The interleaved harness's process, spawned by bench/run.ts as
 *
 *   node --import tsx bench/interleave-worker.ts '<InterleaveTask JSON>'
 *
 * Runs bench/interleaved.ts's clients in this one fresh process and prints
 * one line of JSON (an InterleavedResults).
 */
import { installNetGuard } from "../test/support/netguard.js";
import { interleave, type InterleaveTask } from "./interleaved.js";

const task = JSON.parse(process.argv[2] ?? "") as InterleaveTask;
installNetGuard();
const output = await interleave(task);
process.stdout.write(JSON.stringify(output) + "\n", () => process.exit(0));
