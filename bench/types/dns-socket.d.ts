// The part of dns-socket 4.x the bench uses (the package ships no types).
declare module "dns-socket" {
  import type { Packet } from "dns-packet";

  interface DnsSocketOptions {
    timeout?: number;
    retries?: number;
    maxQueries?: number;
  }

  interface DnsSocket {
    query(query: Packet, port: number, host: string, callback: (err: Error | null, response: Packet) => void): number;
    destroy(callback?: () => void): void;
  }

  function dnsSocket(options?: DnsSocketOptions): DnsSocket;
  export default dnsSocket;
}
