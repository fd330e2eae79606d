/**
 * getaddrinfo with bytes hosts and AI_IDN / AI_CANONIDN against
 * CPython/glibc (fixtures/golden/idn.json, scripts/golden/seedextra.sh):
 * bytes reach glibc's IDN code as they are (a str host is encoded by
 * Python's idna codec first), which decodes them as UTF-8 and reports
 * EAI_IDN_ENCODE for bytes that are no UTF-8.
 */
import { describeGolden, readGolden, type GoldenCase } from "./support/golden-lookup.js";

/** A case with its `{"bytes": hex}` arguments as the Uint8Arrays netdb takes for Python's bytes. */
function withBytes(c: GoldenCase): GoldenCase {
  const args = c.args.map((a) => (typeof a === "object" && a !== null && "bytes" in a ? Buffer.from((a as { bytes: string }).bytes, "hex") : a));
  return { ...c, args };
}

describeGolden("golden lookups: bytes hosts and the IDN flags (seed world)", readGolden("idn.json"), { mapCase: withBytes });
