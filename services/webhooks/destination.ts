/**
 * Where a webhook may go. A tenant chooses the URL, and the worker POSTs to it from inside
 * our network: an address on a private, loopback or link-local range would let a tenant
 * reach internal services (server-side request forgery). So the URL is checked when the
 * endpoint is registered (a clear 422), and again at every delivery, at connection time:
 * the HTTP request resolves the host through guardedLookup, which refuses such addresses,
 * so a DNS answer that changed since registration (DNS rebinding) is caught on the very
 * address the socket connects to.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Address ranges no webhook may reach, each with the word the refusal uses. */
const RANGES: [reason: string, family: 'ipv4' | 'ipv6', network: string, prefix: number][] = [
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['shared (carrier-grade NAT)', 'ipv4', '100.64.0.0', 10],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['benchmarking', 'ipv4', '198.18.0.0', 15],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['private', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['multicast', 'ipv6', 'ff00::', 8],
];

const blockLists = RANGES.map(([reason, family, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { reason, family, list };
});

/** Why an address is not a public one ("loopback", "private", ...), or undefined when it is. */
export function nonPublicReason(address: string): string | undefined {
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  return blockLists.find((block) => block.family === family && block.list.check(ip, family))?.reason;
}

export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefused';
  }
}

function refusal(host: string, address: string, reason: string): DestinationRefused {
  const where = host === address ? address : `${host} resolves to ${address}`;
  return new DestinationRefused(`${where}, a ${reason} address: webhooks go to public addresses only.`);
}

function hostOf(url: URL): string {
  // new URL() keeps IPv6 literals in brackets.
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Registration check: every address the host resolves to must be public (unless allowed). */
export async function checkDestination(url: URL, allowPrivate: boolean): Promise<void> {
  const host = hostOf(url);
  let addresses: LookupAddress[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await dns.lookup(host, { all: true });
  } catch {
    throw new DestinationRefused(`${host} does not resolve to any address.`);
  }
  if (allowPrivate) return;
  for (const { address } of addresses) {
    const reason = nonPublicReason(address);
    if (reason) throw refusal(host, address, reason);
  }
}

/**
 * Delivery check, for node:http's `lookup` option: resolves like dns.lookup, then refuses
 * when any address given to the socket is not public. IP literals skip `lookup`, so the
 * caller checks those with checkLiteralDestination first.
 */
export function guardedLookup(allowPrivate: boolean): typeof dnsLookup {
  return ((hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const list = addresses as LookupAddress[];
      const refused = allowPrivate ? undefined : list.find(({ address }) => nonPublicReason(address));
      if (refused) return callback(refusal(hostname, refused.address, nonPublicReason(refused.address) as string));
      if ((options as { all?: boolean }).all) return callback(null, list);
      const [first] = list;
      if (!first) return callback(new DestinationRefused(`${hostname} does not resolve to any address.`));
      callback(null, first.address, first.family);
    });
  }) as typeof dnsLookup;
}

/** An URL with an IP literal as host connects without any lookup: check it here. */
export function checkLiteralDestination(url: URL, allowPrivate: boolean): void {
  const host = hostOf(url);
  if (allowPrivate || !isIP(host)) return;
  const reason = nonPublicReason(host);
  if (reason) throw refusal(host, host, reason);
}
