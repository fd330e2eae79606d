// Mocha's spec reporter plus the closing line CI reads: "N passed, N failed[, N skipped]".
"use strict";
const Mocha = require("mocha");
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class CountingSpec extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      const skipped = s.pending > 0 ? `, ${s.pending} skipped` : "";
      // Printed after spec's epilogue, as the last line of the run.
      process.on("exit", () => console.log(`${s.passes} passed, ${s.failures} failed${skipped}`));
    });
  }
}
module.exports = CountingSpec;
