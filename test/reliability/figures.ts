/**
 * Figures of a reliability run (cases tried, faults injected, lookups
 * completed) for docs/reliability.md. Written only when
 * NETDB_RELIABILITY_FIGURES names a file: each suite merges its figures
 * into that JSON file, so one `npm test` run leaves the whole set.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Merges `figures` under `suite` into the figures file, if one is asked for. */
export function recordFigures(suite: string, figures: Record<string, unknown>): void {
  const file = process.env.NETDB_RELIABILITY_FIGURES;
  if (file === undefined || file === "") return;
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  all[suite] = { ...(all[suite] as Record<string, unknown> | undefined), ...figures };
  writeFileSync(file, JSON.stringify(all, null, 2) + "\n");
}
