/**
 * The spoof section's program inside its private namespace (bench/burst.ts
 * starts it through bench/netns.ts):
 *
 *   node --import tsx bench/spoof.ts
 *
 * Refuses to run anywhere else, since glibc's client asks resolv.conf's
 * nameserver. Prints one line of JSON, a SpoofResults.
 */
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { runSpoofInside } from "./burst.js";
import { assertInsideNamespace } from "./netns.js";

assertInsideNamespace(Object.keys(networkInterfaces()), readFileSync("/etc/resolv.conf", "utf8"));
process.stdout.write(JSON.stringify(await runSpoofInside()) + "\n");
