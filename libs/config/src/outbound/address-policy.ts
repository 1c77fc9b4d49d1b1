import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses outbound HTTP may reach when private networks are not allowed. Pure parsing, no DNS, so the
 * same rule runs on a literal URL host and on every address a lookup returns at connect time.
 */

/** IPv4 ranges that are not the public internet, as [network, prefix length]. */
const BLOCKED_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", includes the unspecified 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, where cloud metadata services live
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes broadcast
];

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function ipv4InRange(value: number, network: string, bits: number): boolean {
  const size = 2 ** (32 - bits);
  return Math.floor(value / size) === Math.floor(ipv4ToNumber(network) / size);
}

function isPublicIPv4(ip: string): boolean {
  const value = ipv4ToNumber(ip);
  return !BLOCKED_IPV4.some(([network, bits]) => ipv4InRange(value, network, bits));
}

/** Expands a valid IPv6 text (with or without a trailing dotted quad) to its eight 16-bit groups. */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToNumber(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => parseInt(group, 16));
}

function groupsToIPv4(high: number, low: number): string {
  return [high >>> 8, high & 0xff, low >>> 8, low & 0xff].join('.');
}

function isPublicIPv6(ip: string): boolean {
  const g = ipv6Groups(ip);
  const firstFiveZero = g.slice(0, 5).every((x) => x === 0);
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d, which also covers :: and ::1)
  // reach the embedded IPv4 address, so they get its verdict.
  if (firstFiveZero && (g[5] === 0xffff || g[5] === 0)) return isPublicIPv4(groupsToIPv4(g[6], g[7]));
  // IPv4-translated ::ffff:0:a.b.c.d and NAT64 64:ff9b::/96 also stand for the embedded IPv4 address.
  if (g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0) return isPublicIPv4(groupsToIPv4(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPublicIPv4(groupsToIPv4(g[6], g[7]));
  // 6to4 (2002::/16) carries the IPv4 address in bits 16–47.
  if (g[0] === 0x2002) return isPublicIPv4(groupsToIPv4(g[1], g[2]));
  // Only global unicast (2000::/3) is public; that excludes fc00::/7, fe80::/10, ff00::/8 and other reserved space.
  if ((g[0] & 0xe000) !== 0x2000) return false;
  // Teredo hides its IPv4 address (obfuscated), and 2001:db8::/32 is documentation only.
  if (g[0] === 0x2001 && (g[1] === 0 || g[1] === 0x0db8)) return false;
  return true;
}

/**
 * True when `ip` is a public internet address that outbound HTTP may reach without
 * `OUTBOUND_ALLOW_PRIVATE_NETWORKS`. False for loopback, private, link-local, unspecified, carrier-grade NAT,
 * multicast and reserved addresses, for IPv6 forms that embed such an IPv4 address, and for anything that is not an IP.
 */
export function isPublicAddress(ip: string): boolean {
  // A zone index (fe80::1%eth0) only ever appears on link-local addresses; the address before it decides.
  const address = ip.replace(/^\[(.*)\]$/, '$1').split('%')[0];
  if (isIPv4(address)) return isPublicIPv4(address);
  if (isIPv6(address)) return isPublicIPv6(address.toLowerCase());
  return false;
}
