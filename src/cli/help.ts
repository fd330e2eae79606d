/**
 * `netdb --help` and `netdb COMMAND --help`, built from the command table so
 * the help cannot drift from what the parser accepts.
 */
import { COMMANDS, DNS_COMMANDS, FUNCTION_COMMANDS, GETENT_COMMANDS, type CommandName } from "./args.js";

const COMMON_OPTIONS = `Options (any command):
  --server ADDR[:PORT]  ask this nameserver instead of resolv.conf's (repeatable;
                        IPv6 as [ADDR]:PORT); tls://ADDR[:PORT][?name=NAME] for
                        DNS over TLS, https://HOST/PATH for DNS over HTTPS
  --root DIR            read etc/hosts, etc/resolv.conf, ... under DIR instead of /
  --world DIR           replay the recorded world in DIR (DIR/etc and
                        DIR/exchanges.jsonl); no packet leaves the process
  --record DIR          record every DNS exchange, and the etc files used, as a
                        world in DIR (adding to the world already there)
  --timeout SECONDS     per-try timeout (resolv.conf's timeout:, default 5)
  --tcp                 query over TCP only (resolv.conf's use-vc)
  --json                print one JSON document instead of text
  --trace               explain the lookup step by step: which source answered
                        (files or dns), each name from the search list, each
                        server and transport, round-trip time, rcode,
                        truncation and TCP retry, the final address sort
  --search              query: apply the search list and ndots (res_search)
  --short               query: print only the answers' data, as dig +short
  -h, --help            show help (for a command: netdb COMMAND --help)
  --version             print netdb's version`;

const EXIT_STATUS = `Exit status: 0 when every key was found, 2 when one was not (or the lookup
failed), 1 for a wrong command line or a lookup netdb could not run (such as a
query the replayed world has no recording of). query exits as dig does: 0 for
any reply (NXDOMAIN and SERVFAIL too), 9 when no server replied, 10 for a name
that cannot be sent, 1 for a wrong command line.`;

/** The help of one command. */
export function commandHelp(command: CommandName): string {
  const spec = COMMANDS[command];
  const lines = [`usage: netdb ${spec.synopsis} [OPTIONS]`, "", `${spec.summary}.`];
  if (spec.flags !== undefined) {
    lines.push("", `Flags for --flags (comma-separated): ${Object.keys(spec.flags).join(", ")}.`);
  }
  lines.push("", COMMON_OPTIONS, "", EXIT_STATUS);
  return lines.join("\n") + "\n";
}

/** The help of the whole tool. */
export function generalHelp(): string {
  const list = (names: readonly CommandName[]) => names.map((name) => `  ${COMMANDS[name].synopsis}\n      ${COMMANDS[name].summary}`).join("\n");
  return [
    "usage: netdb COMMAND [ARGS...] [OPTIONS]",
    "",
    "Host, service and protocol lookups as glibc and Python's socket module answer",
    "them, computed by netdb itself: it reads the etc files and speaks DNS.",
    "",
    "getent-style commands (getent's output format; no KEY lists the files):",
    list(GETENT_COMMANDS),
    "",
    "Python socket functions:",
    list(FUNCTION_COMMANDS),
    "",
    "dig-style DNS queries (dig's layout and exit status; @SERVER, +short, +tcp, +search also work):",
    list(DNS_COMMANDS),
    "",
    COMMON_OPTIONS,
    "",
    EXIT_STATUS,
  ].join("\n") + "\n";
}
