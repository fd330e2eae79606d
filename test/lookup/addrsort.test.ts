import { expect } from "chai";
import { formatIPv4, parseIPv4 } from "../../src/inet.js";
import { addrsort } from "../../src/lookup/addrsort.js";

const v4 = (list: string[]): Uint8Array[] => list.map((a) => parseIPv4(a)!);
const text = (list: Uint8Array[]): string[] => list.map(formatIPv4);
const NET_A = { address: 0xc0000200, mask: 0xffffff00 }; // 192.0.2.0/24
const NET_B = { address: 0xc6336400, mask: 0xffffff00 }; // 198.51.100.0/24

describe("lookup/addrsort: glibc's sortlist order (dns-host.c addrsort)", () => {
  it("moves addresses to the rank of their first matching network, keeping the order within a rank", () => {
    const sorted = addrsort(v4(["203.0.113.1", "198.51.100.7", "192.0.2.9", "198.51.100.8", "192.0.2.10"]), [NET_A, NET_B]);
    expect(text(sorted)).to.deep.equal(["192.0.2.9", "192.0.2.10", "198.51.100.7", "198.51.100.8", "203.0.113.1"]);
  });

  it("an entry with host bits set matches nothing (glibc compares it unmasked)", () => {
    const list = v4(["203.0.113.1", "192.0.2.9"]);
    expect(addrsort(list, [{ address: 0xc0000209, mask: 0xffffff00 }])).to.equal(list);
  });

  it("only the first 48 addresses are sorted, as glibc's MAX_NR_ADDRS", () => {
    const list = v4([...Array.from({ length: 48 }, (_, i) => `203.0.113.${i}`), "192.0.2.1"]);
    expect(text(addrsort(list, [NET_A]))).to.deep.equal(text(list));
    const shorter = list.slice(1);
    expect(text(addrsort(shorter, [NET_A]))[0]).to.equal("192.0.2.1");
  });
});
