import { expect } from "chai";
import { Cancellation } from "../../src/dns/cancel.js";

describe("dns/cancel: Cancellation", () => {
  it("calls each listener once on abort, in the order added, functions and handleEvent objects alike", () => {
    const calls: string[] = [];
    for (const count of [1, 2, 3]) {
      calls.length = 0;
      const cancel = new Cancellation();
      for (let i = 0; i < count; i++) {
        if (i % 2 === 0) cancel.addEventListener("abort", () => calls.push(`fn${i}`));
        else cancel.addEventListener("abort", { handleEvent: () => calls.push(`obj${i}`) });
      }
      expect(cancel.listenerCount).to.equal(count);
      cancel.abort(new Error("stop"));
      cancel.abort(new Error("again"));
      expect(calls).to.deep.equal(["fn0", "obj1", "fn2"].slice(0, count));
      expect([cancel.aborted, (cancel.reason as Error).message, cancel.listenerCount]).to.deep.equal([true, "stop", 0]);
    }
  });

  it("removes a listener whether it is alone or among others, and ignores one never added", () => {
    const calls: string[] = [];
    const a = (): number => calls.push("a");
    const b = { handleEvent: (): number => calls.push("b") };
    const cancel = new Cancellation();
    cancel.addEventListener("abort", a);
    cancel.removeEventListener("abort", b);
    expect(cancel.listenerCount).to.equal(1);
    cancel.removeEventListener("abort", a);
    expect(cancel.listenerCount).to.equal(0);
    cancel.addEventListener("abort", a);
    cancel.addEventListener("abort", b);
    cancel.removeEventListener("abort", a);
    expect(cancel.listenerCount).to.equal(1);
    cancel.abort(undefined);
    expect(calls).to.deep.equal(["b"]);
  });

  it("never calls a listener added after the abort", () => {
    const cancel = new Cancellation();
    cancel.abort(new Error("stop"));
    let called = false;
    cancel.addEventListener("abort", () => (called = true));
    expect([called, cancel.listenerCount]).to.deep.equal([false, 0]);
  });
});
