import { expect } from "chai";
import { unwatchAbort, watchAbort } from "../../src/dns/abort.js";
import { abortListeners } from "../support/handles.js";

describe("dns/abort: many watchers, one listener", () => {
  it("adds one listener for any number of watchers and removes it with the last", () => {
    const controller = new AbortController();
    const watchers = Array.from({ length: 50 }, () => ({ callerAborted: () => undefined }));
    for (const w of watchers) watchAbort(controller.signal, w);
    expect(abortListeners(controller.signal)).to.equal(1);
    for (const w of watchers) unwatchAbort(controller.signal, w);
    expect(abortListeners(controller.signal)).to.equal(0);
  });

  it("calls every watcher still watching, once, in order", () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const watchers = [0, 1, 2].map((i) => ({ callerAborted: () => void calls.push(i) }));
    for (const w of watchers) watchAbort(controller.signal, w);
    unwatchAbort(controller.signal, watchers[1]!);
    controller.abort();
    controller.abort();
    expect(calls).to.deep.equal([0, 2]);
    expect(abortListeners(controller.signal)).to.equal(0);
  });

  it("prints no MaxListenersExceededWarning for a hundred watchers", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): number => warnings.push(w);
    process.on("warning", onWarning);
    const controller = new AbortController();
    const watchers = Array.from({ length: 100 }, () => ({ callerAborted: () => undefined }));
    for (const w of watchers) watchAbort(controller.signal, w);
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    for (const w of watchers) unwatchAbort(controller.signal, w);
    expect(warnings.map((w) => w.name)).to.deep.equal([]);
  });
});
