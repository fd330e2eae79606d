/**
 * A Cloudflare Worker (workerd) that resolves names with netdb over DNS
 * over HTTPS, which there runs on the global `fetch` (node:http2's client
 * is "not implemented" in workerd, node:dgram cannot send). Bundled by
 * test/runtimes/fetch-only.test.ts with esbuild, served by workerd (and
 * run by Deno and Bun); the DoH server and the /etc texts come as text
 * bindings, and the answer is the lookups' outcomes as JSON, compared
 * there with Node's over UDP.
 */
import { Resolver } from "../../src/resolver.js";
import { fixedNetwork, runtimeLookups } from "./lookups.js";

interface Env {
  DOH_URL: string;
  HOSTS: string;
  RESOLV_CONF: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const resolver = new Resolver({ files: { hosts: env.HOSTS, "resolv.conf": env.RESOLV_CONF }, nameservers: [env.DOH_URL], hostname: "worker", env: {}, network: fixedNetwork });
    try {
      return new Response(JSON.stringify(await runtimeLookups(resolver)), { headers: { "content-type": "application/json" } });
    } finally {
      await resolver.close();
    }
  },
};
