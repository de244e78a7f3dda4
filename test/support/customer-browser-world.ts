/**
 * The world of a browser test on the customer's side: the whole stack, a seller's back office
 * (test/integration/portal-fixtures.ts) and Chromium, made in the file's `beforeAll` and closed
 * in its `afterAll`. Call it at the top of the file; a file's own `beforeAll` after it sees it filled.
 * With `{payments: true}` its stack pays through the Stripe stand-in (test/support/payments.ts).
 */
import type { Browser } from 'playwright-core';
import { backOffice, type BackOffice } from '../integration/portal-fixtures';
import { launchChromium } from './browser';
import { startPaymentStack, type PaymentStack } from './payments';
import { startStack, type Stack } from './stack';

export interface CustomerBrowserWorld {
  stack: Stack;
  office: BackOffice;
  browser: Browser;
}

export function customerBrowserWorld(): CustomerBrowserWorld;
export function customerBrowserWorld(options: { payments: true }): CustomerBrowserWorld & { payments: PaymentStack };
export function customerBrowserWorld(options: { payments?: true } = {}): CustomerBrowserWorld & { payments?: PaymentStack } {
  const world = {} as CustomerBrowserWorld & { payments?: PaymentStack };
  beforeAll(async () => {
    if (options.payments) world.payments = await startPaymentStack();
    world.stack = world.payments?.stack ?? (await startStack());
    world.office = await backOffice(world.stack);
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser?.close();
    await (world.payments ?? world.stack)?.close();
  });
  return world;
}
