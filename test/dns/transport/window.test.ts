import { expect } from "chai";
import { FlowWindow, WINDOW_LIMITS, type WindowLimits } from "../../../src/dns/transport/window.js";

const limits = (over: Partial<WindowLimits> = {}): WindowLimits => ({ ...WINDOW_LIMITS, ...over });

/** Feeds one epoch of `size` outcomes, `lost` of them losses. */
function epoch(w: FlowWindow, lost: number, now = 0): void {
  const size = w.size;
  for (let i = 0; i < size - lost; i++) w.answered(5);
  for (let i = 0; i < lost; i++) w.lost(now);
}

describe("dns/transport/window: FlowWindow", () => {
  it("computes the RTO as RFC 6298 does: SRTT + 4 RTTVAR, within its bounds", () => {
    const w = new FlowWindow(limits({ minRtoMs: 1, maxRtoMs: 1000 }));
    expect(w.rto).to.equal(WINDOW_LIMITS.initialRtoMs);
    w.answered(20);
    // First sample: SRTT = R, RTTVAR = R/2.
    expect(w.srtt).to.equal(20);
    expect(w.rto).to.equal(20 + 4 * 10);
    w.answered(40);
    // RTTVAR = 3/4 * 10 + 1/4 * |20 - 40| = 12.5; SRTT = 7/8 * 20 + 1/8 * 40 = 22.5.
    expect(w.srtt).to.equal(22.5);
    expect(w.rto).to.equal(22.5 + 4 * 12.5);
  });

  it("keeps the RTO within minRtoMs and maxRtoMs", () => {
    const w = new FlowWindow(limits({ minRtoMs: 10, maxRtoMs: 50 }));
    w.answered(0.1);
    expect(w.rto).to.equal(10);
    for (let i = 0; i < 20; i++) w.answered(500);
    expect(w.rto).to.equal(50);
  });

  it("backs the RTO off once per RTO however many queries are lost together, and forgets it at the next answer", () => {
    const w = new FlowWindow(limits({ initial: 1000, minRtoMs: 10, maxRtoMs: 10_000 }));
    w.answered(20);
    const rto = w.rto;
    for (let i = 0; i < 50; i++) w.lost(100);
    expect(w.rto).to.equal(2 * rto);
    w.lost(100 + 2 * rto);
    expect(w.rto).to.equal(4 * rto);
    w.answered(20);
    expect(w.rto).to.be.closeTo(rto, rto / 2);
  });

  it("doubles the window per loss-free epoch until the first congestion, within max", () => {
    const w = new FlowWindow(limits({ initial: 16, max: 100 }));
    epoch(w, 0);
    expect(w.size).to.equal(32);
    epoch(w, 0);
    epoch(w, 0);
    expect(w.size).to.equal(100);
  });

  it("halves the window when more than lossTolerance of an epoch is lost, never below min", () => {
    const w = new FlowWindow(limits({ initial: 128, min: 16, lossTolerance: 0.1 }));
    epoch(w, 64);
    expect(w.size).to.equal(64);
    epoch(w, 40);
    epoch(w, 20);
    epoch(w, 10);
    expect(w.size).to.equal(16);
  });

  it("holds the window under light random loss, and grows it additively after a congestion", () => {
    const w = new FlowWindow(limits({ initial: 128, increase: 8, lossTolerance: 0.1 }));
    epoch(w, 6);
    expect(w.size, "5% lost: a lossy path, not a full server").to.equal(128);
    epoch(w, 100);
    expect(w.size).to.equal(64);
    epoch(w, 0);
    expect(w.size).to.equal(72);
  });

  it("starts again from at least `initial` after a pause", () => {
    const w = new FlowWindow(limits({ initial: 64, min: 16 }));
    w.sending(0);
    epoch(w, 60);
    epoch(w, 30);
    expect(w.size).to.equal(16);
    w.sending(50);
    expect(w.size).to.equal(16);
    w.sending(5_000);
    expect(w.size).to.equal(64);
  });

  it("learns from an answer to a query presumed lost, and takes its loss back while the epoch is open", () => {
    const w = new FlowWindow(limits({ initial: 40, min: 8, lossTolerance: 0.1 }));
    for (let i = 0; i < 20; i++) w.lost(0);
    for (let i = 0; i < 20; i++) w.answeredLate(30);
    for (let i = 0; i < 20; i++) w.answered(30);
    expect(w.size, "every loss taken back: a clean epoch").to.equal(80);
    expect(w.srtt).to.be.closeTo(30, 0.01);
    for (let i = 0; i < 50; i++) w.answeredLate(30);
    expect(w.size, "late answers with no loss to take back are no outcomes").to.equal(80);
  });
});
