import { expect } from "chai";
import type { NssStatus } from "../../src/files/nsswitch.js";
import type { NssOutcome } from "../../src/lookup/hostent.js";
import { walkSources, type ConfiguredSource, type HostsModule, type NssResult, type SourceStep } from "../../src/lookup/sources.js";

type Action = "return" | "continue" | "merge";

/** glibc's default actions, with `changes` over them. */
function actions(changes: Partial<Record<NssStatus, Action>> = {}): Record<NssStatus, Action> {
  return { success: "return", notfound: "continue", unavail: "continue", tryagain: "continue", ...changes };
}

/** A module answering byName3 with `status`, at once or (`later`) on a later tick. */
function module(status: NssStatus, later = false): HostsModule {
  const outcome: NssOutcome<never> = { status };
  const answer = () => (later ? new Promise<NssOutcome<never>>((resolve) => setImmediate(() => resolve(outcome))) : outcome);
  return { byName4: answer, byName3: answer, byAddr: answer };
}

function source(name: string, mod: HostsModule | undefined, changes: Partial<Record<NssStatus, Action>> = {}): ConfiguredSource {
  return { name, module: mod, actions: actions(changes) };
}

/** A step that writes down what the walk made it do. */
class Recorder implements SourceStep<NssOutcome<unknown>, string[]> {
  readonly calls: string[] = [];
  constructor(private readonly stopAt = Infinity, private readonly endOn?: NssStatus) {}

  next(): boolean {
    this.calls.push("next");
    return this.calls.filter((c) => c === "next").length <= this.stopAt;
  }

  ask(source: ConfiguredSource, mod: HostsModule): NssResult<unknown> {
    this.calls.push(`ask ${source.name}`);
    return mod.byName3("x", 4, true);
  }

  lacking(): void {
    this.calls.push("lacking");
  }

  take(source: ConfiguredSource, answer: NssOutcome<unknown>): NssStatus | undefined {
    this.calls.push(`take ${source.name} ${answer.status}`);
    return answer.status === this.endOn ? undefined : answer.status;
  }

  merging(): void {
    this.calls.push("merging");
  }

  end(): string[] {
    this.calls.push("end");
    return this.calls;
  }
}

describe("lookup/sources: the walk over the hosts sources", () => {
  it("asks sources that answer at once in order and answers at once, stopping at a return action", () => {
    const step = new Recorder();
    const got = walkSources([source("files", module("notfound")), source("dns", module("success")), source("never", module("success"))], step);
    expect(got).to.deep.equal(["next", "ask files", "take files notfound", "next", "ask dns", "take dns success", "end"]);
  });

  it("goes on after a source that answers later, and answers with a promise then", async () => {
    const step = new Recorder();
    const got = walkSources([source("dns", module("unavail", true)), source("files", module("success"))], step);
    expect(got).to.be.instanceOf(Promise);
    expect(await got).to.deep.equal(["next", "ask dns", "take dns unavail", "next", "ask files", "take files success", "end"]);
  });

  it("follows the source's own action for the status: [NOTFOUND=return] ends the walk", async () => {
    const got = await walkSources([source("dns", module("notfound", true), { notfound: "return" }), source("files", module("success"))], new Recorder());
    expect(got).to.deep.equal(["next", "ask dns", "take dns notfound", "end"]);
  });

  it("skips a source without a module by its UNAVAIL action", () => {
    const on = walkSources([source("mdns", undefined), source("files", module("success"))], new Recorder());
    expect(on).to.deep.equal(["next", "lacking", "next", "ask files", "take files success", "end"]);
    const off = walkSources([source("mdns", undefined, { unavail: "return" }), source("files", module("success"))], new Recorder());
    expect(off).to.deep.equal(["next", "lacking", "end"]);
  });

  it("tells the step of a merge action and goes on", () => {
    const got = walkSources([source("files", module("success"), { success: "merge" }), source("dns", module("notfound"))], new Recorder());
    expect(got).to.deep.equal(["next", "ask files", "take files success", "merging", "next", "ask dns", "take dns notfound", "end"]);
  });

  it("ends where the step says so: before a source, or after an answer whatever the action", () => {
    const before = walkSources([source("files", module("notfound")), source("dns", module("success"))], new Recorder(1));
    expect(before).to.deep.equal(["next", "ask files", "take files notfound", "next", "end"]);
    const after = walkSources([source("files", module("tryagain")), source("dns", module("success"))], new Recorder(Infinity, "tryagain"));
    expect(after).to.deep.equal(["next", "ask files", "take files tryagain", "end"]);
  });

  it("ends with no source at all", () => {
    expect(walkSources([], new Recorder())).to.deep.equal(["end"]);
  });
});
