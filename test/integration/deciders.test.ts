/**
 * Several people, one decision (issue 17), over real HTTP with the real stack: the seller sends
 * a proof and a quote to deciders in steps; each decider's email carries a link of their own;
 * their decisions are theirs in the trail; the next step is invited only once the step before
 * is met; the document is decided once. Bad sends are 422 and change nothing.
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, rgb } from 'pdf-lib';
import { documentEvents, type GreenlightClient, greenlightClient, succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { uploadRevision } from '../support/proof-uploads';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';
import { pdfText } from '../support/pdf-text';
import { sha256Hex } from '../../platform/ids';
import { quoteWorkflowId } from '../../workflows/messages/quote';
import { documentWorkflowId } from '../../workflows/messages/document';
import { formFields } from './portal-fixtures';
import { DECIDERS_WORDS } from '../../api/portal/deciders-section';
import { MESSAGES } from '../../api/portal/i18n';

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;
let customerId: string;
let contactId: string;
const unique = () => randomBytes(4).toString('hex');
const address = (who: string) => `${who}-${unique()}@client-deciders.example`;
const contactEmail = address('anna');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = { status: number; body: any };
const byId = (id: string) => ({ params: { path: { id } } });

async function portalJson(token: string, action: string, body: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(`${stack.baseUrl}/d/${token}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The portal token of the email to `to` about `number`, once it came. */
function tokenOf(to: string, number: string): Promise<string> {
  return eventually(
    async () => {
      const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(to) && candidate.subject.includes(number));
      const url = email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
      return url?.slice(`${stack.baseUrl}/d/`.length);
    },
    { what: `the email to ${to}` },
  );
}

