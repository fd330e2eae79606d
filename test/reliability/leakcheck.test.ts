/**
 * The leak check (test/support/leakcheck.ts) itself: it must see a socket,
 * a server, a timer or a child process left behind, and must not complain
 * once they are closed.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import net from "node:net";
import Mocha from "mocha";
import { installLeakChecks, leakCheck } from "../support/leakcheck.js";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("reliability: the leak check", () => {
  it("names a UDP socket left open, and is quiet once it is closed", async () => {
    const check = leakCheck("suite x");
    await check.start();
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    expect((await rejection(check.end())).message).to.equal("suite x left active resources behind: UDPWrap +1");
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    await check.end();
  });

  it("names a listening TCP server and a running interval", async () => {
    const check = leakCheck("suite y");
    await check.start();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const interval = setInterval(() => undefined, 1000);
    const message = (await rejection(check.end())).message;
    expect(message).to.include("TCPServerWrap +1");
    expect(message).to.include("Timeout +1");
    clearInterval(interval);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await check.end();
  });

  it("names a child process still running", async () => {
    const check = leakCheck("suite z");
    await check.start();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"], { stdio: "ignore" });
    expect((await rejection(check.end())).message).to.include("ProcessWrap +1");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill();
    await exited;
    await check.end();
  });

  it("brackets each top-level suite: first before hook, last after hook; nested suites are left alone", () => {
    const root = new Mocha.Suite("", new Mocha.Context());
    root.root = true;
    const file = Mocha.Suite.create(root, "a file");
    file.beforeAll("opens a server", () => undefined);
    file.afterAll("closes the server", () => undefined);
    const nested = Mocha.Suite.create(file, "nested");
    installLeakChecks(root);
    const hooks = file as unknown as { _beforeAll: Mocha.Hook[]; _afterAll: Mocha.Hook[] };
    expect(hooks._beforeAll.map((h) => h.title)).to.deep.equal(['"before all" hook: leak check: count active resources', '"before all" hook: opens a server']);
    expect(hooks._afterAll.map((h) => h.title)).to.deep.equal(['"after all" hook: closes the server', '"after all" hook: leak check: nothing left active']);
    expect((nested as unknown as { _beforeAll: Mocha.Hook[] })._beforeAll).to.have.length(0);
  });
});
