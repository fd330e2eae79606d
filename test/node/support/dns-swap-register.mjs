/** `node --import` this to swap node:dns for netdb/dns (see dns-swap-hooks.mjs); the swaps made are in `globalThis.netdbDnsSwaps`. */
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
import { URL } from "node:url";

const swaps = (globalThis.netdbDnsSwaps = []);
const { port1, port2 } = new MessageChannel();
port1.on("message", (swap) => swaps.push(swap));
port1.unref();
register("./dns-swap-hooks.mjs", import.meta.url, {
  data: { srcUrl: new URL("../../../src/", import.meta.url).href, port: port2 },
  transferList: [port2],
});
