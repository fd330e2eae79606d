import { expect } from "chai";
import { DnsCache } from "../../../src/dns/cache.js";
import { buildTransport } from "../../../src/dns/transport/build.js";
import { CachingTransport } from "../../../src/dns/transport/caching.js";
import { MergingTransport } from "../../../src/dns/transport/merge.js";
import { LazyNetTransport } from "../../../src/dns/transport/lazy-net.js";
import type { Transport } from "../../../src/dns/transport/transport.js";

const given: Transport = { exchange: () => Promise.reject(new Error("not used")), close: () => Promise.resolve() };

describe("dns/transport/build: the one transport stack", () => {
  it("makes the sockets itself when given none, and owns them", async () => {
    const stack = buildTransport({});
    expect(stack.transport).to.be.instanceOf(LazyNetTransport);
    expect(stack.owned).to.equal(true);
    expect(stack.cache).to.equal(undefined);
    await stack.transport.close();
  });

  it("uses a given transport as it is, without owning it", () => {
    const stack = buildTransport({ transport: given });
    expect(stack.transport).to.equal(given);
    expect(stack.owned).to.equal(false);
  });

  it("merges when asked, and by default with a cache, under the cache", () => {
    expect(buildTransport({ transport: given, mergeQueries: true }).transport).to.be.instanceOf(MergingTransport);
    const cache = new DnsCache();
    const cached = buildTransport({ transport: given, cache });
    expect(cached.transport).to.be.instanceOf(CachingTransport);
    expect(cached.cache).to.equal(cache);
    expect(buildTransport({ transport: given, cache: true }).cache).to.be.instanceOf(DnsCache);
  });
});
