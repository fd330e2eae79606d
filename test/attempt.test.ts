import { expect } from "chai";
import { attempt } from "../src/attempt.js";

describe("attempt", () => {
  it("hands back the promise run returns, not one more waiting on it", () => {
    const promise = Promise.resolve(1);
    expect(attempt(() => promise)).to.equal(promise);
  });

  it("turns a value into a resolved promise", async () => {
    expect(await attempt(() => 2)).to.equal(2);
  });

  it("turns a throw into a rejection with what was thrown", async () => {
    const error = new TypeError("bad argument");
    const outcome = await attempt(() => {
      throw error;
    }).then(() => "resolved", (err: unknown) => err);
    expect(outcome).to.equal(error);
  });
});
