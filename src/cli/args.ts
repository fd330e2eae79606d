/**
 * The command line of `netdb`: which commands exist, what each takes, and
 * the parser from argv to an {@link Invocation}. Pure: no I/O here.
 */
import { parseIPv4, parseIPv6, splitScope } from "../inet.js";
import { isServerUri, parseServerUri } from "../server-uri.js";
import { digWords, querySpec, type QuerySpec } from "./query-args.js";
import { UsageError } from "./usage-error.js";

export { UsageError } from "./usage-error.js";

/** The getent-shaped commands: keys in, table lines out. */
export const GETENT_COMMANDS = ["hosts", "ahosts", "ahostsv4", "ahostsv6", "services", "protocols", "networks"] as const;
/** The commands named after Python's socket functions. */
export const FUNCTION_COMMANDS = ["addrinfo", "nameinfo", "hostbyname", "hostbyname_ex", "hostbyaddr", "fqdn"] as const;
/** The commands that print DNS messages, as dig does. */
export const DNS_COMMANDS = ["query"] as const;

export type GetentCommand = (typeof GETENT_COMMANDS)[number];
export type FunctionCommand = (typeof FUNCTION_COMMANDS)[number];
export type DnsCommand = (typeof DNS_COMMANDS)[number];
export type CommandName = GetentCommand | FunctionCommand | DnsCommand;

/** `--flags` names of getaddrinfo, and the `AI_*` value each stands for. */
export const ADDRINFO_FLAGS: Readonly<Record<string, number>> = {
  passive: 0x0001,
  canonname: 0x0002,
  numerichost: 0x0004,
  v4mapped: 0x0008,
  all: 0x0010,
  addrconfig: 0x0020,
  numericserv: 0x0400,
};

/** `--flags` names of getnameinfo, and the `NI_*` value each stands for. */
export const NAMEINFO_FLAGS: Readonly<Record<string, number>> = {
  numerichost: 1,
  numericserv: 2,
  nofqdn: 4,
  namereqd: 8,
  dgram: 16,
};

/** `--type` names and their `SOCK_*` values. */
export const SOCKET_TYPES: Readonly<Record<string, number>> = { stream: 1, dgram: 2, raw: 3 };

/** What one command takes. */
export interface CommandSpec {
  /** Operands, as the usage line shows them. */
  synopsis: string;
  /** One line saying what the command does. */
  summary: string;
  /** Fewest and most operands. */
  operands: [min: number, max: number];
  /** The command's own options (besides the common ones). */
  options: ("family" | "type" | "flags" | "search" | "short")[];
  /** Names `--flags` accepts, when it takes `--flags`. */
  flags?: Readonly<Record<string, number>>;
}

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  hosts: {
    synopsis: "hosts [KEY...]",
    summary: "look up hosts as `getent hosts` does: names via gethostbyname2 (IPv6, then IPv4), addresses via gethostbyaddr",
    operands: [0, Infinity],
    options: [],
  },
  ahosts: {
    synopsis: "ahosts [KEY...]",
    summary: "look up hosts as `getent ahosts` does: getaddrinfo with AF_UNSPEC, one line per address and socket type",
    operands: [0, Infinity],
    options: [],
  },
  ahostsv4: {
    synopsis: "ahostsv4 [KEY...]",
    summary: "as ahosts, with AF_INET",
    operands: [0, Infinity],
    options: [],
  },
  ahostsv6: {
    synopsis: "ahostsv6 [KEY...]",
    summary: "as ahosts, with AF_INET6 and AI_V4MAPPED",
    operands: [0, Infinity],
    options: [],
  },
  services: {
    synopsis: "services [NAME[/PROTO] | PORT[/PROTO]...]",
    summary: "look up services as `getent services` does: getservbyname, or getservbyport for a number",
    operands: [0, Infinity],
    options: [],
  },
  protocols: {
    synopsis: "protocols [NAME | NUMBER...]",
    summary: "look up protocols as `getent protocols` does: getprotobyname, or getprotobynumber for a number",
    operands: [0, Infinity],
    options: [],
  },
  networks: {
    synopsis: "networks [NAME | ADDRESS...]",
    summary: "look up networks as `getent networks` does: getnetbyname, or getnetbyaddr for a key starting with a digit",
    operands: [0, Infinity],
    options: [],
  },
  addrinfo: {
    synopsis: "addrinfo HOST [PORT] [--family 4|6] [--type stream|dgram|raw] [--flags FLAG,...]",
    summary: "getaddrinfo(HOST, PORT, family, type, 0, flags), as Python's socket.getaddrinfo",
    operands: [1, 2],
    options: ["family", "type", "flags"],
    flags: ADDRINFO_FLAGS,
  },
  nameinfo: {
    synopsis: "nameinfo ADDR [PORT] [--flags FLAG,...]",
    summary: "getnameinfo((ADDR, PORT), flags), as Python's socket.getnameinfo",
    operands: [1, 2],
    options: ["flags"],
    flags: NAMEINFO_FLAGS,
  },
  hostbyname: {
    synopsis: "hostbyname NAME",
    summary: "gethostbyname(NAME): one IPv4 address",
    operands: [1, 1],
    options: [],
  },
  hostbyname_ex: {
    synopsis: "hostbyname_ex NAME",
    summary: "gethostbyname_ex(NAME): canonical name, aliases and IPv4 addresses",
    operands: [1, 1],
    options: [],
  },
  hostbyaddr: {
    synopsis: "hostbyaddr ADDR",
    summary: "gethostbyaddr(ADDR): the name of an address (or of a name's address)",
    operands: [1, 1],
    options: [],
  },
  fqdn: {
    synopsis: "fqdn [NAME]",
    summary: "getfqdn(NAME): a fully qualified name for NAME (default: this host)",
    operands: [0, 1],
    options: [],
  },
  query: {
    synopsis: "query NAME [TYPE...] [CLASS] [@SERVER] [--search] [--short]",
    summary: "ask the name servers for NAME's records of each TYPE (default A) with res_send, printed as dig prints them",
    operands: [1, Infinity],
    options: ["search", "short"],
  },
};

