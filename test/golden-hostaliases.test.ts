/**
 * HOSTALIASES against CPython/glibc: fixtures/golden/hostaliases.json,
 * recorded by scripts/golden/seedextra.sh in the seed world with
 * HOSTALIASES naming fixtures/hostaliases/aliases; here the same file is
 * named in the Resolver's environment.
 */
import { join } from "node:path";
import { describeGolden, readGolden } from "./support/golden-lookup.js";

const golden = readGolden("hostaliases.json") as ReturnType<typeof readGolden> & { hostaliases: string };
const REPO = join(import.meta.dirname, "..");

describeGolden("golden lookups with HOSTALIASES (seed world)", golden, { env: { HOSTALIASES: join(REPO, golden.hostaliases) } });
