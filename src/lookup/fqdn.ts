/**
 * Python 3.11's socket.getfqdn, which is Python code over gethostbyaddr:
 * the first name with a dot among the hostname and aliases gethostbyaddr
 * returns, else that hostname; the (stripped) argument itself when
 * gethostbyaddr fails with an OSError; gethostname() for "", "0.0.0.0"
 * and "::".
 */
import { SocketError } from "../errors.js";
import { pythonTypeName } from "../inet.js";

/** Python's str.strip(): the characters str.isspace() accepts. */
const PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, "g");

/** What getfqdn needs from its Resolver. */
export interface FqdnDeps {
  gethostname(): string;
  gethostbyaddr(name: string): Promise<[string, string[], string[]]>;
}

/**
 * socket.getfqdn. Never rejects for a failed lookup; argument errors and
 * IDNA errors (Python's UnicodeError is no OSError) do reject, as in Python.
 */
export async function getfqdn(deps: FqdnDeps, name: unknown = ""): Promise<string> {
  if (typeof name !== "string") throw new TypeError(`'${pythonTypeName(name)}' object has no attribute 'strip'`);
  let stripped = name.replace(STRIP, "");
  if (stripped === "" || stripped === "0.0.0.0" || stripped === "::") stripped = deps.gethostname();
  let found: [string, string[], string[]];
  try {
    found = await deps.gethostbyaddr(stripped);
  } catch (e) {
    if (e instanceof SocketError) return stripped;
    throw e;
  }
  const [hostname, aliases] = found;
  return [hostname, ...aliases].find((n) => n.includes(".")) ?? hostname;
}