/** The email to `to` whose subject says `words` about `number`, once it came: its portal link's row. */
async function decisionEmailTo(to: string, number: string, words: string) {
  const email = await eventually(
    async () => (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(to) && candidate.subject.includes(number) && candidate.subject.includes(words)),
    { what: `"${words}" to ${to}` },
  );
  const token = email.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`))?.slice(`${stack.baseUrl}/d/`.length) as string;
  const link = await stack.prisma.accessLink.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } });
  return { email, token, link };
}

const emailedTo = async (to: string, number: string) => (await stack.readOutbox()).some((email) => recipientsOf(email).includes(to) && email.subject.includes(number));
const statusOf = async (id: string) => (await succeeded(api.GET('/v1/documents/{id}', byId(id)))).status;
const untilStatus = (id: string, status: string) => eventually(async () => ((await statusOf(id)) === status ? true : undefined), { what: `${id} ${status}` });

async function readyProof(): Promise<{ id: string; number: string }> {
  const created = await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId, title: 'Catalogue', number: `BAT-${unique()}` } }), 201);
  const pdf = await PDFDocument.create();
  pdf.addPage([420, 595]).drawText(created.number, { x: 40, y: 540, size: 20, color: rgb(0, 0, 0) });
  expect((await uploadRevision(stack.baseUrl, apiKey, created.id, [{ name: 'bat.pdf', bytes: await pdf.save() }], { send: false })).status).toBe(201);
  await eventually(async () => ((await succeeded(api.GET('/v1/documents/{id}', byId(created.id)))).revisions?.[0]?.status === 'ready' ? true : undefined), { what: 'the revision ready' });
  return { id: created.id, number: created.number };
}

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant(`Imprimerie Décideurs ${unique()}`));
  api = greenlightClient(stack.baseUrl, apiKey);
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Client Décideurs SA', locale: 'fr' } }))).id;
  contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { ...byId(customerId), body: { name: 'Anna Berg', email: contactEmail } }))).id;
});

afterAll(async () => {
  await stack?.close();
});

describe('a proof sent to deciders in two steps', () => {
  it('invites step 1 with links of their own, step 2 once both approved, and is approved once by step 2', async () => {
    const proof = await readyProof();
    const bo = address('bo');
    const reviewer = address('rita');
    const director = address('dir');
    const sent = await api.POST('/v1/documents/{id}/send', {
      ...byId(proof.id),
      body: {
        deciders: [
          { contactId, role: 'approver' },
          { email: bo, name: 'Bo Ek', role: 'approver' },
          { email: reviewer, name: 'Rita Lund', role: 'reviewer' },
          { email: director, name: 'Dir Holm', role: 'approver', step: 2 },
        ],
        rule: ['all', 'any'],
      },
    });
    expect(sent.response.status).toBe(202);
    const [anna, boToken, rita] = await Promise.all([tokenOf(contactEmail, proof.number), tokenOf(bo, proof.number), tokenOf(reviewer, proof.number)]);
    expect(new Set([anna, boToken, rita]).size).toBe(3);
    await untilStatus(proof.id, 'sent');
    expect(await emailedTo(director, proof.number)).toBe(false);

    // The reviewer comments, and may not approve; the approvers' links do.
    expect((await portalJson(rita, 'approve', { revision: 1 })).status).toBe(403);
    const links = await stack.prisma.accessLink.findMany({ where: { documentId: proof.id }, orderBy: { createdAt: 'asc' } });
    expect(links.map((link) => [link.recipientEmail, link.deciderId, link.actions])).toEqual([
      [contactEmail, 'd1', ['view', 'download', 'approve', 'request-changes']],
      [bo, 'd2', ['view', 'download', 'approve', 'request-changes']],
      [reviewer, 'd3', ['view', 'download', 'comment']],
    ]);

    expect(await portalJson(anna, 'approve', { revision: 1 })).toMatchObject({ status: 200, body: { status: 'sent' } });
    // The same click again is answered with the state; another decision of the same decider is refused.
    expect(await portalJson(anna, 'approve', { revision: 1 })).toMatchObject({ status: 200, body: { status: 'sent' } });
    expect(await portalJson(anna, 'approve', { revision: 1, decisionId: `again-${unique()}` })).toMatchObject({ status: 409, body: { detail: 'You already approved' } });
    expect(await emailedTo(director, proof.number)).toBe(false);
    expect(await portalJson(boToken, 'approve', { revision: 1 })).toMatchObject({ status: 200, body: { status: 'sent' } });
    const dir = await tokenOf(director, proof.number);
    expect(await portalJson(dir, 'approve', { revision: 1 })).toMatchObject({ status: 200, body: { status: 'approved' } });
    await untilStatus(proof.id, 'approved');

    const trail = await eventually(async () => {
      const events = await documentEvents(api, proof.id);
      return events.some((event) => event.type === 'approved') ? events : undefined;
    }, { what: 'the approval recorded' });
    const decided = trail.filter((event) => ['decider_approved', 'step_completed', 'approved'].includes(event.type));
    expect(decided.map((event) => [event.type, event.actor, event.data?.deciderId])).toEqual([
      ['decider_approved', `customer:${links[0]?.id}`, 'd1'],
      ['decider_approved', `customer:${links[1]?.id}`, 'd2'],
      ['step_completed', `customer:${links[1]?.id}`, undefined],
      ['decider_approved', expect.stringMatching(/^customer:lnk_/), 'd4'],
      ['approved', expect.stringMatching(/^customer:lnk_/), undefined],
    ]);

    // Each decider hears the approval on a link of their own, the reviewer too; Anna, the contact, as decider d1 only.
    const told = await Promise.all([contactEmail, bo, reviewer, director].map((to) => decisionEmailTo(to, proof.number, 'approuvé')));
    expect(told.map(({ link }) => [link.recipientEmail, link.deciderId])).toEqual([
      [contactEmail, 'd1'],
      [bo, 'd2'],
      [reviewer, 'd3'],
      [director, 'd4'],
    ]);
    expect(told[1]?.email.text).toContain('Bonjour Bo Ek');
    expect(told[1]?.email.text).toContain('les personnes appelées à le valider l’ont approuvé');
    expect(new Set([anna, boToken, rita, dir, ...told.map(({ token }) => token)]).size).toBe(8);
    const page = await (await fetch(`${stack.baseUrl}/d/${told[2]?.token}`)).text();
    expect(page).toContain('Où en est la décision');
    expect(page).toMatch(/<li class="decider approved" data-decider="d4">/);
    expect((await stack.readOutbox()).filter((email) => email.subject.includes(proof.number) && email.subject.includes('approuvé')).flatMap(recipientsOf).sort()).toEqual(
      [contactEmail, bo, reviewer, director].sort(),
    );
  });

  it("tells a change request to those invited but who asked, naming them, and to the contact who is none of them; not step 2's", async () => {
    const proof = await readyProof();
    const [bo, cy, director] = [address('bo'), address('cy'), address('dir')];
    const sent = await api.POST('/v1/documents/{id}/send', {
      ...byId(proof.id),
      body: {
        deciders: [
          { email: bo, name: 'Bo Ek', role: 'approver' },
          { email: cy, name: 'Cy Lind', role: 'approver' },
          { email: director, name: 'Dir Holm', role: 'approver', step: 2 },
        ],
      },
    });
    expect(sent.response.status).toBe(202);
    const [boToken, cyToken] = await Promise.all([tokenOf(bo, proof.number), tokenOf(cy, proof.number)]);
    expect(await portalJson(boToken, 'approve', { revision: 1 })).toMatchObject({ status: 200, body: { status: 'sent' } });
    expect(await portalJson(cyToken, 'request-changes', { revision: 1, comment: 'Le logo est flou' })).toMatchObject({ status: 200, body: { status: 'changes_requested' } });
    await untilStatus(proof.id, 'changes_requested');

    const [toldBo, toldAnna] = await Promise.all([decisionEmailTo(bo, proof.number, 'modifications demandées'), decisionEmailTo(contactEmail, proof.number, 'modifications demandées')]);
    expect([toldBo, toldAnna].map(({ link }) => [link.recipientEmail, link.deciderId, link.documentId])).toEqual([
      [bo, 'd1', proof.id],
      [contactEmail, null, proof.id],
    ]);
    expect(toldBo.email.text).toContain('Cy Lind a demandé des modifications');
    expect(toldAnna.email.text).toContain('Bonjour Anna Berg');
    expect([boToken, cyToken]).not.toContain(toldBo.token);
    // The workflow closes once it told everyone (cancelled here): Cy, who asked, and the director, never invited, hear nothing.
    expect((await api.POST('/v1/documents/{id}/cancel', { ...byId(proof.id), body: {} })).response.status).toBe(202);
    await stack.client.workflow.getHandle(documentWorkflowId('proof', proof.id)).result();
    const told = (await stack.readOutbox()).filter((email) => email.subject.includes(proof.number) && email.subject.includes('modifications demandées'));
    expect(told.flatMap(recipientsOf).sort()).toEqual([bo, contactEmail].sort());
    expect(await emailedTo(director, proof.number)).toBe(false);
  });
});

describe('a quote sent to deciders', () => {
  const quote = () =>
    succeeded(api.POST('/v1/documents', { body: { kind: 'quote', customerId, contactId, lines: [{ description: 'Catalogues', quantity: 500, unitPrice: 240 }], number: `DEV-${unique()}` } }), 201);

  it('is refused by one refusal under rule all, whoever else approved', async () => {
    const created = await quote();
    const bo = address('bo');
    expect((await api.POST('/v1/documents/{id}/send', { ...byId(created.id), body: { deciders: [{ contactId, role: 'approver' }, { email: bo, role: 'approver' }] } })).response.status).toBe(202);
    const [anna, boToken] = await Promise.all([tokenOf(contactEmail, created.number), tokenOf(bo, created.number)]);
    expect(await portalJson(anna, 'hold')).toMatchObject({ status: 403 });
    // The page's own form (once the quote is recorded sent): the answer shows where the decision stands, the vote just taken in it.
    await untilStatus(created.id, 'sent');
    const page = await (await fetch(`${stack.baseUrl}/d/${anna}`)).text();
    expect(page).toContain('Où en est la décision');
    expect(page).not.toContain(boToken);
    const answered = await fetch(`${stack.baseUrl}/d/${anna}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(formFields(page, 'accept')).toString(),
    });
    expect(answered.status).toBe(200);
    const after = await answered.text();
    expect(after).toMatch(/<li class="decider approved" data-decider="d1">/);
    expect(after).toMatch(/<li class="decider awaited" data-decider="d2">/);
    expect(await portalJson(boToken, 'refuse', { reason: 'Trop cher' })).toMatchObject({ status: 200, body: { status: 'refused' } });
    await untilStatus(created.id, 'refused');

    // Anna hears it on a link of her own, naming who refused; Bo, who refused, is told nothing more.
    const toldAnna = await decisionEmailTo(contactEmail, created.number, 'refusé');
    expect(toldAnna.email.text).toContain(`${bo} l’a refusé`);
    expect([toldAnna.link.deciderId, toldAnna.link.documentId]).toEqual(['d1', created.id]);
    expect([anna, boToken]).not.toContain(toldAnna.token);
    expect(await (await fetch(`${stack.baseUrl}/d/${toldAnna.token}`)).text()).toContain('Où en est la décision');
    // The workflow closes once it told everyone: nothing more comes after.
    await stack.client.workflow.getHandle(quoteWorkflowId(created.id)).result();
    const told = (await stack.readOutbox()).filter((email) => email.subject.includes(created.number) && email.subject.includes('refusé'));
    expect(told.flatMap(recipientsOf)).toEqual([contactEmail]);
  });

  it('tells an acceptance to each decider on their own link, and to the contact who is none of them', async () => {
    const created = await quote();
    const [bo, cy] = [address('bo'), address('cy')];
    const sent = await api.POST('/v1/documents/{id}/send', {
      ...byId(created.id),
      body: { deciders: [{ email: bo, name: 'Bo Ek', role: 'approver' }, { email: cy, name: 'Cy Lind', role: 'approver', step: 2 }] },
    });
    expect(sent.response.status).toBe(202);
    expect(await portalJson(await tokenOf(bo, created.number), 'accept')).toMatchObject({ status: 200, body: { status: 'sent' } });
    expect(await portalJson(await tokenOf(cy, created.number), 'accept')).toMatchObject({ status: 200, body: { status: 'accepted' } });

    const [toldBo, toldCy, toldAnna] = await Promise.all([decisionEmailTo(bo, created.number, 'accepté'), decisionEmailTo(cy, created.number, 'accepté'), decisionEmailTo(contactEmail, created.number, 'accepté')]);
    expect([toldBo, toldCy, toldAnna].map(({ link }) => [link.recipientEmail, link.deciderId])).toEqual([
      [bo, 'd1'],
      [cy, 'd2'],
      [contactEmail, null],
    ]);
    expect(toldBo.email.text).toContain('Bonjour Bo Ek');
    expect(toldAnna.email.text).toContain('Bonjour Anna Berg');
    expect(new Set([toldBo.token, toldCy.token, toldAnna.token]).size).toBe(3);
    // Each link opens the accepted quote, a decider's with where the decision stands.
    const page = await (await fetch(`${stack.baseUrl}/d/${toldCy.token}`)).text();
    expect(page).toContain('Où en est la décision');
    expect(page).toMatch(/<li class="decider approved" data-decider="d1">/);
  });

  it("takes a reviewer's comment from their page's form and as JSON, theirs in the trail, shown to every decider, deciding nothing", async () => {
    const created = await quote();
    const reviewer = address('rita');
    const sent = await api.POST('/v1/documents/{id}/send', {
      ...byId(created.id),
      body: { deciders: [{ contactId, role: 'approver' }, { email: reviewer, name: 'Rita Lund', role: 'reviewer' }] },
    });
    expect(sent.response.status).toBe(202);
    const [anna, rita] = await Promise.all([tokenOf(contactEmail, created.number), tokenOf(reviewer, created.number)]);
    await untilStatus(created.id, 'sent');
    const links = await stack.prisma.accessLink.findMany({ where: { documentId: created.id }, orderBy: { createdAt: 'asc' } });
    expect(links.map((link) => [link.deciderId, link.actions])).toEqual([
      ['d1', ['view', 'download', 'accept', 'refuse']],
      ['d2', ['view', 'download', 'comment']],
    ]);

    // The reviewer's page offers a comment and no decision; the approver's no comment-only form.
    const words = DECIDERS_WORDS.fr;
    const page = await (await fetch(`${stack.baseUrl}/d/${rita}`)).text();
    expect(page).toContain(words.sendComment);
    expect(page).not.toContain(`/d/${rita}/accept"`);
    expect(page).not.toContain(`/d/${rita}/refuse"`);
    expect(await (await fetch(`${stack.baseUrl}/d/${anna}`)).text()).not.toContain(`/d/${anna}/comment"`);

    // Without JavaScript: the form posts, and the answer shows the comment, by name, in where the decision stands; the answer's own form, a second one.
    const postComment = async (from: string, comment: string) => {
      const answered = await fetch(`${stack.baseUrl}/d/${rita}/comment`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...formFields(from, 'comment'), comment }).toString(),
      });
      expect(answered.status).toBe(200);
      return answered.text();
    };
    const after = await postComment(page, 'Le délai me paraît court.');
    expect(after).toContain(MESSAGES.fr.decided.comment);
    expect(after).toMatch(/<li class="comment" data-decider="d2"><strong>Rita Lund<\/strong> \(vous\) — relecteur<p>Le délai me paraît court.<\/p><\/li>/);
    expect(await postComment(after, 'Et la TVA ?')).toMatch(/<p>Le délai me paraît court.<\/p><\/li><li class="comment" data-decider="d2"><strong>Rita Lund<\/strong> \(vous\) — relecteur<p>Et la TVA \?<\/p>/);

    // As JSON (the quote viewed since the form was sent: reading comes before writing); an empty comment is bad input, and neither a reviewer's vote nor an approver's comment is taken.
    expect(await portalJson(rita, 'comment', { comment: 'Livraison en mars ?' })).toMatchObject({ status: 200, body: { status: 'viewed' } });
    expect(await portalJson(rita, 'comment', { comment: '  ' })).toMatchObject({ status: 400, body: { errors: [{ path: 'comment' }] } });
    expect((await portalJson(rita, 'accept')).status).toBe(403);
    expect((await portalJson(anna, 'comment', { comment: 'Moi aussi' })).status).toBe(403);
    expect(await statusOf(created.id)).toBe('viewed');

    const trail = await eventually(async () => {
      const events = (await documentEvents(api, created.id)).filter((event) => event.type === 'commented');
      return events.length === 3 ? events : undefined;
    }, { what: 'the three comments recorded' });
    expect(trail.map((event) => [event.actor, event.data])).toEqual([
      [`customer:${links[1]?.id}`, { comment: 'Le délai me paraît court.', deciderId: 'd2', step: 1, role: 'reviewer', version: 1 }],
      [`customer:${links[1]?.id}`, { comment: 'Et la TVA ?', deciderId: 'd2', step: 1, role: 'reviewer', version: 1 }],
      [`customer:${links[1]?.id}`, { comment: 'Livraison en mars ?', deciderId: 'd2', step: 1, role: 'reviewer', version: 1 }],
    ]);

    // The approver reads them on their page, in order, then decides.
    const annaPage = await (await fetch(`${stack.baseUrl}/d/${anna}`)).text();
    expect([...annaPage.matchAll(/<li class="comment" data-decider="d2"><strong>Rita Lund<\/strong> — relecteur<p>([^<]*)<\/p><\/li>/g)].map((match) => match[1])).toEqual([
      'Le délai me paraît court.',
      'Et la TVA ?',
      'Livraison en mars ?',
    ]);
    expect(await portalJson(anna, 'accept')).toMatchObject({ status: 200, body: { status: 'accepted' } });
    await untilStatus(created.id, 'accepted');
  });

  it('is signed by each signer with their own evidence once approved, and its certificate lists both signers in order', async () => {
    const created = await quote();
    const [signer1, signer2] = [address('sara'), address('sven')];
    const sent = await api.POST('/v1/documents/{id}/send', {
      ...byId(created.id),
      body: {
        deciders: [
          { contactId, role: 'approver' },
          { email: signer1, name: 'Sara Signe', role: 'signer', step: 2 },
          { email: signer2, name: 'Sven Signe', role: 'signer', step: 2 },
        ],
      },
    });
    expect(sent.response.status).toBe(202);
    const anna = await tokenOf(contactEmail, created.number);
    expect(await portalJson(anna, 'accept')).toMatchObject({ status: 200, body: { status: 'sent' } });
    const [sara, sven] = await Promise.all([tokenOf(signer1, created.number), tokenOf(signer2, created.number)]);
    expect(await portalJson(sara, 'accept')).toMatchObject({ status: 403 });
    expect(await portalJson(sara, 'sign', { signerName: 'Sara Signe', consent: true })).toMatchObject({ status: 200, body: { status: 'sent' } });
    expect(await portalJson(sven, 'sign', { signerName: 'Sven Signe', consent: true })).toMatchObject({ status: 200, body: { status: 'accepted' } });
    await untilStatus(created.id, 'accepted');

    const signatures = await eventually(async () => {
      const rows = await stack.prisma.quoteSignature.findMany({ where: { documentId: created.id }, orderBy: { signedAt: 'asc' } });
      return rows.length === 2 ? rows : undefined;
    }, { what: 'both signatures kept' });
    expect(signatures.map((row) => [row.deciderId, row.signerName, row.signerEmail])).toEqual([
      ['d2', 'Sara Signe', signer1],
      ['d3', 'Sven Signe', signer2],
    ]);
    const certificate = await api.GET('/v1/documents/{id}/signature/certificate', { ...byId(created.id), parseAs: 'arrayBuffer' });
    expect(certificate.response.status).toBe(200);
    const words = pdfText(new Uint8Array(certificate.data ?? new ArrayBuffer(0)));
    const sara1 = words.indexOf('Sara Signe');
    const sven2 = words.indexOf('Sven Signe');
    expect(sara1).toBeGreaterThan(-1);
    expect(sven2).toBeGreaterThan(sara1);
    expect(words).toContain('Signataire 1/2');
    expect(words).toContain('Signataire 2/2');
    for (const row of signatures) {
      expect(words).toContain(row.linkId);
      expect(words).toContain(row.pdfSha256);
    }
    // Each hears it on their own link, the signed quote and its certificate attached; the approver too.
    for (const [to, deciderId] of [[signer1, 'd2'], [signer2, 'd3'], [contactEmail, 'd1']] as const) {
      const told = await decisionEmailTo(to, created.number, 'signé');
      expect([told.link.deciderId, told.email.attachments.map((file) => file.filename)]).toEqual([deciderId, [`Devis-signé-${created.number}.pdf`, `Certificat-de-signature-${created.number}.pdf`]]);
    }
  });

  it('answers a send whose deciders do not hold with 422, and changes nothing', async () => {
    const created = await quote();
    const send = (body: object) => api.POST('/v1/documents/{id}/send', { ...byId(created.id), body: body as never });
    const problems = [
      [{ deciders: [{ email: address('a'), role: 'approver', step: 2 }] }, 'deciders'],
      [{ deciders: [{ email: address('a'), role: 'approver' }], rule: { atLeast: 2 } }, 'rule'],
      [{ deciders: [{ email: address('a'), role: 'approver' }], to: { contactId } }, 'to'],
      [{ deciders: [{ email: address('a'), role: 'approver' }], requireSignature: true }, 'requireSignature'],
      [{ deciders: [{ contactId: 'ctc_nobody', role: 'approver' }] }, 'deciders.0.contactId'],
      [{ rule: 'any' }, 'rule'],
    ] as const;
    for (const [body, path] of problems) {
      const answer = await send(body);
      expect([answer.response.status, (answer.error as { errors?: { path: string }[] } | undefined)?.errors?.[0]?.path]).toEqual([422, path]);
    }
    expect(await statusOf(created.id)).toBe('draft');

    // A deposit paid before the quote is accepted (the default policy) waits for approvers, not signers: a signature accepts as it is given.
    const withDeposit = await succeeded(
      api.POST('/v1/documents', { body: { kind: 'quote', customerId, contactId, lines: [{ description: 'Catalogues', quantity: 500, unitPrice: 240 }], deposit: { percent: 30 } } }),
      201,
    );
    const refused = await api.POST('/v1/documents/{id}/send', { ...byId(withDeposit.id), body: { deciders: [{ contactId, role: 'signer' }], requireSignature: true } });
    expect([refused.response.status, refused.error?.errors?.[0]?.path]).toEqual([422, 'deciders.0.role']);
    expect(await statusOf(withDeposit.id)).toBe('draft');
  });
});
