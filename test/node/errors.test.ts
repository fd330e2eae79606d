import { expect } from "chai";
import { getSystemErrorName } from "node:util";
import * as C from "../../src/constants.js";
import { dnsException, uvErrnoOfGai } from "../../src/node/errors.js";

describe("node/errors: node:dns's error objects", () => {
  // glibc's EAI_* and the libuv name node:dns shows for each (uv__getaddrinfo_translate_error).
  const names: Array<[string, number, string]> = [
    ["EAI_ADDRFAMILY", C.EAI_ADDRFAMILY, "EAI_ADDRFAMILY"],
    ["EAI_AGAIN", C.EAI_AGAIN, "EAI_AGAIN"],
    ["EAI_BADFLAGS", C.EAI_BADFLAGS, "EAI_BADFLAGS"],
    ["EAI_FAIL", C.EAI_FAIL, "EAI_FAIL"],
    ["EAI_FAMILY", C.EAI_FAMILY, "EAI_FAMILY"],
    ["EAI_MEMORY", C.EAI_MEMORY, "EAI_MEMORY"],
    ["EAI_NODATA", C.EAI_NODATA, "EAI_NODATA"],
    ["EAI_NONAME", C.EAI_NONAME, "EAI_NONAME"],
    ["EAI_OVERFLOW", C.EAI_OVERFLOW, "EAI_OVERFLOW"],
    ["EAI_SERVICE", C.EAI_SERVICE, "EAI_SERVICE"],
    ["EAI_SOCKTYPE", C.EAI_SOCKTYPE, "EAI_SOCKTYPE"],
  ];
  for (const [title, gai, uvName] of names) {
    it(`${title} is libuv's ${uvName}`, () => {
      expect(getSystemErrorName(uvErrnoOfGai(gai))).to.equal(uvName);
    });
  }

  it("EAI_SYSTEM carries the system errno, negated as libuv does", () => {
    expect(getSystemErrorName(uvErrnoOfGai(C.EAI_SYSTEM, 22))).to.equal("EINVAL");
    expect(getSystemErrorName(uvErrnoOfGai(C.EAI_SYSTEM))).to.equal("EAI_FAIL");
  });

  it("getaddrinfo's no-such-name errors are ENOTFOUND with libuv's errno", () => {
    const e = dnsException(uvErrnoOfGai(C.EAI_NONAME), "getaddrinfo", "x.test");
    expect(Object.keys(e)).to.deep.equal(["errno", "code", "syscall", "hostname"]);
    expect(e).to.include({ message: "getaddrinfo ENOTFOUND x.test", errno: -3008, code: "ENOTFOUND", syscall: "getaddrinfo", hostname: "x.test" });
    expect(dnsException(uvErrnoOfGai(C.EAI_NODATA), "getaddrinfo", "x.test")).to.include({ code: "ENOTFOUND", errno: -3007 });
    expect(dnsException(uvErrnoOfGai(C.EAI_AGAIN), "getaddrinfo", "x.test")).to.include({ code: "EAI_AGAIN", message: "getaddrinfo EAI_AGAIN x.test" });
  });

  it("a c-ares status has no errno, and an empty hostname is left out", () => {
    const e = dnsException("ENOTFOUND", "queryA", "");
    expect(Object.keys(e)).to.deep.equal(["errno", "code", "syscall"]);
    expect(e).to.include({ message: "queryA ENOTFOUND", errno: undefined, code: "ENOTFOUND", syscall: "queryA" });
    expect(e.constructor).to.equal(Error);
  });
});
