/**
 * What netdb must ask Deno before it opens a UDP socket. Deno's node:dgram
 * binds every socket (to 0.0.0.0:0 or [::]:0) before it connects or sends,
 * and when `--allow-net` does not cover that address its permission error
 * is thrown outside any callback, as an uncaught exception that ends the
 * process with a stack trace. Asking first turns that into an error netdb
 * can report: one line that says which permission is missing.
 */

/** The part of Deno's permissions API used here. */
interface DenoPermissions {
  permissions: { querySync(descriptor: { name: "net"; host: string }): { state: string } };
}

/** The address a UDP socket of this family is bound to before it connects, as Deno's --allow-net spells it. */
function bindHost(family: 4 | 6): string {
  return family === 6 ? "[::]:0" : "0.0.0.0:0";
}

/**
 * Undefined where a UDP socket of `family` may be opened (always outside
 * Deno); under Deno without net access to its bind address, the error
 * (code EACCES) to report instead of opening it. `peer` names what the
 * socket was for.
 */
export function udpSocketDenied(family: 4 | 6, peer: string): NodeJS.ErrnoException | undefined {
  const deno = (globalThis as { Deno?: DenoPermissions }).Deno;
  if (deno?.permissions?.querySync === undefined) return undefined;
  const host = bindHost(family);
  if (deno.permissions.querySync({ name: "net", host }).state === "granted") return undefined;
  return Object.assign(
    new Error(`netdb: Deno denies net access to ${host}, where a UDP socket to ${peer} is bound first: add ${host} to --allow-net`),
    { code: "EACCES", syscall: "bind" },
  );
}
