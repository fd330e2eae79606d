/**
 * Names with characters DNS's text form escapes, through getaddrinfo and
 * gethostbyname_ex in the seed world (fixtures/worlds/seed) on the test
 * server. hellfly.net has a wildcard, so every such name gets an answer
 * whose owner is no host name; glibc then reports EAI_NONAME. What CPython
 * 3.11 on glibc 2.36 printed in that world (scripts/netns/run.sh) for
 * getaddrinfo(name, None, AF_INET, 0, 0, AI_CANONNAME) and
 * gethostbyname_ex(name): gaierror(-2, 'Name or service not known') for all.
 * netdb used to wait out every try instead, and say EAI_AGAIN, because it
 * did not recognise the answer's escaped question as the name it asked.
 */
import { expect } from "chai";
import { join } from "node:path";
import { AF_INET, AI_CANONNAME } from "../../src/constants.js";
import { GaiError } from "../../src/errors.js";
import { Resolver } from "../../src/resolver.js";
import { TestDnsServer } from "../support/dnsserver.js";

const WORLD = join(import.meta.dirname, "..", "..", "fixtures", "worlds", "seed");
const NAMES = ["a b.hellfly.net", "A B.hellfly.net", "a\\.b.hellfly.net", "a\\\\b.hellfly.net", "a\\032b.hellfly.net", 'a"b.hellfly.net', "a;b.hellfly.net", "a(b.hellfly.net", "a@b.hellfly.net", "a$b.hellfly.net", "a\tb.hellfly.net"];

describe("lookup: names with characters the DNS text form escapes (seed world)", () => {
  let server: TestDnsServer;
  let resolver: Resolver;
  before(async () => {
    server = await TestDnsServer.start({ worldZones: join(WORLD, "zones") });
    // One try of 2 s: a query left unanswered would show as a slow EAI_AGAIN.
    resolver = new Resolver({ root: WORLD, nameservers: [`127.0.0.1:${server.port}`], env: {}, timeout: 2000, attempts: 1 });
  });
  after(async () => {
    await resolver.close();
    await server.stop();
  });

  for (const name of NAMES) {
    it(`${JSON.stringify(name)}: EAI_NONAME from getaddrinfo and gethostbyname_ex, as CPython`, async () => {
      for (const call of [() => resolver.getaddrinfo(name, null, AF_INET, 0, 0, AI_CANONNAME), () => resolver.gethostbyname_ex(name)]) {
        const started = performance.now();
        const error = await call().then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(GaiError);
        expect([(error as GaiError).errno, (error as GaiError).message]).to.deep.equal([-2, "[Errno -2] Name or service not known"]);
        expect(performance.now() - started, "answered, not timed out").to.be.below(1000);
      }
    });
  }
});
