/**
 * What the proof browser tests read in the proof page, as its French customer sees it. Waits are
 * locators, never `waitForFunction`: the portal's CSP forbids evaluating strings, which
 * Playwright's polling predicate does.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { PROOF_MESSAGES } from '../../api/portal/i18n';
import { greenlightClient, succeeded, type components, type GreenlightClient } from './api';
import { launchChromium, SCREENSHOTS } from './browser';
import { newProofRecipient, type ProofRecipient } from './proof-uploads';
import { startStack, type Stack } from './stack';

const t = PROOF_MESSAGES.fr;

/** What a proof browser test works with: the stack, a seller (its key and client), a French customer of it and Chromium. */
export interface ProofBrowserWorld {
  stack: Stack;
  apiKey: string;
  api: GreenlightClient;
  recipient: ProofRecipient;
  browser: Browser;
}

/**
 * The test file's world, filled in its `beforeAll` (a seller named `seller` with `settings`, its
 * customer, Chromium) and closed in its `afterAll`: call it at the top of the file.
 */
export function proofBrowserWorld(seller: string, settings?: components['schemas']['UpdateSettings']): ProofBrowserWorld {
  const world = {} as ProofBrowserWorld;
  beforeAll(async () => {
    world.stack = await startStack();
    ({ apiKey: world.apiKey } = await world.stack.createTenant(`${seller} ${randomBytes(4).toString('hex')}`));
    world.api = greenlightClient(world.stack.baseUrl, world.apiKey);
    if (settings) await succeeded(world.api.PATCH('/v1/settings', { body: settings }), 200);
    world.recipient = await newProofRecipient(world.stack, world.apiKey);
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.stack?.close();
  });
  return world;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Waits until "page n of N" reads page n: the page's script updates it once the scroll has
 * landed, after the click, tap or key that asked for it.
 */
export async function showsPage(page: Page, n: number, count: number): Promise<void> {
  try {
    await page.locator('.page-indicator', { hasText: new RegExp(`^${escapeRegExp(t.pageOf(n, count))}$`) }).waitFor({ timeout: 30_000 });
  } catch (error) {
    const seen = await page.evaluate<string>(
      `JSON.stringify({ indicator: document.querySelector('.page-indicator').textContent, hash: location.hash, scrollY, innerHeight, scrollHeight: document.documentElement.scrollHeight })`,
    );
    throw new Error(`"${t.pageOf(n, count)}" never showed; the page: ${seen}`, { cause: error });
  }
}

/** Waits until each image the locator finds is decoded (a zoom image is rendered on its first request). */
export async function decoded(images: Locator): Promise<void> {
  await images.first().waitFor({ state: 'attached' });
  await images.evaluateAll((found) => Promise.all(found.map((image) => (image as unknown as { decode(): Promise<void> }).decode())));
}

export interface LensSeen {
  /** The preview hovered, on screen. */
  box: { x: number; y: number; width: number; height: number };
  hidden: boolean;
  backgroundImage: string;
  left: string;
  top: string;
}

/** The mouse over page n's preview, coming to `at` (fractions of it) from a little up and left: the magnifier once shown, and what it shows. */
export async function hoverMagnifier(page: Page, n: number, at: { x: number; y: number }): Promise<LensSeen> {
  const preview = page.locator(`figure[data-page="${n}"] a.zoom img`);
  await decoded(preview);
  const box = (await preview.boundingBox())!;
  await page.mouse.move(box.x + box.width * (at.x - 0.05), box.y + box.height * (at.y - 0.02));
  await page.mouse.move(box.x + box.width * at.x, box.y + box.height * at.y);
  const lens = page.locator('.magnifier');
  await lens.waitFor({ timeout: 30_000 });
  const seen = await lens.evaluate((element) => {
    const { hidden, style } = element as unknown as { hidden: boolean; style: { backgroundImage: string; left: string; top: string } };
    return { hidden, backgroundImage: style.backgroundImage, left: style.left, top: style.top };
  });
  return { box, ...seen };
}

/** Side by side: each page of revision `other` left of the same page of revision `shown`, at the same height. */
export async function checkSideBySide(page: Page, shown: number, other: number, count: number): Promise<void> {
  await page.getByRole('heading', { name: t.compareHeading(shown, other) }).waitFor();
  expect(await page.locator('figure.proof-page').count()).toBe(count);
  const images = page.locator('figure[data-page="1"] .compare-pair img');
  expect(await images.evaluateAll((found) => found.map((image) => new URL((image as unknown as { src: string }).src).searchParams.get('revision')))).toEqual([String(other), String(shown)]);
  const [left, right] = [(await images.nth(0).boundingBox())!, (await images.nth(1).boundingBox())!];
  expect(left.x + left.width).toBeLessThanOrEqual(right.x);
  expect(left.y).toBeCloseTo(right.y, 0);
}

interface BlendReader {
  getComputedStyle(element: unknown): { mixBlendMode: string };
}

/**
 * Overlaid, the earlier revision is blended over the shown one with `difference`: what did not
 * change is black, the changed text (each page's line names its revision) stands out. Measured
 * in a screenshot of page 1, kept as .data/screenshots/<screenshot>.png.
 */
export async function checkOverlay(page: Page, screenshot: string): Promise<void> {
  await page.getByText(t.overlayHint).waitFor();
  const overlay = page.locator('figure[data-page="1"] .page-image.overlay');
  // Both previews decoded before the screenshot (page 1 is not lazy, but may still be arriving).
  await decoded(overlay.locator('img'));
  expect(await overlay.locator('img').nth(1).evaluate((image) => (globalThis as unknown as BlendReader).getComputedStyle(image).mixBlendMode)).toBe('difference');
  // On a phone the decision bar stays over the bottom of the screen: hidden for the measure, it is not the page.
  const shot = await overlay.screenshot({ path: path.join(SCREENSHOTS, `${screenshot}.png`), style: '.decision-bar{visibility:hidden}' });
  const stats = await sharp(shot).greyscale().stats();
  const [grey] = stats.channels;
  // Mostly black (the unchanged white paper cancels out), with bright strokes where the text changed.
  expect(grey!.mean).toBeLessThan(25);
  expect(grey!.max).toBeGreaterThan(200);
}
