import { expect } from "chai";
import { parseArgs, parseServer, UsageError, type Invocation } from "../../src/cli/args.js";

const common = { servers: [], tcp: false, json: false, trace: false };

describe("netdb command line", () => {
  const good: [argv: string, expected: Invocation][] = [
    ["hosts alpha beta", { kind: "run", command: "hosts", operands: ["alpha", "beta"], options: common, flags: 0 }],
    ["services", { kind: "run", command: "services", operands: [], options: common, flags: 0 }],
    [
      "--json ahosts --trace www -- --not-an-option",
      { kind: "run", command: "ahosts", operands: ["www", "--not-an-option"], options: { ...common, json: true, trace: true }, flags: 0 },
    ],
    [
      "addrinfo www http --family 6 --type=dgram --flags canonname,AI_PASSIVE,NUMERICSERV",
      { kind: "run", command: "addrinfo", operands: ["www", "http"], options: common, family: 6, type: 2, flags: 0x0002 | 0x0001 | 0x0400 },
    ],
    ["nameinfo 127.0.0.1 80 --flags namereqd,dgram", { kind: "run", command: "nameinfo", operands: ["127.0.0.1", "80"], options: common, flags: 8 | 16 }],
    [
      "hostbyname www --server 127.0.0.1 --server [::1]:5353 --server ::1 --server 127.0.0.2:54 --timeout 0.25 --tcp",
      {
        kind: "run",
        command: "hostbyname",
        operands: ["www"],
        options: { ...common, servers: ["127.0.0.1:53", "[::1]:5353", "[::1]:53", "127.0.0.2:54"], timeout: 250, tcp: true },
        flags: 0,
      },
    ],
    ["fqdn --root /tmp/r", { kind: "run", command: "fqdn", operands: [], options: { ...common, root: "/tmp/r" }, flags: 0 }],
    ["hostbyaddr 192.0.2.1 --world fixtures/seed-world", { kind: "run", command: "hostbyaddr", operands: ["192.0.2.1"], options: { ...common, world: "fixtures/seed-world" }, flags: 0 }],
    ["hostbyname_ex www --record=/tmp/w", { kind: "run", command: "hostbyname_ex", operands: ["www"], options: { ...common, record: "/tmp/w" }, flags: 0 }],
    ["--help", { kind: "help" }],
    ["-h", { kind: "help" }],
    ["addrinfo --help", { kind: "help", command: "addrinfo" }],
    ["--help protocols", { kind: "help", command: "protocols" }],
    ["--version", { kind: "version" }],
    ["hosts x --version", { kind: "version" }],
    [
      "query @127.0.0.1:5353 www.example MX txt +short +TCP",
      {
        kind: "run",
        command: "query",
        operands: ["www.example", "MX", "txt"],
        options: { ...common, servers: ["127.0.0.1:5353"], tcp: true },
        flags: 0,
        query: { name: "www.example", types: ["MX", "TXT"], qclass: "IN", search: false, short: true },
      },
    ],
    [
      "query x type65280 ch --search --server ::1",
      {
        kind: "run",
        command: "query",
        operands: ["x", "type65280", "ch"],
        options: { ...common, servers: ["[::1]:53"] },
        flags: 0,
        query: { name: "x", types: ["TYPE65280"], qclass: "CH", search: true, short: false },
      },
    ],
    ["query x.", { kind: "run", command: "query", operands: ["x."], options: common, flags: 0, query: { name: "x.", types: ["A"], qclass: "IN", search: false, short: false } }],
  ];
  for (const [argv, expected] of good) {
    it(`reads: netdb ${argv}`, () => {
      expect(parseArgs(argv.split(" "))).to.deep.equal(expected);
    });
  }

  const bad: [argv: string, message: string][] = [
    ["", "no command given"],
    ["frobnicate x", 'unknown command "frobnicate"'],
    ["hosts --bogus", "unknown option --bogus"],
    ["hosts x --server", "option --server needs a value"],
    ["hosts --json=yes", "option --json takes no value"],
    ["hostbyname", "hostbyname needs NAME"],
    ["addrinfo", "addrinfo needs HOST"],
    ["hostbyname a b", "hostbyname takes at most 1 operand, got 2"],
    ["addrinfo a 80 x", "addrinfo takes at most 2 operands, got 3"],
    ["hosts x --family 4", "hosts takes no --family"],
    ["nameinfo ::1 --type stream", "nameinfo takes no --type"],
    ["addrinfo x --family 5", '--family must be 4 or 6, not "5"'],
    ["addrinfo x --type seqpacket", '--type must be stream, dgram or raw, not "seqpacket"'],
    ["addrinfo x --flags canonname,bogus", 'unknown flag "bogus" (known: passive, canonname, numerichost, v4mapped, all, addrconfig, numericserv)'],
    ["nameinfo ::1 --flags canonname", 'unknown flag "canonname" (known: numerichost, numericserv, nofqdn, namereqd, dgram)'],
    ["hosts x --timeout 0", '--timeout must be a positive number of seconds, not "0"'],
    ["hosts x --timeout 1s", '--timeout must be a positive number of seconds, not "1s"'],
    ["hosts x --root a --root b", "option --root given more than once"],
    ["hosts x --world a --record b", "--world and --record cannot be combined"],
    ["hosts x --world=", "option --world needs a directory"],
    ["nameinfo ::1 http", 'nameinfo PORT must be a number from 0 to 65535, not "http"'],
    ["nameinfo ::1 65536", 'nameinfo PORT must be a number from 0 to 65535, not "65536"'],
    ["query", "query needs NAME"],
    ["query +short", "query needs NAME"],
    ["query x BOGUS", 'query: "BOGUS" is neither a record type nor a class'],
    ["query x OPT", "query cannot ask for OPT records"],
    ["query x +trace", "query does not take dig's +trace (it takes +short, +tcp, +vc, +search)"],
    ["query x @localhost", "--server must be an IP address"],
    ["hosts x --short", "hosts takes no --short"],
    ["addrinfo x --search", "addrinfo takes no --search"],
  ];
  for (const [argv, message] of bad) {
    it(`refuses: netdb ${argv}`, () => {
      expect(() => parseArgs(argv === "" ? [] : argv.split(" "))).to.throw(UsageError, message);
    });
  }

  describe("--server", () => {
    const servers: [string, string | undefined][] = [
      ["127.0.0.1", "127.0.0.1:53"],
      ["127.0.0.1:5353", "127.0.0.1:5353"],
      ["::1", "[::1]:53"],
      ["[::1]", "[::1]:53"],
      ["[fe80::1%lo]:53", "[fe80::1%lo]:53"],
      ["fe80::1%lo", "[fe80::1%lo]:53"],
      ["localhost", undefined],
      ["127.0.0.1:0", undefined],
      ["127.0.0.1:65536", undefined],
      ["[127.0.0.1]:53", undefined],
      ["1.2.3", undefined],
      ["", undefined],
    ];
    for (const [text, expected] of servers) {
      it(`${JSON.stringify(text)} → ${expected ?? "usage error"}`, () => {
        if (expected === undefined) expect(() => parseServer(text)).to.throw(UsageError, "--server must be an IP address");
        else expect(parseServer(text)).to.equal(expected);
      });
    }
  });
});
