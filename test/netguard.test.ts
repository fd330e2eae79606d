import { expect } from "chai";
import dgram from "node:dgram";
import net from "node:net";
import { isLoopback, takeViolations } from "./support/netguard.js";

describe("network guard", () => {
  afterEach(() => takeViolations());

  it("classifies loopback addresses", () => {
    for (const a of ["127.0.0.1", "127.255.0.9", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopback(a), a).to.equal(true);
    for (const a of ["10.0.0.53", "198.51.100.1", "::", "0.0.0.0", "192.168.1.8", "fe80::1"]) expect(isLoopback(a), a).to.equal(false);
  });

  it("refuses a UDP send to a non-loopback address", () => {
    const s = dgram.createSocket("udp4");
    try {
      expect(() => s.send(Buffer.from("x"), 53, "192.0.2.53")).to.throw(/network guard/);
    } finally {
      s.close();
    }
  });

  it("refuses a TCP connect to a non-loopback address", () => {
    const s = new net.Socket();
    expect(() => s.connect(53, "192.0.2.53")).to.throw(/network guard/);
    s.destroy();
  });

  it("lets loopback traffic through", async () => {
    const server = dgram.createSocket("udp4");
    await new Promise<void>((r) => server.bind(0, "127.0.0.1", r));
    const got = new Promise<Buffer>((r) => server.once("message", r));
    const client = dgram.createSocket("udp4");
    client.send(Buffer.from("ping"), server.address().port, "127.0.0.1");
    expect((await got).toString()).to.equal("ping");
    client.close();
    server.close();
  });
});
