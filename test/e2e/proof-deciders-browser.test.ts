/**
 * Several people, one decision (issue 17), in a real browser: a proof sent to two reviewers and
 * an approver. Each opens the link of their own email; the page shows where the decision stands
 * (who approved, who is awaited, who reviews) and nobody else's link. The reviewers comment
 * (one with a pin on the page) and cannot approve; the approver approves, and the proof is
 * approved once, each comment and the approval theirs in the trail.
 *
 * Screenshots in .data/screenshots (proof-deciders-reviewer.png, proof-deciders-approved.png).
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, rgb } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import { MESSAGES, PROOF_MESSAGES } from '../../api/portal/i18n';
import { DECIDERS_WORDS } from '../../api/portal/deciders-section';
import { launchChromium, keepScreenshot, onADesktop } from '../support/browser';
import { eventually } from '../support/eventually';
import { documentEvents, greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { recipientsOf } from '../support/outbox';
import { uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';

const t = PROOF_MESSAGES.fr;
const words = DECIDERS_WORDS.fr;
const unique = () => randomBytes(4).toString('hex');
const byId = (id: string) => ({ params: { path: { id } } });

let stack: Stack;
let api: GreenlightClient;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), stack?.close()]);
});

function linkOf(to: string, number: string): Promise<string> {
  return eventually(
    async () => {
      const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(to) && candidate.subject.includes(number));
      return email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
    },
    { what: `the email to ${to}` },
  );
}

it('lets two reviewers comment and an approver approve a proof, each on their own link, showing where the decision stands', async () => {
  const { apiKey } = await stack.createTenant(`Imprimerie Relecteurs ${unique()}`);
  api = greenlightClient(stack.baseUrl, apiKey);
  const customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Agence Relecture', locale: 'fr' } }))).id;
  const approverEmail = `claire-${unique()}@agence.example`;
  const contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { ...byId(customerId), body: { name: 'Claire Approuve', email: approverEmail } }))).id;
  const proof = await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId, title: 'Affiche', number: `BAT-${unique()}` } }), 201);
  const pdf = await PDFDocument.create();
  pdf.addPage([420, 595]).drawText('Affiche', { x: 40, y: 540, size: 30, color: rgb(0.1, 0.3, 0.8) });
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'affiche.pdf', bytes: await pdf.save() }], { send: false })).status).toBe(201);
  await eventually(async () => ((await succeeded(api.GET('/v1/documents/{id}', byId(proof.id)))).revisions?.[0]?.status === 'ready' ? true : undefined), { what: 'the revision ready' });

  const reviewers = [
    { email: `paul-${unique()}@agence.example`, name: 'Paul Relit' },
    { email: `lea-${unique()}@agence.example`, name: 'Léa Relit' },
  ];
  const sent = await api.POST('/v1/documents/{id}/send', {
    ...byId(proof.id),
    body: { deciders: [...reviewers.map((reviewer) => ({ ...reviewer, role: 'reviewer' as const })), { contactId, role: 'approver' }] },
  });
  expect(sent.response.status).toBe(202);
  const [paulUrl, leaUrl, claireUrl] = await Promise.all([linkOf(reviewers[0]!.email, proof.number), linkOf(reviewers[1]!.email, proof.number), linkOf(approverEmail, proof.number)]);
  const tokens = [paulUrl, leaUrl, claireUrl].map((url) => url.slice(url.lastIndexOf('/') + 1));
  // The invitations go out just before the proof is recorded sent: the pages offer their forms from then on.
  await eventually(async () => ((await succeeded(api.GET('/v1/documents/{id}', byId(proof.id)))).status === 'sent' ? true : undefined), { what: 'the proof sent' });

  // The first reviewer: the standing of everyone, their own line marked, no approval offered; a comment pinned on the page.
  const paul = await browser.newPage(onADesktop('fr-FR'));
  await paul.goto(paulUrl);
  const standing = paul.getByRole('region', { name: words.heading });
  await standing.waitFor();
  expect(await standing.locator('li.decider').allInnerTexts()).toEqual([
    `Paul Relit (${words.you}) — ${words.roles.reviewer}: ${words.states.reviewing}`,
    `Léa Relit — ${words.roles.reviewer}: ${words.states.reviewing}`,
    `Claire Approuve — ${words.roles.approver}: ${words.states.awaited}`,
  ]);
  expect(await paul.getByRole('button', { name: t.approve(1) }).count()).toBe(0);
  const html = await paul.content();
  for (const token of tokens.slice(1)) expect(html).not.toContain(token);
  await paul.locator('details.request-changes summary').click();
  await paul.getByRole('button', { name: t.addPin }).click();
  const preview = paul.locator('figure.proof-page .page-image img').first();
  const box = (await preview.boundingBox())!;
  await preview.click({ position: { x: box.width * 0.3, y: box.height * 0.2 } });
  await paul.getByLabel(t.pinComment('1', '1')).fill('Le bleu est trop foncé ici');
  await paul.getByLabel(words.yourComment).fill('Bien dans l’ensemble.');
  await keepScreenshot(paul, 'proof-deciders-reviewer', { fullPage: false });
  await paul.getByRole('button', { name: words.sendComment }).click();
  await paul.getByText(MESSAGES.fr.decided.comment).waitFor();

  // The second reviewer comments without a pin.
  const lea = await browser.newPage(onADesktop('fr-FR'));
  await lea.goto(leaUrl);
  await lea.locator('details.request-changes summary').click();
  await lea.getByLabel(words.yourComment).fill('Rien à redire.');
  await lea.getByRole('button', { name: words.sendComment }).click();
  await lea.getByText(MESSAGES.fr.decided.comment).waitFor();

  // The approver approves: the proof is approved, and the page says who did.
  const claire = await browser.newPage(onADesktop('fr-FR'));
  await claire.goto(claireUrl);
  await claire.getByRole('button', { name: t.approve(1) }).click();
  await claire.getByText(MESSAGES.fr.decided.approve).waitFor();
  await claire.getByRole('region', { name: words.heading }).getByText(`Claire Approuve (${words.you}) — ${words.roles.approver}: ${words.states.approved}`).waitFor();
  // Decided together: not withdrawn by one of them.
  expect(await claire.getByRole('button', { name: t.withdraw }).count()).toBe(0);
  await keepScreenshot(claire, 'proof-deciders-approved', { fullPage: true });
  expect((await succeeded(api.GET('/v1/documents/{id}', byId(proof.id)))).status).toBe('approved');

  const trail = await documentEvents(api, proof.id);
  const links = await stack.prisma.accessLink.findMany({ where: { documentId: proof.id }, orderBy: { createdAt: 'asc' } });
  const actorOf = (email: string) => `customer:${links.find((link) => link.recipientEmail === email)?.id}`;
  expect(trail.filter((event) => ['commented', 'decider_approved', 'approved'].includes(event.type)).map((event) => [event.type, event.actor])).toEqual([
    ['commented', actorOf(reviewers[0]!.email)],
    ['commented', actorOf(reviewers[1]!.email)],
    ['decider_approved', actorOf(approverEmail)],
    ['approved', actorOf(approverEmail)],
  ]);
  const comments = trail.filter((event) => event.type === 'commented');
  expect(comments[0]?.data).toMatchObject({ comment: 'Bien dans l’ensemble.', pins: [{ page: 1, comment: 'Le bleu est trop foncé ici' }], deciderId: 'd1', role: 'reviewer' });
  expect(comments[1]?.data).toMatchObject({ comment: 'Rien à redire.', pins: [], deciderId: 'd2' });
});
