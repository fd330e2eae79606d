/**
 * Hosts modules for tests: a fake's answers as promises made into the
 * sink form the walk asks (src/lookup/sources.ts), and a module's answer
 * as a promise.
 */
import type { AddrTuple, HostEnt, NssOutcome } from "../../../src/lookup/hostent.js";
import type { HostsModule, NssSink } from "../../../src/lookup/sources.js";

/** A module's functions answering with promises. */
export interface PromiseModule {
  byName4(name: string): Promise<NssOutcome<AddrTuple[]>>;
  byName3(name: string, family: 4 | 6, checkName: boolean, buflen: number | undefined): Promise<NssOutcome<HostEnt>>;
  byAddr(address: Uint8Array, family: 4 | 6): Promise<NssOutcome<HostEnt>>;
}

function settle<T>(answer: Promise<NssOutcome<T>>, sink: NssSink<T>): void {
  answer.then((outcome) => sink.answered(outcome), (err: unknown) => sink.failed(err));
}

/** The module whose answers are those promises'. */
export function laterModule(m: PromiseModule): HostsModule {
  return {
    byName4: (name, sink) => settle(m.byName4(name), sink),
    byName3: (name, family, checkName, buflen, sink) => settle(m.byName3(name, family, checkName, buflen), sink),
    byAddr: (address, family, sink) => settle(m.byAddr(address, family), sink),
  };
}

/** What a module reports to the sink `ask` gives it, as a promise. */
export function answerOf<T>(ask: (sink: NssSink<T>) => void): Promise<NssOutcome<T>> {
  return new Promise((resolve, reject) => ask({ answered: resolve, failed: reject }));
}
