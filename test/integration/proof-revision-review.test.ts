/**
 * A proof's second revision, reviewed for what it is, over real HTTP with the real stack (API,
 * worker, Temporal, PostgreSQL, rendering): the customer asks for changes with two pins; the
 * seller marks one done through the API (`PATCH …/revisions/1/pins/1`, a fact in the trail, at
 * any status), which `GET /v1/documents/:id` lists; revision 2's email and page say "Révision 2,
 * suite à vos demandes du …", list what was asked, each pin done or not; and the page compares
 * the two revisions side by side and overlaid. Bad input is a clear 4xx that records nothing.
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, rgb } from 'pdf-lib';
import { formattersFor, PROOF_MESSAGES } from '../../api/portal/i18n';
import { formatDate } from '../../services/locale-format';
import { documentEvents, greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { eventually } from '../support/eventually';
import { uploadRevision } from '../support/proof-uploads';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;
let customerId: string;
let contactId: string;
const unique = () => randomBytes(4).toString('hex');
const contactEmail = `zoe-${unique()}@client-revue.example`;
const t = PROOF_MESSAGES.fr;

const byId = (id: string) => ({ params: { path: { id } } });
const events = (id: string) => documentEvents(api, id);
const pinPath = (id: string, number: number, pin: number) => ({ params: { path: { id, number, pin } } });

async function twoPagePdf(label: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const page of [1, 2]) pdf.addPage([420, 595]).drawText(`${label} — page ${page}`, { x: 40, y: 540, size: 20, color: rgb(0, 0, 0) });
  return pdf.save();
}

/** The portal token of the email to the contact about proof `number` whose subject matches. */
function linkIn(number: string, subject: (text: string) => boolean, what: string) {
  return eventually(
    async () => {
      const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(contactEmail) && candidate.subject.includes(number) && subject(candidate.subject));
      const url = email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
      return email && url ? { token: url.slice(`${stack.baseUrl}/d/`.length), email } : undefined;
    },
    { what, timeoutMs: 120_000 },
  );
}

const portalPage = async (token: string, query = '') => (await fetch(`${stack.baseUrl}/d/${token}${query}`)).text();

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant(`Imprimerie Revue ${unique()}`));
  api = greenlightClient(stack.baseUrl, apiKey);
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Client Revue SARL', locale: 'fr' } }))).id;
  contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { ...byId(customerId), body: { name: 'Zoë Dupré', email: contactEmail } }))).id;
});

afterAll(async () => {
  await stack?.close();
});

