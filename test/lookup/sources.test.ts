import { expect } from "chai";
import type { NssStatus } from "../../src/files/nsswitch.js";
import type { NssOutcome } from "../../src/lookup/hostent.js";
import { ASKED_AGAIN, SourcesWalk, type ConfiguredSource, type HostsModule, type NssSink } from "../../src/lookup/sources.js";
import { toSink } from "../../src/sink.js";

type Action = "return" | "continue" | "merge";

/** glibc's default actions, with `changes` over them. */
function actions(changes: Partial<Record<NssStatus, Action>> = {}): Record<NssStatus, Action> {
  return { success: "return", notfound: "continue", unavail: "continue", tryagain: "continue", ...changes };
}

/** A module answering with `status`, at once or (`later`) on a later tick. */
function module(status: NssStatus, later = false): HostsModule {
  const outcome: NssOutcome<never> = { status };
  const answer = (sink: NssSink<never>): void => {
    if (later) setImmediate(() => sink.answered(outcome));
    else sink.answered(outcome);
  };
  return {
    byName4: (_name, sink) => answer(sink),
    byName3: (_name, _family, _checkName, _buflen, sink) => answer(sink),
    byAddr: (_address, _family, sink) => answer(sink),
  };
}

function source(name: string, mod: HostsModule | undefined, changes: Partial<Record<NssStatus, Action>> = {}): ConfiguredSource {
  return { name, module: mod, actions: actions(changes) };
}

/** Where the walk's result goes: kept, with whether it came before walk() returned. */
class Outcome {
  result: string[] | undefined;
  error: unknown;
  atOnce = false;
  #walking = true;
  readonly settled: Promise<string[]>;
  #resolve!: (calls: string[]) => void;
  #reject!: (err: unknown) => void;

  constructor() {
    this.settled = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A test that reads `error` does not await the rejection.
    this.settled.catch(() => undefined);
  }

  done(calls: string[]): void {
    this.result = calls;
    this.atOnce = this.#walking;
    this.#resolve(calls);
  }

  failed(err: unknown): void {
    this.error = err;
    this.atOnce = this.#walking;
    this.#reject(err);
  }

  walked(): this {
    this.#walking = false;
    return this;
  }
}

/** A step that writes down what the walk made it do; `again` asks each source twice. */
class Recorder extends SourcesWalk<unknown, string[]> {
  readonly calls: string[] = [];
  #sources: readonly ConfiguredSource[] = [];
  #module: HostsModule | undefined;
  #second = false;

  constructor(sink: Outcome, private readonly stopAt = Infinity, private readonly endOn?: NssStatus, private readonly again = false, private readonly throwOn?: NssStatus) {
    super(toSink<string[]>(), sink);
  }

  walkOver(sources: readonly ConfiguredSource[]): void {
    this.#sources = sources;
    this.walk();
  }

  protected sources(): readonly ConfiguredSource[] {
    return this.#sources;
  }

  protected next(): boolean {
    this.calls.push("next");
    return this.calls.filter((c) => c === "next").length <= this.stopAt;
  }

  protected ask(mod: HostsModule): void {
    this.calls.push("ask");
    this.#module = mod;
    this.#second = false;
    mod.byName3("x", 4, true, undefined, this);
  }

  protected lacking(): void {
    this.calls.push("lacking");
  }

  protected take(source: ConfiguredSource, answer: NssOutcome<unknown>): NssStatus | undefined | typeof ASKED_AGAIN {
    this.calls.push(`take ${source.name} ${answer.status}`);
    if (answer.status === this.throwOn) throw new Error(`thrown on ${answer.status}`);
    if (this.again && !this.#second) {
      this.#second = true;
      this.#module!.byName3("x", 6, true, undefined, this);
      return ASKED_AGAIN;
    }
    return answer.status === this.endOn ? undefined : answer.status;
  }

  protected merging(): void {
    this.calls.push("merging");
  }

  protected end(): string[] {
    this.calls.push("end");
    return this.calls;
  }
}

