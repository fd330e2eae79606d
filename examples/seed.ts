/**
 * `npm start`: the seed document's tour of Python's socket lookups, run
 * with netdb against the recorded world in fixtures/seed-world. Nothing
 * touches the network (it works inside `unshare -n`): the etc files are
 * the world's and every DNS answer is replayed from its exchange log.
 *
 * Each example prints what the seed's program prints, under a heading;
 * fixtures/seed-world/expected-output.txt is what CPython printed for the
 * same programs (fixtures/seed-world/tour.py) in the same world.
 */
import { fileURLToPath } from "node:url";
import * as netdb from "../src/index.js";
import { constantNames } from "../src/cli/output.js";
import { pyList, pyTuple } from "../src/cli/pyrepr.js";

/** The bundled world the tour runs in. */
export const SEED_WORLD = fileURLToPath(new URL("../fixtures/seed-world/", import.meta.url));

type Print = (line?: string) => void;

/** The tour's examples, in the seed's order: a heading and a program each. */
function seedExamples(resolver: netdb.Resolver): [heading: string, program: (print: Print) => Promise<void> | void][] {
  return [
    ["gethostname (socket_gethostname.py)", (print) => print(resolver.gethostname())],
    ["gethostbyname (socket_gethostbyname.py)", (print) => gethostbyname(resolver, print)],
    ["gethostbyname_ex (socket_gethostbyname_ex.py)", (print) => gethostbyname_ex(resolver, print)],
    ["getfqdn (socket_getfqdn.py)", (print) => getfqdn(resolver, print)],
    ["gethostbyaddr (socket_gethostbyaddr.py)", (print) => gethostbyaddr(resolver, print)],
    ["getservbyname (socket_getservbyname.py)", (print) => getservbyname(resolver, print)],
    ["getservbyport (socket_getservbyport.py)", (print) => getservbyport(resolver, print)],
    ["getprotobyname (socket_getprotobyname.py)", (print) => getprotobyname(resolver, print)],
    ["getaddrinfo (socket_getaddrinfo.py)", async (print) => printAddrinfo(await resolver.getaddrinfo("www.python.org", "http"), print)],
    [
      "getaddrinfo with arguments (socket_getaddrinfo_extra_args.py)",
      async (print) =>
        printAddrinfo(
          await resolver.getaddrinfo("www.doughellmann.com", "http", netdb.AF_INET, netdb.SOCK_STREAM, netdb.IPPROTO_TCP, netdb.AI_CANONNAME),
          print,
        ),
    ],
    ["inet_aton and inet_ntoa 192.168.1.1 (socket_address_packing.py)", (print) => addressPacking("192.168.1.1", print)],
    ["inet_aton and inet_ntoa 127.0.0.1 (socket_address_packing.py)", (print) => addressPacking("127.0.0.1", print)],
    [
      "inet_pton and inet_ntop 2002:ac10:10a:1234:21e:52ff:fe74:40e (socket_ipv6_address_packing.py)",
      (print) => ipv6AddressPacking("2002:ac10:10a:1234:21e:52ff:fe74:40e", print),
    ],
  ];
}

/** Runs every example, a blank line between them. */
export async function runSeedTour(resolver: netdb.Resolver, print: Print): Promise<void> {
  let first = true;
  for (const [heading, program] of seedExamples(resolver)) {
    if (!first) print();
    first = false;
    print(`=== ${heading} ===`);
    await program(print);
  }
}

const HOSTS = ["homer", "www", "www.python.org", "nosuchname"];

async function gethostbyname(resolver: netdb.Resolver, print: Print): Promise<void> {
  for (const host of HOSTS) {
    try {
      print(`${host.padStart(15)} : ${await resolver.gethostbyname(host)}`);
    } catch (err) {
      print(`${host.padStart(15)} : ERROR: ${socketErrorText(err)}`);
    }
  }
}

