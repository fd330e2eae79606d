// Imported by the cold start's `node` program (bench/coldstart.ts): what
// Node's loader costs for the first module file a program imports, which
// every client's `await import` also pays.
export {};