/** Walks `sources` with a Recorder made by `make`, and says how it ended. */
function walk(sources: ConfiguredSource[], make: (sink: Outcome) => Recorder = (sink) => new Recorder(sink)): Outcome {
  const sink = new Outcome();
  make(sink).walkOver(sources);
  return sink.walked();
}

describe("lookup/sources: the walk over the hosts sources", () => {
  it("asks sources that answer at once in order and reports before walk() returns, stopping at a return action", () => {
    const got = walk([source("files", module("notfound")), source("dns", module("success")), source("never", module("success"))]);
    expect(got.atOnce).to.equal(true);
    expect(got.result).to.deep.equal(["next", "ask", "take files notfound", "next", "ask", "take dns success", "end"]);
  });

  it("goes on after a source that answers later, and reports then", async () => {
    const got = walk([source("dns", module("unavail", true)), source("files", module("success"))]);
    expect(got.result).to.equal(undefined);
    expect(await got.settled).to.deep.equal(["next", "ask", "take dns unavail", "next", "ask", "take files success", "end"]);
    expect(got.atOnce).to.equal(false);
  });

  it("follows the source's own action for the status: [NOTFOUND=return] ends the walk", async () => {
    const got = walk([source("dns", module("notfound", true), { notfound: "return" }), source("files", module("success"))]);
    expect(await got.settled).to.deep.equal(["next", "ask", "take dns notfound", "end"]);
  });

  it("skips a source without a module by its UNAVAIL action", () => {
    const on = walk([source("mdns", undefined), source("files", module("success"))]);
    expect(on.result).to.deep.equal(["next", "lacking", "next", "ask", "take files success", "end"]);
    const off = walk([source("mdns", undefined, { unavail: "return" }), source("files", module("success"))]);
    expect(off.result).to.deep.equal(["next", "lacking", "end"]);
  });

  it("tells the step of a merge action and goes on", () => {
    const got = walk([source("files", module("success"), { success: "merge" }), source("dns", module("notfound"))]);
    expect(got.result).to.deep.equal(["next", "ask", "take files success", "merging", "next", "ask", "take dns notfound", "end"]);
  });

  it("ends where the step says so: before a source, or after an answer whatever the action", () => {
    const before = walk([source("files", module("notfound")), source("dns", module("success"))], (sink) => new Recorder(sink, 1));
    expect(before.result).to.deep.equal(["next", "ask", "take files notfound", "next", "end"]);
    const after = walk([source("files", module("tryagain")), source("dns", module("success"))], (sink) => new Recorder(sink, Infinity, "tryagain"));
    expect(after.result).to.deep.equal(["next", "ask", "take files tryagain", "end"]);
  });

  it("ends with no source at all", () => {
    expect(walk([]).result).to.deep.equal(["end"]);
  });

  it("waits for a source the step asked again, at once or later, before following its action", async () => {
    const atOnce = walk([source("files", module("notfound")), source("dns", module("success"))], (sink) => new Recorder(sink, Infinity, undefined, true));
    expect(atOnce.result).to.deep.equal(["next", "ask", "take files notfound", "take files notfound", "next", "ask", "take dns success", "take dns success", "end"]);
    const later = walk([source("dns", module("notfound", true)), source("files", module("success"))], (sink) => new Recorder(sink, Infinity, undefined, true));
    expect(await later.settled).to.deep.equal(["next", "ask", "take dns notfound", "take dns notfound", "next", "ask", "take files success", "take files success", "end"]);
  });

  it("reports what the step throws as the walk's failure, and asks no further source", async () => {
    const atOnce = walk([source("files", module("notfound")), source("dns", module("success"))], (sink) => new Recorder(sink, Infinity, undefined, false, "notfound"));
    expect(atOnce.atOnce).to.equal(true);
    expect((atOnce.error as Error).message).to.equal("thrown on notfound");
    const later = walk([source("dns", module("tryagain", true)), source("files", module("success"))], (sink) => new Recorder(sink, Infinity, undefined, false, "tryagain"));
    const error = await later.settled.catch((err: unknown) => err);
    expect((error as Error).message).to.equal("thrown on tryagain");
    expect(later.result).to.equal(undefined);
  });
});
