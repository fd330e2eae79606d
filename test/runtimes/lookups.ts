/**
 * The lookups a sandboxed runtime (workerd) runs with netdb: shared by the
 * worker and the test that compares its answers with Node's over UDP.
 */
import type { Resolver } from "../../src/resolver.js";
import { outcome } from "../support/outcomes.js";

export { fixedNetwork } from "../support/outcomes.js";

/** getaddrinfo (search list, A and AAAA in parallel, NXDOMAIN), gethostbyname, gethostbyname_ex (CNAME), gethostbyaddr (PTR), hosts. */
export function runtimeLookups(resolver: Resolver): Promise<unknown[]> {
  return Promise.all([
    outcome(resolver.getaddrinfo("dual.edge.test", 80)),
    outcome(resolver.getaddrinfo("dual", 443, 0, 1)),
    outcome(resolver.getaddrinfo("nosuch.edge.test", 80)),
    outcome(resolver.gethostbyname("mail.edge.test")),
    outcome(resolver.gethostbyname_ex("www.doughellmann.com")),
    outcome(resolver.gethostbyaddr("192.0.2.30")),
    outcome(resolver.gethostbyname("box.sandbox.test")),
  ]);
}
