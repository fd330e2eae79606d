/**
 * The operands of `netdb query`: dig's spellings (`@SERVER`, `+short`,
 * `+tcp`, `+search`) beside netdb's options, then NAME and the record
 * types and class to ask. Pure: no I/O here.
 */
import { classCode, className, typeCode, typeName } from "../dns/rrtypes.js";
import { UsageError } from "./usage-error.js";

/** dig's `+` options netdb takes, and the netdb switch each stands for. */
const DIG_SWITCHES: Readonly<Record<string, string>> = {
  "+short": "--short",
  "+tcp": "--tcp",
  "+vc": "--tcp",
  "+search": "--search",
};

/** Query operands with dig's words taken out. */
export interface DigWords {
  operands: string[];
  /** `@SERVER` words, without the `@`, in order. */
  servers: string[];
  /** The netdb switches the `+` words stand for. */
  switches: string[];
}

/** Takes dig's `@SERVER` and `+option` words out of `words`; an unknown `+option` is a usage error, as in dig. */
export function digWords(words: readonly string[]): DigWords {
  const found: DigWords = { operands: [], servers: [], switches: [] };
  for (const word of words) {
    if (word.startsWith("@") && word.length > 1) found.servers.push(word.slice(1));
    else if (word.startsWith("+") && word.length > 1) {
      const option = DIG_SWITCHES[word.toLowerCase()];
      if (option === undefined) throw new UsageError(`query does not take dig's ${word} (it takes ${Object.keys(DIG_SWITCHES).join(", ")})`);
      found.switches.push(option);
    } else found.operands.push(word);
  }
  return found;
}

/** What `netdb query NAME [TYPE...] [CLASS]` asks. */
export interface QuerySpec {
  name: string;
  /** Record types in dig's spelling (`MX`, `TYPE65280`), in order; A when none was given. */
  types: string[];
  /** `IN` unless a class word was given. */
  qclass: string;
  /** `--search`: apply the search list and ndots, as res_search. */
  search: boolean;
  /** `--short`: only the RDATA of the answers, as dig +short. */
  short: boolean;
}

/** Reads NAME and the type and class words after it (case-insensitive, `TYPEnnn` and `CLASSnnn` as in RFC 3597). */
export function querySpec(operands: readonly string[], search: boolean, short: boolean): QuerySpec {
  const [name, ...words] = operands;
  if (name === undefined) throw new UsageError("query needs NAME");
  const types: string[] = [];
  let qclass = "IN";
  for (const word of words) {
    const type = typeCode(word);
    const klass = type === undefined ? classCode(word) : undefined;
    if (type !== undefined) {
      const typeText = typeName(type);
      if (typeText === "OPT") throw new UsageError("query cannot ask for OPT records");
      types.push(typeText);
    } else if (klass !== undefined) qclass = className(klass);
    else throw new UsageError(`query: ${JSON.stringify(word)} is neither a record type nor a class`);
  }
  return { name, types: types.length === 0 ? ["A"] : types, qclass, search, short };
}
