/**
 * Linux values of the socket-module constants, as `<sys/socket.h>`,
 * `<netinet/in.h>` and `<netdb.h>` define them on glibc (and as CPython
 * exposes them).
 */

/** Address families. */
export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** Socket types. */
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_RDM = 4;
export const SOCK_SEQPACKET = 5;

/** IP protocol numbers (Linux `<netinet/in.h>`). */
export const IPPROTO_IP = 0;
export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_EGP = 8;
export const IPPROTO_PUP = 12;
export const IPPROTO_UDP = 17;
export const IPPROTO_IDP = 22;
export const IPPROTO_TP = 29;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_RSVP = 46;
export const IPPROTO_GRE = 47;
export const IPPROTO_ESP = 50;
export const IPPROTO_AH = 51;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_NONE = 59;
export const IPPROTO_DSTOPTS = 60;
export const IPPROTO_PIM = 103;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;
export const IPPROTO_RAW = 255;
export const IPPROTO_MPTCP = 262;

/** getaddrinfo flags. */
export const AI_PASSIVE = 0x0001;
export const AI_CANONNAME = 0x0002;
export const AI_NUMERICHOST = 0x0004;
export const AI_V4MAPPED = 0x0008;
export const AI_ALL = 0x0010;
export const AI_ADDRCONFIG = 0x0020;
export const AI_NUMERICSERV = 0x0400;

/** getnameinfo flags and buffer sizes. */
export const NI_NUMERICHOST = 1;
export const NI_NUMERICSERV = 2;
export const NI_NOFQDN = 4;
export const NI_NAMEREQD = 8;
export const NI_DGRAM = 16;
export const NI_MAXHOST = 1025;
export const NI_MAXSERV = 32;

/** getaddrinfo error codes (glibc `<netdb.h>`). */
export const EAI_BADFLAGS = -1;
export const EAI_NONAME = -2;
export const EAI_AGAIN = -3;
export const EAI_FAIL = -4;
export const EAI_NODATA = -5;
export const EAI_FAMILY = -6;
export const EAI_SOCKTYPE = -7;
export const EAI_SERVICE = -8;
export const EAI_ADDRFAMILY = -9;
export const EAI_MEMORY = -10;
export const EAI_SYSTEM = -11;
export const EAI_OVERFLOW = -12;
/** glibc's: AI_IDN or NI_IDN met a name that is not correctly encoded (bytes that are no UTF-8). */
export const EAI_IDN_ENCODE = -105;

/** h_errno values, as `gethostbyaddr` reports them. */
export const HOST_NOT_FOUND = 1;
export const TRY_AGAIN = 2;
export const NO_RECOVERY = 3;
export const NO_DATA = 4;
