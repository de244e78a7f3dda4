/**
 * How an address is classified for webhooks: only public unicast is reachable, and an IPv6
 * address carrying an IPv4 address is judged by the IPv4 address it reaches.
 */
import { nonPublic } from '../../../services/webhooks/destination';

test.each([
  ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
  ['::7f00:1', 'loopback', '127.0.0.1'],
  ['::ffff:0:7f00:1', 'loopback', '127.0.0.1'],
  ['64:ff9b::a9fe:a9fe', 'link-local', '169.254.169.254'],
  ['2002:a00:1::1', 'private', '10.0.0.1'],
  // Teredo: server 65.54.227.120, client 127.0.0.1 stored XOR-ed (80ff:fffe).
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback', '127.0.0.1'],
])('%s reaches %s, a %s address', (address, reason, reaches) => {
  expect(nonPublic(address)).toEqual({ reason, reaches });
});

test.each([
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'link-local'],
  ['fd12:3456::1', 'private (unique local)'],
  ['100.64.0.1', 'shared (carrier-grade NAT)'],
  ['198.18.0.1', 'reserved'],
  ['64:ff9b:1::808:808', 'NAT64 (local-use)'],
])('%s is a %s address', (address, reason) => {
  expect(nonPublic(address)).toEqual({ reason });
});

test.each(['93.184.215.14', '2606:4700::1111', '::ffff:5db8:d70e', '64:ff9b::5db8:d70e', '2002:5db8:d70e::1', '2001:0:4136:e378:8000:63bf:a247:28f1'])(
  '%s is public',
  (address) => {
    expect(nonPublic(address)).toBeUndefined();
  },
);