async function gethostbyname_ex(resolver: netdb.Resolver, print: Print): Promise<void> {
  for (const host of HOSTS) {
    print(host);
    try {
      const [hostname, aliases, addresses] = await resolver.gethostbyname_ex(host);
      print(`  Hostname: ${hostname}`);
      print(`  Aliases : ${pyList(aliases)}`);
      print(` Addresses: ${pyList(addresses)}`);
    } catch (err) {
      print(`${host.padStart(15)} : ERROR: ${socketErrorText(err)}`);
    }
    print();
  }
}

async function getfqdn(resolver: netdb.Resolver, print: Print): Promise<void> {
  for (const host of ["homer", "www"]) print(`${host.padStart(6)} : ${await resolver.getfqdn(host)}`);
}

async function gethostbyaddr(resolver: netdb.Resolver, print: Print): Promise<void> {
  const [hostname, aliases, addresses] = await resolver.gethostbyaddr("192.168.1.8");
  print(`Hostname : ${hostname}`);
  print(`Aliases  : ${pyList(aliases)}`);
  print(`Addresses: ${pyList(addresses)}`);
}

function getservbyname(resolver: netdb.Resolver, print: Print): void {
  const urls = [
    "http://www.python.org",
    "https://www.mybank.com",
    "ftp://prep.ai.mit.edu",
    "gopher://gopher.micro.umn.edu",
    "smtp://mail.example.com",
    "imap://mail.example.com",
    "imaps://mail.example.com",
    "pop3://pop.example.com",
    "pop3s://pop.example.com",
  ];
  for (const url of urls) {
    const scheme = url.slice(0, url.indexOf(":"));
    print(`${scheme.padStart(6)} : ${resolver.getservbyname(scheme)}`);
  }
}

function getservbyport(resolver: netdb.Resolver, print: Print): void {
  for (const port of [80, 443, 21, 70, 25, 143, 993, 110, 995]) print(`${resolver.getservbyport(port)}://example.com/`);
}

function getprotobyname(resolver: netdb.Resolver, print: Print): void {
  const protocols = constantNames("IPPROTO_");
  for (const name of ["icmp", "udp", "tcp"]) {
    const number = resolver.getprotobyname(name);
    const constName = protocols.get(number)!;
    const value = (netdb as unknown as Record<string, number>)[constName];
    print(`${name.padStart(4)} -> ${String(number).padStart(2)} (socket.${constName.padEnd(12)} = ${String(value).padStart(2)})`);
  }
}

function printAddrinfo(responses: netdb.AddrInfo[], print: Print): void {
  const families = constantNames("AF_");
  const types = constantNames("SOCK_");
  const protocols = constantNames("IPPROTO_");
  for (const [family, socktype, proto, canonname, sockaddr] of responses) {
    print(`Family        : ${families.get(family)}`);
    print(`Type          : ${types.get(socktype)}`);
    print(`Protocol      : ${protocols.get(proto)}`);
    print(`Canonical name: ${canonname}`);
    print(`Socket address: ${pyTuple(sockaddr)}`);
    print();
  }
}

function addressPacking(stringAddress: string, print: Print): void {
  const packed = netdb.inet_aton(stringAddress);
  print(`Original: ${stringAddress}`);
  print(`Packed  : ${packed.toString("hex")}`);
  print(`Unpacked: ${netdb.inet_ntoa(packed)}`);
}

function ipv6AddressPacking(stringAddress: string, print: Print): void {
  const packed = netdb.inet_pton(netdb.AF_INET6, stringAddress);
  print(`Original: ${stringAddress}`);
  print(`Packed  : ${packed.toString("hex")}`);
  print(`Unpacked: ${netdb.inet_ntop(netdb.AF_INET6, packed)}`);
}

/** `str(exc)` of a socket error, as the seed's `except socket.error, msg` prints it. */
function socketErrorText(err: unknown): string {
  if (err instanceof netdb.SocketError) return err.message;
  throw err;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const resolver = netdb.Resolver.fromWorld(SEED_WORLD);
  await runSeedTour(resolver, (line = "") => process.stdout.write(`${line}\n`));
}
