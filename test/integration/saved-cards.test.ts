/**
 * Saving a customer's card (PATCH /v1/customers/:id {savedCard}) through the official SDK and
 * the local Stripe stand-in, which answers payment method ids as Stripe does: a card id the
 * provider does not know is the caller's mistake, a 422 naming the field, and nothing is saved.
 */
import { createStripeProvider } from '../../services/payment/stripe';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { startPaymentStack, type PaymentStack } from '../support/payments';

let payments: PaymentStack;
let api: GreenlightClient;

beforeAll(async () => {
  payments = await startPaymentStack();
  api = greenlightClient(payments.stack.baseUrl, (await payments.stack.createTenant()).apiKey);
});

afterAll(async () => {
  await payments?.close();
});

test('a payment method the provider does not know is 422 naming the field, and the customer keeps no card', async () => {
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Blackbell Studio', email: 'billing@blackbell.test' } }));
  const theCustomer = { params: { path: { id: customer.id } } };
  const answer = await api.PATCH('/v1/customers/{id}', { ...theCustomer, body: { savedCard: { paymentMethodId: 'pm_no_such_card' } } });
  expect(answer.response.status).toBe(422);
  expect(answer.error?.errors).toEqual([{ path: 'savedCard.paymentMethodId', message: expect.stringContaining("'pm_no_such_card'") }]);
  expect(answer.error?.detail).toContain('refused the card');
  expect((await api.GET('/v1/customers/{id}', theCustomer)).data?.savedCard).toBeNull();

  // The customer can still be given a real card afterwards.
  const saved = await api.PATCH('/v1/customers/{id}', { ...theCustomer, body: { savedCard: { paymentMethodId: 'pm_card_visa' } } });
  expect(saved.response.status).toBe(200);
  expect(saved.data?.savedCard).toEqual({ paymentMethodId: 'pm_card_visa' });
});

test("Stripe's pm_card_chargeCustomerFail attaches, as at Stripe (its charges are what fail)", async () => {
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Atelier Rouge' } }));
  const saved = await api.PATCH('/v1/customers/{id}', { params: { path: { id: customer.id } }, body: { savedCard: { paymentMethodId: 'pm_card_chargeCustomerFail' } } });
  expect(saved.response.status).toBe(200);
  expect(saved.data?.savedCard).toEqual({ paymentMethodId: 'pm_card_chargeCustomerFail' });

  const { paymentCustomerId } = await payments.stack.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
  const provider = createStripeProvider(payments.stack.config.stripe);
  const charge = await provider.chargeSavedCard({
    subject: { tenantId: 'ten_saved_cards', subjectId: customer.id, subjectKind: 'subscription' },
    amount: 4900,
    currency: 'EUR',
    customerId: String(paymentCustomerId),
    paymentMethodId: 'pm_card_chargeCustomerFail',
    idempotencyKey: `saved-cards-${customer.id}`,
  });
  expect(charge).toMatchObject({ status: 'failed', failureCode: 'generic_decline' });
});
