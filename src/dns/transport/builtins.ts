/**
 * node:tls, node:http2 and node:https, loaded the first time an encrypted
 * exchange needs one: importing them costs about 6 ms at start-up that a
 * resolver of plain servers never needs. They are required (a builtin is
 * one instance however it is loaded), as packet.ts requires dns-packet.
 * Where nothing can be required (workerd has no `import.meta.url`), a
 * load throws a {@link MissingBuiltinError}, and the caller does without
 * (doh.ts asks with `fetch`).
 */
import { createRequire } from "node:module";
import type * as Http2 from "node:http2";
import type * as Https from "node:https";
import type * as Tls from "node:tls";

/** A builtin module that cannot be loaded here. */
export class MissingBuiltinError extends Error {
  readonly code = "ERR_NO_BUILTIN";
  constructor(name: string, cause: unknown) {
    super(`${name} cannot be loaded here`, { cause });
    this.name = "MissingBuiltinError";
  }
}

const loaded = new Map<string, unknown>();

function load<T>(name: string): T {
  let module = loaded.get(name);
  if (module === undefined) {
    try {
      module = createRequire(import.meta.url)(name);
    } catch (err) {
      throw new MissingBuiltinError(name, err);
    }
    loaded.set(name, module);
  }
  return module as T;
}

/** node:tls. */
export const tlsModule = (): typeof Tls => load("node:tls");
/** node:http2. */
export const http2Module = (): typeof Http2 => load("node:http2");
/** node:https. */
export const httpsModule = (): typeof Https => load("node:https");
