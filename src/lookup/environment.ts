/**
 * The network seam of the lookups: the facts getaddrinfo and getnameinfo
 * read of the machine (network.ts reads the running one, routes.ts works
 * out source addresses from its routing tables; tests and worlds give
 * their own).
 */

/** One address of one interface, as netlink's RTM_GETADDR reports it. */
export interface InterfaceAddress {
  /** Interface name, e.g. "lo". */
  name: string;
  /** Interface index (if_nametoindex). */
  index: number;
  family: 4 | 6;
  /** Address text (no scope). */
  address: string;
  prefixlen: number;
  /** IFA_F_DEPRECATED or IFA_F_OPTIMISTIC. */
  deprecated?: boolean;
  /** IFA_F_HOMEADDRESS. */
  homeAddress?: boolean;
  /** False for tunnel interfaces (ARPHRD_TUNNEL, TUNNEL6, SIT); true when omitted. */
  native?: boolean;
}

/** A destination whose source address is wanted. */
export interface Destination {
  family: 4 | 6;
  address: string;
  port: number;
  scopeId: number;
}

/** The network facts lookups depend on. */
export interface NetworkEnvironment {
  /** Every address of every interface. */
  addresses(): InterfaceAddress[];
  /** if_nametoindex: the index of the named interface, or 0. */
  indexOf(name: string): number;
  /** if_indextoname: the name of the interface with this index, if there is one. */
  nameOf(index: number): string | undefined;
  /**
   * The source address the kernel would use to reach `destination` (what
   * connect() of a UDP socket and getsockname() give; no packet is sent),
   * or null when it is unreachable. For an IPv6 destination the answer is
   * IPv6 text (an IPv4-mapped destination gets an IPv4-mapped source).
   */
  sourceFor(destination: Destination): Promise<string | null>;
}
