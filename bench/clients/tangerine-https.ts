/**
 * tangerine over HTTPS, as its users run it: the bench's DoH front
 * (bench/encrypted-front.ts; undici's default agent speaks HTTP/1.1) for
 * Knot; its certificate is trusted through NODE_EXTRA_CA_CERTS, which
 * the bench sets for the workers.
 */
import type { ClientFactory } from "./client.js";
import { tangerineClient } from "./tangerine.js";

export const create: ClientFactory = async (server, options) => {
  if (options.dohTlsPort === undefined) throw new Error("tangerine-https needs the HTTPS front end (dohTlsPort)");
  return tangerineClient(server, options.dohTlsPort, "https", options);
};