/** Options every command takes. */
export interface CommonOptions {
  /** `--server`, in order, as given (`ADDR[:PORT]`, `[ADDR]:PORT`). */
  servers: string[];
  root?: string;
  world?: string;
  record?: string;
  /** `--timeout`, converted from seconds to milliseconds. */
  timeout?: number;
  tcp: boolean;
  json: boolean;
  trace: boolean;
}

/** A parsed command line. */
export type Invocation =
  | { kind: "help"; command?: CommandName }
  | { kind: "version" }
  | {
      kind: "run";
      command: CommandName;
      operands: string[];
      options: CommonOptions;
      /** `--family`: 4 or 6, absent for AF_UNSPEC. */
      family?: 4 | 6;
      /** `--type`: a `SOCK_*` value. */
      type?: number;
      /** `--flags`, OR-ed together. */
      flags: number;
      /** What `query` asks. */
      query?: QuerySpec;
    };

/** True when `word` names a getent-shaped command. */
export function isGetentCommand(word: string | undefined): word is GetentCommand {
  return (GETENT_COMMANDS as readonly string[]).includes(word ?? "");
}

/** Options that take a value. */
const VALUED = new Set(["--server", "--root", "--world", "--record", "--timeout", "--family", "--type", "--flags"]);
/** Options that are switches. */
const SWITCHES = new Set(["--tcp", "--json", "--trace", "--search", "--short", "--help", "-h", "--version"]);

/**
 * Parses `argv` (without `node` and the script). Options may come before
 * or after the command and its operands; `--opt=value` and `--opt value`
 * both work; `--` ends the options.
 */
