/** Which proof type a customer's proof gets: its override, else the tenant's default, else online. */
import { resolveProofType, tenantProofType } from '../../../domain/proof-types';

describe('proof type resolution', () => {
  it.each([
    [null, null, 'online'],
    [null, 'email', 'email'],
    ['none', 'email', 'none'],
    ['online', 'none', 'online'],
    [null, 'none', 'none'],
    // Values stored before they were validated mean nothing: the default applies.
    ['pdf', 'email', 'email'],
    [null, 'fax', 'online'],
  ] as const)('customer %s, tenant %s → %s', (customer, tenant, expected) => {
    expect(resolveProofType(customer, tenant)).toBe(expected);
  });

  it('shows a tenant that never chose as online', () => {
    expect(tenantProofType(null)).toBe('online');
    expect(tenantProofType('email')).toBe('email');
  });
});
