/**
 * The fuzz tests' random source: src/testing/random.ts, with the seed of
 * this run, so every fuzz case can be rebuilt from (seed, case number)
 * alone: a failure report names both, and the case is regenerated exactly.
 */
export { Random } from "../../src/testing/random.js";

/** The seed of this run: FUZZ_SEED from the environment to replay one, else fresh. */
export function runSeed(): number {
  const given = process.env.FUZZ_SEED;
  return given !== undefined && given !== "" ? Number(given) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
}
