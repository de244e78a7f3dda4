/**
 * Where a webhook may go. A tenant chooses the URL, and the worker POSTs to it from inside
 * our network: an address on a private, loopback or link-local range would let a tenant
 * reach internal services (server-side request forgery). So the URL is checked when the
 * endpoint is registered (a clear 422), and again at every delivery, at connection time:
 * the HTTP request resolves the host through guardedLookup, which refuses such addresses,
 * so a DNS answer that changed since registration (DNS rebinding) is caught on the very
 * address the socket connects to.
 *
 * Addresses are classified by ipaddr.js, not by ranges written here: an IPv4 address has
 * many IPv6 spellings (::ffff:7f00:1, ::127.0.0.1, 64:ff9b::7f00:1, 2002:7f00:1::…), and a
 * hand-kept list missed them.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The words a refusal uses for ipaddr.js's range names; a range not listed is named as ipaddr.js names it. */
const RANGE_WORDS: Record<string, string> = {
  linkLocal: 'link-local',
  carrierGradeNat: 'shared (carrier-grade NAT)',
  uniqueLocal: 'private (unique local)',
  rfc6052: 'NAT64 (local-use)',
};

const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

function ipv4FromWords(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * The IPv4 addresses an IPv6 address carries and reaches through a translator or tunnel:
 * IPv4-compatible (::a.b.c.d), SIIT (::ffff:0:a.b.c.d), NAT64's well-known prefix
 * (64:ff9b::a.b.c.d), 6to4 (2002:AABB:CCDD::) and Teredo (server, and client XOR-ed).
 * IPv4-mapped addresses (::ffff:a.b.c.d) never get here: ipaddr.process() turns them into IPv4.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const [, w1 = 0, w2 = 0, w3 = 0, , , w6 = 0, w7 = 0] = address.parts;
  const lastWords = ipv4FromWords(w6, w7);
  switch (address.range()) {
    case 'unicast':
      return address.match(IPV4_COMPATIBLE) ? [lastWords] : undefined;
    case 'rfc6145':
      return [lastWords];
    case 'rfc6052':
      return address.match(NAT64_WELL_KNOWN) ? [lastWords] : undefined;
    case '6to4':
      return [ipv4FromWords(w1, w2)];
    case 'teredo':
      return [ipv4FromWords(w2, w3), ipv4FromWords(~w6 & 0xffff, ~w7 & 0xffff)];
    default:
      return undefined;
  }
}

function rangeWord(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  const range = address.range();
  return RANGE_WORDS[range] ?? range;
}

export interface NonPublic {
  /** "loopback", "private", "link-local"... */
  reason: string;
  /** The IPv4 address the refused one stands for or carries, when it is written another way. */
  reaches?: string;
}

/**
 * Why an address is not a public one, or undefined when it is. Only ipaddr.js's 'unicast'
 * is public; an IPv6 address that carries an IPv4 address is as public as what it carries.
 */
export function nonPublic(address: string): NonPublic | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return { reason: 'unparseable' };
  }
  if (parsed.kind() === 'ipv6') {
    const embedded = embeddedIPv4(parsed as ipaddr.IPv6);
    const refused = embedded?.find((ipv4) => ipv4.range() !== 'unicast');
    if (refused) return { reason: rangeWord(refused), reaches: refused.toString() };
    if (embedded) return undefined;
  }
  if (parsed.range() === 'unicast') return undefined;
  // ::ffff:7f00:1 was turned into 127.0.0.1: say so.
  return isIP(address) === 6 && parsed.kind() === 'ipv4' ? { reason: rangeWord(parsed), reaches: parsed.toString() } : { reason: rangeWord(parsed) };
}

export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefused';
  }
}

function refusal(host: string, address: string, { reason, reaches }: NonPublic): DestinationRefused {
  const where = [host === address ? address : `${host} resolves to ${address}`, ...(reaches ? [`which reaches ${reaches}`] : [])].join(', ');
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
    const refused = nonPublic(address);
    if (refused) throw refusal(host, address, refused);
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
      if (!allowPrivate) {
        for (const { address } of list) {
          const refused = nonPublic(address);
          if (refused) return callback(refusal(hostname, address, refused));
        }
      }
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
  const refused = nonPublic(host);
  if (refused) throw refusal(host, host, refused);
}
