/**
 * `netdb --version`: the version in netdb's package.json, found by going up
 * from this module (src/cli/ when run from the sources, dist/ or
 * dist/chunks/ once bundled).
 */
import { readFileSync } from "../builtins.js";

/** The `version` of the package.json named "netdb" nearest above this module; "unknown" if there is none. */
export function netdbVersion(): string {
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "netdb" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // No package.json here, or not JSON: look further up.
    }
    if (dir.pathname === "/") return "unknown";
  }
}
