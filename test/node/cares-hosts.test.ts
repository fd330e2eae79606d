import { expect } from "chai";
import { parseHosts } from "../../src/files/hosts.js";
import { caresReverseNames } from "../../src/node/cares-hosts.js";

/**
 * What node:dns's reverse() answered with this file as /etc/hosts (inside
 * `unshare -n -m`, Node 20.20, c-ares 1.34); the worlds' hosts files are
 * checked the same way in lookup-golden.test.ts.
 */
const HOSTS = `1.2.3.4 a a
1.2.3.5 x b!c d
1.2.3.6 Foo
1.2.3.7 foo bar
1.2.3.8 e!f
1.2.3.9 q
1.2.3.9 r q s
`;

describe("node/cares-hosts: the hosts file as c-ares merges it", () => {
  const hosts = parseHosts(HOSTS);
  const cases: Array<[string, string, string[] | undefined]> = [
    ["a name repeated on its line is kept (c-ares' duplicate check looks at the addresses)", "1.2.3.4", ["a"]],
    ["a name with a character outside [A-Za-z0-9._/*-] is skipped", "1.2.3.5", ["d"]],
    ["a line sharing a name (ignoring case) joins that entry", "1.2.3.6", ["bar"]],
    ["the joining line's address finds the same entry", "1.2.3.7", ["bar"]],
    ["a line left without names is dropped", "1.2.3.8", undefined],
    ["a line with a known address adds its new names", "1.2.3.9", ["r", "s"]],
    ["an address of no line", "1.2.3.10", undefined],
  ];
  for (const [title, address, expected] of cases) {
    it(title, () => {
      expect(caresReverseNames(hosts, address)).to.deep.equal(expected);
    });
  }
});
