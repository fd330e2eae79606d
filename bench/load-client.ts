/**
 * Loading a client of bench/clients/ by name and checking its answer
 * before anything is timed, shared by the per-process worker
 * (bench/worker.ts) and the interleaved harness (bench/interleaved.ts).
 */
import type { BenchClient, ClientFactory, ClientOptions, ServerAddress } from "./clients/client.js";

/** Imports bench/clients/`name`.ts and creates its client. */
export async function loadClient(name: string, server: ServerAddress, options: ClientOptions): Promise<BenchClient> {
  const module = (await import(`./clients/${name}.js`)) as { create: ClientFactory };
  return module.create(server, options);
}

/** Throws unless `client` answers `qname` with exactly `expected` (the floors, which parse nothing, pass). */
export async function checkAnswer(name: string, client: BenchClient, qname: string, expected: string): Promise<void> {
  if (client.unparsed) return;
  const answer = await client.lookupA(qname);
  const got = typeof answer === "string" ? [answer] : answer;
  if (got.length !== 1 || got[0] !== expected) {
    throw new Error(`${name}: ${qname} gave ${JSON.stringify(got)}, expected ["${expected}"]`);
  }
}