it('announces revision 2 for what it follows, with the pins the seller marked done, and compares it with revision 1', async () => {
  const proof = await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId, title: 'Dépliant', number: `BAT-${unique()}` } }), 201);
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'r1.pdf', bytes: await twoPagePdf(`${proof.number} R1`) }], { send: true })).status).toBe(201);
  const first = await linkIn(proof.number, (subject) => !subject.includes('Révision 2'), 'revision 1');
  await eventually(async () => ((await succeeded(api.GET('/v1/documents/{id}', byId(proof.id)))).status === 'sent' ? true : undefined), { what: 'the proof sent' });

  const pins = [
    { page: 1, x: 0.3, y: 0.2, comment: 'Logo plus grand' },
    { page: 2, x: 0.5, y: 0.8, comment: 'Adresse en gras' },
  ];
  const asked = await fetch(`${stack.baseUrl}/d/${first.token}/request-changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ revision: 1, comment: 'Le titre en bleu.', pins }),
  });
  expect(asked.status).toBe(200);

  // Bad input: no such pin, no change request on that revision, a body that is not one; nothing recorded.
  const noPin = await api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { ...pinPath(proof.id, 1, 3), body: { resolved: true } });
  expect([noPin.response.status, noPin.error?.detail]).toEqual([404, 'The change request on revision 1 has 2 pin(s), not a pin 3.']);
  const noRequest = await api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { ...pinPath(proof.id, 2, 1), body: { resolved: true } });
  expect([noRequest.response.status, noRequest.error?.detail]).toEqual([404, 'Revision 2 of this proof has no change request.']);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a body the schema refuses, on purpose
  const notABoolean = await api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { ...pinPath(proof.id, 1, 1), body: { resolved: 'yes' } as any });
  expect(notABoolean.response.status).toBe(400);
  expect(notABoolean.error?.errors?.[0]?.path).toBe('resolved');
  expect((await events(proof.id)).filter((event) => event.type.startsWith('pin_'))).toEqual([]);

  // Pin 1 done (asked twice: one fact); pin 2 done, then not after all.
  const done = await succeeded(api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { ...pinPath(proof.id, 1, 1), body: { resolved: true, note: 'Logo à 40 mm' } }), 200);
  expect(done).toMatchObject({ number: 1, page: 1, comment: 'Logo plus grand', resolved: true, resolution: { resolved: true, actor: 'seller', note: 'Logo à 40 mm' } });
  expect(await succeeded(api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { ...pinPath(proof.id, 1, 1), body: { resolved: true } }), 200)).toEqual(done);
  await succeeded(api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { ...pinPath(proof.id, 1, 2), body: { resolved: true } }), 200);
  const reopened = await succeeded(api.PATCH('/v1/documents/{id}/revisions/{number}/pins/{pin}', { ...pinPath(proof.id, 1, 2), body: { resolved: false } }), 200);
  expect(reopened).toMatchObject({ number: 2, resolved: false, resolution: { resolved: false, note: null } });
  const trail = await events(proof.id);
  expect(trail.filter((event) => event.type.startsWith('pin_')).map((event) => [event.type, event.data.pin, event.actor])).toEqual([
    ['pin_resolved', 1, 'seller'],
    ['pin_resolved', 2, 'seller'],
    ['pin_reopened', 2, 'seller'],
  ]);
  const listed = await succeeded(api.GET('/v1/documents/{id}', byId(proof.id)));
  expect(listed.revisions?.[0]?.changeRequests[0]?.pins.map((pin) => [pin.number, pin.resolved])).toEqual([
    [1, true],
    [2, false],
  ]);

  // Revision 2 goes out by itself, announced for what it follows, pin 1 done.
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'r2.pdf', bytes: await twoPagePdf(`${proof.number} R2 bleu`) }])).status).toBe(201);
  const requestedAt = new Date(trail.find((event) => event.type === 'changes_requested')!.at);
  const second = await linkIn(proof.number, (subject) => subject.includes('Révision 2'), 'revision 2');
  expect(second.email.text).toContain(
    `Elle fait suite aux modifications demandées le ${formatDate(requestedAt, 'fr')}\u202f:\n– Le titre en bleu.\n– Repère 1, page 1\u202f: Logo plus grand (traité)\n– Repère 2, page 2\u202f: Adresse en gras\n`,
  );

  // The page says it too, and draws revision 1's pins, the done one ticked.
  const page = await portalPage(second.token);
  expect(page).toContain(`<h2 id="answers-heading">${t.follows(2, formattersFor('fr').date(requestedAt))}</h2><p>Le titre en bleu.</p>`);
  expect(page).toContain(`${t.pinLabel(1, 1)} — Logo plus grand — <strong class="done">✓ ${t.pinDone}</strong>`);
  expect(page).toContain(`${t.pinLabel(2, 2)} — Adresse en gras — <strong class="open">${t.pinOpen}</strong>`);
  expect(page.match(/class="pin earlier resolved"/g)).toHaveLength(1);
  expect(page.match(/class="pin earlier"/g)).toHaveLength(1);

  // Compared: side by side (each page of both revisions, each zoomable), then overlaid.
  expect(page).toContain(`?revision=2&amp;compare=1">${t.compareWith(1)}</a>`);
  const sideBySide = await portalPage(second.token, '?revision=2&compare=1');
  expect(sideBySide).toContain(`<h2>${t.compareHeading(2, 1)}</h2>`);
  for (const [revision, position] of [
    [1, 1],
    [2, 1],
    [1, 2],
    [2, 2],
  ]) {
    expect(sideBySide).toContain(`<a class="zoom" href="/d/${second.token}/pages/${position}?revision=${revision}&amp;size=zoom">`);
  }
  expect(sideBySide).not.toMatch(/<span class="pin[ "]/);
  const overlaid = await portalPage(second.token, '?revision=2&compare=1&view=overlay');
  expect(overlaid.match(/<div class="page-image overlay">/g)).toHaveLength(2);
  expect(overlaid).toContain(t.overlayHint);
  // A revision it cannot be compared with (itself, one that does not exist) shows the revision alone.
  expect(await portalPage(second.token, '?revision=2&compare=2')).not.toContain(t.compareHeading(2, 2));
  expect(await portalPage(second.token, '?revision=2&compare=7')).not.toContain('page-image overlay');
}, 240_000);
