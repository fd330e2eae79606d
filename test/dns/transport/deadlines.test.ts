/**
 * The deadline heap (deadlines.ts): items expire in deadline order, one
 * timer at a time, and a heap with nothing left holds nothing that keeps
 * the process alive, while its timer serves the next items.
 */
import { expect } from "chai";
import { Deadlines, type Expiring } from "../../../src/dns/transport/deadlines.js";
import { activeResources } from "../../support/handles.js";

class Item implements Expiring {
  deadline: number;
  heapIndex = -1;
  expiredAt = -1;
  constructor(
    readonly name: string,
    inMs: number,
    readonly log: string[],
  ) {
    this.deadline = performance.now() + inMs;
  }
  expire(): void {
    this.expiredAt = performance.now();
    this.log.push(this.name);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const timers = (): number => activeResources().get("Timeout") ?? 0;

describe("dns/transport/deadlines: Deadlines", () => {
  it("expires items in deadline order, each not before its deadline", async () => {
    const log: string[] = [];
    const deadlines = new Deadlines();
    const items = [new Item("c", 60, log), new Item("a", 20, log), new Item("b", 40, log)];
    for (const item of items) deadlines.add(item);
    await sleep(120);
    expect(log).to.deep.equal(["a", "b", "c"]);
    for (const item of items) expect(item.expiredAt).to.be.at.least(item.deadline);
    expect(deadlines.size).to.equal(0);
  });

  it("once empty, keeps no referenced timer; the next items, later or earlier than the one it was armed for, expire on time", async () => {
    const log: string[] = [];
    const deadlines = new Deadlines();
    // After one turn: mocha's own timer for this test is armed by then, and counted on both sides.
    await sleep(1);
    const before = timers();
    const first = new Item("first", 200, log);
    deadlines.add(first);
    expect(timers()).to.equal(before + 1);
    deadlines.remove(first);
    expect(timers()).to.equal(before);
    const later = new Item("later", 250, log);
    deadlines.add(later);
    expect(timers()).to.equal(before + 1);
    const earlier = new Item("earlier", 30, log);
    deadlines.add(earlier);
    await sleep(100);
    expect(log).to.deep.equal(["earlier"]);
    await sleep(250);
    expect(log).to.deep.equal(["earlier", "later"]);
    expect(later.expiredAt).to.be.at.least(later.deadline);
    expect(timers()).to.equal(before);
  });

  it("one timer serves items that come and go one after another under the same timeout (not a timer each)", () => {
    const deadlines = new Deadlines();
    const real = globalThis.setTimeout;
    let armed = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      armed++;
      return real(...args);
    }) as typeof setTimeout;
    try {
      for (let i = 0; i < 100; i++) {
        const item = new Item(`q${i}`, 1000, []);
        deadlines.add(item);
        deadlines.remove(item);
      }
    } finally {
      globalThis.setTimeout = real;
    }
    expect(armed).to.equal(1);
  });

  it("an item removed before its deadline never expires", async () => {
    const log: string[] = [];
    const deadlines = new Deadlines();
    const gone = new Item("gone", 20, log);
    const kept = new Item("kept", 40, log);
    deadlines.add(gone);
    deadlines.add(kept);
    deadlines.remove(gone);
    await sleep(80);
    expect(log).to.deep.equal(["kept"]);
  });
});
