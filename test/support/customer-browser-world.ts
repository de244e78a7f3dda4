/**
 * The world of a browser test on the customer's side: the whole stack, a seller's back office
 * (test/integration/portal-fixtures.ts) and Chromium, made in the file's `beforeAll` and closed
 * in its `afterAll`. Call it at the top of the file; a file's own `beforeAll` after it sees it filled.
 */
import type { Browser } from 'playwright-core';
import { backOffice, type BackOffice } from '../integration/portal-fixtures';
import { launchChromium } from './browser';
import { startStack, type Stack } from './stack';

export interface CustomerBrowserWorld {
  stack: Stack;
  office: BackOffice;
  browser: Browser;
}

export function customerBrowserWorld(): CustomerBrowserWorld {
  const world = {} as CustomerBrowserWorld;
  beforeAll(async () => {
    world.stack = await startStack();
    world.office = await backOffice(world.stack);
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.stack?.close();
  });
  return world;
}
