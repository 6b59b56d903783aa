import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** IPv6's global unicast space: outside it (e.g. `::7f00:1`, IPv4-compatible) nothing is a public host. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/**
 * Why a webhook may not be sent to this IP address, or undefined when it is a public unicast one. Only
 * ipaddr.js's `unicast` range passes: loopback, private (RFC 1918), carrier-grade NAT (100.64/10),
 * link-local (169.254/16, where cloud metadata services live; fe80::/10), unique-local (fc00::/7),
 * unspecified, multicast, broadcast, reserved and documentation ranges, and IPv6 forms that carry an IPv4
 * address (mapped, NAT64, 6to4, Teredo) are all refused; an IPv4-mapped IPv6 address is judged as its IPv4.
 */
export function refusedAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `'${address}' is not an IP address`;
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (range !== 'unicast') return `${ip.toString()} is a ${range} address`;
  if (ip.kind() === 'ipv6' && !(ip as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) return `${ip.toString()} is outside IPv6 global unicast space`;
  return undefined;
}

/** `localhost` and its subdomains are loopback by definition (RFC 6761), whatever a resolver says. */
export const isLocalhostName = (hostname: string): boolean => /(^|\.)localhost\.?$/i.test(hostname);

/** A URL's hostname as an address or name: `[::1]` is `::1`. */
export const bareHostname = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/** Thrown when a host is, or resolves to, an address webhooks may not reach. */
export class RefusedAddressError extends Error {
  constructor(readonly hostname: string, readonly reason: string) {
    super(`${hostname}: ${reason}`);
    this.name = 'RefusedAddressError';
  }
}

/**
 * Every address the host has, all checked: if any one is refused, the host is (a name that also resolves
 * to an internal address could be made to reach it). With `allowPrivate`, nothing is refused.
 */
export async function resolveWebhookHost(hostname: string, allowPrivate: boolean): Promise<ResolvedAddress[]> {
  const host = bareHostname(hostname);
  if (!allowPrivate && isLocalhostName(host)) throw new RefusedAddressError(host, 'localhost is a loopback name');
  const family = isIP(host);
  const addresses: ResolvedAddress[] =
    family === 4 || family === 6
      ? [{ address: host, family }]
      : (await lookup(host, { all: true, verbatim: true })).map(({ address, family: f }) => ({ address, family: f === 6 ? 6 : 4 }));
  if (allowPrivate) return addresses;
  if (addresses.length === 0) throw new RefusedAddressError(host, 'the name has no address');
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address);
    if (reason) throw new RefusedAddressError(host, reason);
  }
  return addresses;
}
