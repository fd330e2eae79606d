import { expect } from "chai";
import { parseNsswitch } from "../../src/files/nsswitch.js";
import type { NssAction, NssSource } from "../../src/files/nsswitch.js";

/** A source with glibc's default actions, changed by `overrides`. */
function source(name: string, overrides: Partial<NssSource["actions"]> = {}): NssSource {
  return { name, actions: { success: "return", notfound: "continue", unavail: "continue", tryagain: "continue", ...overrides } };
}

const all = (action: NssAction) => ({ success: action, notfound: action, unavail: action, tryagain: action });

// Every case was checked against glibc 2.36 (which sources it asks, in which
// order) with a DNS server logging queries inside `unshare -n -m`.
describe("parseNsswitch", () => {
  const cases: [what: string, text: string, sources: NssSource[]][] = [
    ["Debian's line", "hosts:          files dns\n", [source("files"), source("dns")]],
    ["no file: glibc >= 2.33's default", "", [source("files"), source("dns")]],
    ["no hosts line: the default", "passwd: files\n", [source("files"), source("dns")]],
    ["database names are case-sensitive", "HOSTS: dns\n", [source("files"), source("dns")]],
    ["the colon may be missing", "hosts dns files\n", [source("dns"), source("files")]],
    ["leading whitespace", "  hosts: dns\n", [source("dns")]],
    ["the last hosts line wins", "hosts: dns\nhosts: files\n", [source("files")]],
    ["action items", "hosts: files mdns4_minimal [NOTFOUND=return] dns\n",
      [source("files"), source("mdns4_minimal", { notfound: "return" }), source("dns")]],
    ["negation: every other status", "hosts: dns [!UNAVAIL=return] files\n",
      [source("dns", { ...all("return"), unavail: "continue" }), source("files")]],
    ["case-insensitive, spaces inside brackets, no space around them", "hosts: dns[ notfound = Continue success=MERGE ]files\n",
      [source("dns", { success: "merge" }), source("files")]],
    ["no comments inside a line", "hosts: files # dns\n", [source("files"), source("#"), source("dns")]],
    ["a second bracket ends the list silently", "hosts: dns [NOTFOUND=return] [x] files\n", [source("dns", { notfound: "return" })]],
    ["an empty hosts line: no sources (glibc 2.36 crashes)", "hosts:\n", []],
    ["'hosts' and a newline: no sources either", "hosts\n", []],
    ["'hosts' at the end without newline is a syntax error, skipped", "hosts", [source("files"), source("dns")]],
    ["lines of unknown databases are not parsed", "sudoers: files [x\nhosts: dns\n", [source("dns")]],
  ];
  for (const [what, text, sources] of cases) {
    it(what, () => {
      const conf = parseNsswitch(text);
      expect(conf.hostsSources).to.deep.equal(sources);
      expect(conf.hosts).to.deep.equal(sources.map((s) => s.name));
      expect(conf.error).to.equal(undefined);
    });
  }

  const rejected: [what: string, text: string][] = [
    ["unknown status", "hosts: dns [NOTFOUND=continue MAYBE=return] files\n"],
    ["unknown action", "hosts: dns [NOTFOUND=maybe]\n"],
    ["empty brackets", "hosts: dns [] files\n"],
    ["missing bracket", "hosts: dns [NOTFOUND=return\n"],
    ["missing =", "hosts: dns [NOTFOUND return]\n"],
    ["an error on another known database's line", "passwd: files [x=y]\nhosts: files\n"],
  ];
  for (const [what, text] of rejected) {
    it(`rejects the whole file (every lookup fails with EINVAL): ${what}`, () => {
      const conf = parseNsswitch(text);
      expect(conf.error).to.be.a("string");
      expect(conf.hosts).to.deep.equal([]);
      expect(conf.hostsSources).to.deep.equal([]);
    });
  }
});
