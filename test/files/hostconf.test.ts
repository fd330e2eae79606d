import { expect } from "chai";
import { parseHostConf } from "../../src/files/hostconf.js";

describe("files/hostconf: /etc/host.conf as glibc reads it", () => {
  const cases: Array<[string, string | undefined, Record<string, string>, ReturnType<typeof parseHostConf>]> = [
    ["no file: glibc's defaults", undefined, {}, { multi: false, reorder: false, trimDomains: [] }],
    ["Debian's file", "multi on\n", {}, { multi: true, reorder: false, trimDomains: [] }],
    ["case and comments", "  MULTI On  # yes\n# reorder on\nReorder ON\n", {}, { multi: true, reorder: true, trimDomains: [] }],
    ["the last line wins", "multi on\nmulti off\n", {}, { multi: false, reorder: false, trimDomains: [] }],
    ["a value that is neither on nor off changes nothing", "multi on\nmulti yes\n", {}, { multi: true, reorder: false, trimDomains: [] }],
    ["order and unknown commands are ignored", "order hosts,bind\nnospoof on\n", {}, { multi: false, reorder: false, trimDomains: [] }],
    ["trim lists take , ; or : between domains", "trim a.example, b.example ; c.example\n", {}, { multi: false, reorder: false, trimDomains: ["a.example", "b.example", "c.example"] }],
    ["but only a comma ends a domain by itself", "trim b.example;c.example\n", {}, { multi: false, reorder: false, trimDomains: ["b.example;c.example"] }],
    ["no more than four trim domains", "trim a,b,c,d,e\n", {}, { multi: false, reorder: false, trimDomains: ["a", "b", "c", "d"] }],
    ["a space does not separate trim domains", "trim a.example b.example\n", {}, { multi: false, reorder: false, trimDomains: ["a.example"] }],
    ["RESOLV_MULTI and RESOLV_REORDER override the file", "multi on\n", { RESOLV_MULTI: "off", RESOLV_REORDER: "on" }, { multi: false, reorder: true, trimDomains: [] }],
    ["RESOLV_ADD_TRIM_DOMAINS adds, RESOLV_OVERRIDE_TRIM_DOMAINS replaces", "trim a\n", { RESOLV_ADD_TRIM_DOMAINS: "b" }, { multi: false, reorder: false, trimDomains: ["a", "b"] }],
    ["RESOLV_OVERRIDE_TRIM_DOMAINS", "trim a\n", { RESOLV_OVERRIDE_TRIM_DOMAINS: "c : d" }, { multi: false, reorder: false, trimDomains: ["c", "d"] }],
  ];
  for (const [title, text, env, expected] of cases) {
    it(title, () => expect(parseHostConf(text, env)).to.deep.equal(expected));
  }
});
