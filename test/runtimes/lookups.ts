/**
 * The lookups a sandboxed runtime (workerd) runs with netdb, and the fixed
 * network they run with (no interface reads, no UDP connect() for source
 * addresses): shared by the worker and the test that compares its answers
 * with Node's over UDP. Each outcome is the value, or the error's class,
 * errno and message.
 */
import type { Resolver, ResolverOptions } from "../../src/resolver.js";

/** No interfaces, `lo` as index 1, no source addresses. */
export const fixedNetwork: NonNullable<ResolverOptions["network"]> = { addresses: () => [], indexOf: (n) => (n === "lo" ? 1 : 0), nameOf: (i) => (i === 1 ? "lo" : undefined), sourceFor: async () => null };

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await p };
  } catch (err) {
    const e = err as { name?: string; errno?: number; message?: string };
    return { error: e.name, errno: e.errno, message: e.message };
  }
}

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
