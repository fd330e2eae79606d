// Lint rules: the recommended sets, plus a few that catch real bugs in async socket code.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "bench/results/**", "fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
      eqeqeq: ["error", "smart"],
    },
  },
  {
    // The classes a lookup in flight holds an instance of: a #private method
    // or accessor gives every instance of its class a brand slot (8 B), so
    // their methods are TS-private (docs/internal-contracts.md, "Hot paths").
    files: [
      "src/lookup/sources.ts", "src/lookup/gethostby.ts", "src/lookup/gaih.ts", "src/lookup/getaddrinfo.ts", "src/lookup/setipaddr.ts",
      "src/dns/search.ts", "src/dns/send.ts", "src/dns/transport/udp.ts",
    ],
    rules: {
      "no-restricted-syntax": ["error", {
        selector: "MethodDefinition[key.type='PrivateIdentifier']",
        message: "a #private method gives each instance a brand slot: make it TS-private (a lookup in flight holds this class)",
      }],
    },
  },
);