export function parseArgs(argv: readonly string[]): Invocation {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (SWITCHES.has(name)) {
      if (eq !== -1) throw new UsageError(`option ${name} takes no value`);
      switches.add(name === "-h" ? "--help" : name);
    } else if (VALUED.has(name)) {
      let value: string;
      if (eq !== -1) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`option ${name} needs a value`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else {
      // getent's argp rejects `services -1` as an invalid option, with EX_USAGE.
      throw new UsageError(`unknown option ${name}`, isGetentCommand(positional[0]) ? 64 : 1);
    }
  }

  const [commandWord, ...words] = positional;
  const command = commandWord === undefined ? undefined : commandNamed(commandWord);
  if (commandWord !== undefined && command === undefined) throw new UsageError(`unknown command ${JSON.stringify(commandWord)}`);
  if (switches.has("--help")) return command === undefined ? { kind: "help" } : { kind: "help", command };
  if (switches.has("--version")) return { kind: "version" };
  if (command === undefined) throw new UsageError("no command given");

  let operands = words;
  if (command === "query") {
    const dig = digWords(words);
    operands = dig.operands;
    values.set("--server", [...(values.get("--server") ?? []), ...dig.servers]);
    for (const name of dig.switches) switches.add(name);
  }
  const spec = COMMANDS[command];
  for (const own of ["family", "type", "flags"] as const) {
    if (values.has(`--${own}`) && !spec.options.includes(own)) throw new UsageError(`${command} takes no --${own}`);
  }
  for (const own of ["search", "short"] as const) {
    if (switches.has(`--${own}`) && !spec.options.includes(own)) throw new UsageError(`${command} takes no --${own}`);
  }
  for (const [name, given] of values) {
    if (name !== "--server" && given.length > 1) throw new UsageError(`option ${name} given more than once`);
  }
  const [min, max] = spec.operands;
  if (operands.length < min) throw new UsageError(`${command} needs ${spec.synopsis.split(" ")[1]}`);
  if (operands.length > max) throw new UsageError(`${command} takes at most ${max} operand${max === 1 ? "" : "s"}, got ${operands.length}`);

  if (command === "nameinfo" && operands[1] !== undefined && !(/^\d+$/.test(operands[1]) && Number(operands[1]) <= 65535)) {
    throw new UsageError(`nameinfo PORT must be a number from 0 to 65535, not ${JSON.stringify(operands[1])}`);
  }

  const one = (name: string) => values.get(name)?.[0];
  const options: CommonOptions = {
    servers: (values.get("--server") ?? []).map(parseServer),
    tcp: switches.has("--tcp"),
    json: switches.has("--json"),
    trace: switches.has("--trace"),
  };
  for (const name of ["root", "world", "record"] as const) {
    const value = one(`--${name}`);
    if (value === "") throw new UsageError(`option --${name} needs a directory`);
    if (value !== undefined) options[name] = value;
  }
  if (options.world !== undefined && options.record !== undefined) throw new UsageError("--world and --record cannot be combined");
  const timeout = one("--timeout");
  if (timeout !== undefined) options.timeout = parseTimeout(timeout);

  const invocation: Invocation = { kind: "run", command, operands, options, flags: 0 };
  const family = one("--family");
  if (family !== undefined) {
    if (family !== "4" && family !== "6") throw new UsageError(`--family must be 4 or 6, not ${JSON.stringify(family)}`);
    invocation.family = family === "4" ? 4 : 6;
  }
  const type = one("--type");
  if (type !== undefined) {
    const value = SOCKET_TYPES[type.toLowerCase()];
    if (value === undefined) throw new UsageError(`--type must be stream, dgram or raw, not ${JSON.stringify(type)}`);
    invocation.type = value;
  }
  const flags = one("--flags");
  if (flags !== undefined) invocation.flags = parseFlags(flags, spec.flags!);
  if (command === "query") invocation.query = querySpec(operands, switches.has("--search"), switches.has("--short"));
  return invocation;
}

function commandNamed(word: string): CommandName | undefined {
  return Object.hasOwn(COMMANDS, word) ? (word as CommandName) : undefined;
}

/**
 * `ADDR`, `ADDR:PORT`, `[ADDR]:PORT` or a bare IPv6 address (with an
 * optional `%scope`), as `ADDR:PORT` text with IPv6 in brackets and port
 * 53 by default: the form the Resolver's `nameservers` option takes. A
 * `tls://` or `https://` URI (docs/encrypted.md) is passed on as it is,
 * once it parses.
 */
export function parseServer(text: string): string {
  if (isServerUri(text)) {
    try {
      parseServerUri(text);
    } catch (err) {
      throw new UsageError(`--server ${(err as Error).message.replace(/^nameserver /, "")}`);
    }
    return text;
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4 = /^([^:]+)(?::(\d+))?$/.exec(text);
  const [address, port = "53"] = bracketed !== null ? [bracketed[1]!, bracketed[2]] : v4 !== null ? [v4[1]!, v4[2]] : [text, undefined];
  const family = parseIPv4(address) !== null ? 4 : parseIPv6(splitScope(address).address) !== null ? 6 : undefined;
  const portNumber = Number(port);
  if (family === undefined || (family === 4 && bracketed !== null) || !(portNumber >= 1 && portNumber <= 65535)) {
    throw new UsageError(`--server must be an IP address with an optional port (ADDR, ADDR:PORT, [ADDR]:PORT), not ${JSON.stringify(text)}`);
  }
  return family === 4 ? `${address}:${portNumber}` : `[${address}]:${portNumber}`;
}

function parseTimeout(text: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not ${JSON.stringify(text)}`);
  return Math.max(1, Math.round(seconds * 1000));
}

/** `canonname,passive` (case-insensitive, `AI_`/`NI_` prefixes allowed) → OR of the values. */
function parseFlags(text: string, known: Readonly<Record<string, number>>): number {
  let value = 0;
  for (const word of text.split(",")) {
    const name = word.trim().toLowerCase().replace(/^(ai|ni)_/, "");
    if (name === "") continue;
    const flag = known[name];
    if (flag === undefined) throw new UsageError(`unknown flag ${JSON.stringify(word)} (known: ${Object.keys(known).join(", ")})`);
    value |= flag;
  }
  return value;
}
