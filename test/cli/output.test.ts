import { expect } from "chai";
import { GaiError, HError, SocketError } from "../../src/errors.js";
import { addrinfoLines, hostBlock, jsonError } from "../../src/cli/output.js";

describe("function command output", () => {
  it("addrinfo: one aligned line per tuple, constants by name, sockaddr as Python prints it", () => {
    expect(
      addrinfoLines([
        [10, 1, 6, "www.python.org", ["2001:888:2000:d::a2", 80, 0, 0]],
        [2, 1, 6, "", ["82.94.164.162", 80]],
        [2, 2, 17, "", ["82.94.164.162", 80]],
        [2, 3, 0, "", ["82.94.164.162", 80]],
      ]),
    ).to.deep.equal([
      "AF_INET6  SOCK_STREAM  IPPROTO_TCP  ('2001:888:2000:d::a2', 80, 0, 0)  www.python.org",
      "AF_INET   SOCK_STREAM  IPPROTO_TCP  ('82.94.164.162', 80)",
      "AF_INET   SOCK_DGRAM   IPPROTO_UDP  ('82.94.164.162', 80)",
      "AF_INET   SOCK_RAW     IPPROTO_IP   ('82.94.164.162', 80)",
    ]);
    expect(addrinfoLines([])).to.deep.equal([]);
  });

  it("hostbyname_ex and hostbyaddr: the seed's Hostname/Aliases/Addresses block", () => {
    expect(hostBlock(["hellfly.net", ["www.hellfly.net"], ["50.56.79.68"]])).to.deep.equal([
      "Hostname : hellfly.net",
      "Aliases  : ['www.hellfly.net']",
      "Addresses: ['50.56.79.68']",
    ]);
  });

  it("errors as JSON carry Python's exception name, errno, code and message", () => {
    expect(jsonError(new GaiError(-2))).to.deep.equal({ type: "gaierror", errno: -2, code: "EAI_NONAME", message: "[Errno -2] Name or service not known" });
    expect(jsonError(new HError(1))).to.deep.equal({ type: "herror", errno: 1, code: "HOST_NOT_FOUND", message: "[Errno 1] Unknown host" });
    expect(jsonError(new SocketError("port/proto not found"))).to.deep.equal({ type: "OSError", message: "port/proto not found" });
    expect(jsonError(new RangeError("bad"))).to.deep.equal({ type: "ValueError", message: "bad" });
    expect(jsonError(new TypeError("t"))).to.deep.equal({ type: "TypeError", message: "t" });
  });
});
