/**
 * The activities against the real test database and a real local outbox reached through
 * the Resend SDK: what they write, what they send, and that doing it twice changes nothing.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { PDFDocument } from 'pdf-lib';
import { recordAuditEvent } from '../../services/db/audit';
import { createAccessLink, findLinkByToken } from '../../services/db/links';
import { createBuiltinProvider } from '../../services/signature/builtin';
import { createActivities } from '../../activities/index';
import { createResendMailer } from '../../services/notify/mailer';
import { createTwilioSmsSender } from '../../services/notify/sms';
import { startOutbox, type Outbox, type OutboxMessage } from '../../devtools/outbox/server';
import { computeTotals, formatMoney, priceLine } from '../../domain/money';
import { loadConfig } from '../../platform/config';
import { createPrisma, type PrismaClient } from '../../platform/db';
import { newId } from '../../platform/ids';
import { eventually } from '../support/eventually';


const config = {
  publicUrl: 'https://portal.greenlight.test',
  mailFrom: 'Greenlight <documents@greenlight.test>',
  appSecret: 'activities-test-secret',
  webhooks: { timeoutMs: 5_000 },
};

let prisma: PrismaClient;
let outbox: Outbox;
let outboxDir: string;
let activities: ReturnType<typeof createActivities>;

/** Runs an activity in an activity context, as a worker does: the customer's messages beat while they run. */
function asActivity<Input, Output>(activity: (input: Input) => Promise<Output>, input: Input): Promise<Output> {
  return new MockActivityEnvironment().run(activity, input);
}

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is set by test/global-setup.ts: run this file through jest');
  prisma = createPrisma(databaseUrl);
  outboxDir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
  outbox = await startOutbox({ port: 0, dataDir: outboxDir });
  activities = createActivities({
    prisma,
    mailer: createResendMailer({ apiKey: 're_test_key', baseUrl: outbox.url }),
    sms: createTwilioSmsSender(prisma, loadConfig({ OUTBOX_URL: outbox.url }).twilio),
    config,
  });
});

afterAll(async () => {
  await outbox?.close();
  await prisma?.$disconnect();
  rmSync(outboxDir, { recursive: true, force: true });
});

async function readOutbox(): Promise<OutboxMessage[]> {
  const response = await fetch(`${outbox.url}/emails`);
  return ((await response.json()) as { data: OutboxMessage[] }).data;
}

async function messagesTo(address: string): Promise<OutboxMessage[]> {
  return (await readOutbox()).filter((message) => message.to.includes(address));
}

/** The SMS to a phone about one document. */
async function textsAbout(phone: string, number: string): Promise<string[]> {
  return (await messagesTo(phone)).filter((message) => message.channel === 'sms' && message.text.includes(number)).map((message) => message.text);
}

/** A tenant with an assignee, a Swedish-speaking customer and its contact, and a draft quote. */
async function seedQuote(options: { notify?: Record<string, string[]>; templates?: object } = {}) {
  const tenantId = newId('ten');
  const suffix = tenantId.slice(-8).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  await prisma.tenant.create({ data: { id: tenantId, name: 'Tryckeriet Åkesson & Co', locale: 'fr', currency: 'SEK' } });
  if (options.templates) await prisma.tenantSettings.create({ data: { tenantId, templates: options.templates } });
  const assignee = await prisma.user.create({
    data: {
      id: newId('usr'),
      tenantId,
      name: 'Camille Durand',
      email: `camille-${suffix}@seller.test`,
      // A mobile of its own: a text to another test's assignee is never read as this one's.
      phone: `+33612${String(randomInt(1_000_000)).padStart(6, '0')}`,
      notify: options.notify ?? {},
    },
  });
  const customer = await prisma.customer.create({ data: { id: newId('cus'), tenantId, name: 'Łódź Print AB', email: `office-${suffix}@customer.test`, locale: 'sv' } });
  const contact = await prisma.contact.create({
    data: { id: newId('con'), tenantId, customerId: customer.id, name: 'Åsa <Öberg>', email: `asa-${suffix}@customer.test` },
  });
  const lines = [
    priceLine({ description: 'Broschyr A4, 16 sidor', quantity: 500, unitPrice: 1250, taxRate: 25 }),
    priceLine({ description: 'Lackering', quantity: '1.5', unitPrice: 9900, taxRate: 25, optional: true }),
  ];
  const totals = computeTotals(lines, 'SEK');
  const document = await prisma.document.create({
    data: {
      id: newId('doc'),
      tenantId,
      kind: 'quote',
      number: `Q-${suffix}`,
      status: 'draft',
      currency: 'SEK',
      customerId: customer.id,
      contactId: contact.id,
      assigneeId: assignee.id,
      netTotal: totals.net,
      taxTotal: totals.tax,
      grossTotal: totals.gross,
      validUntil: new Date('2026-12-31T00:00:00Z'),
      lines: {
        create: lines.map((line, position) => ({
          id: newId('lin'),
          position,
          description: line.description,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          taxRate: line.taxRate,
          optional: line.optional,
          selected: line.selected,
          netAmount: line.netAmount,
          taxAmount: line.taxAmount,
        })),
      },
    },
  });
  return { tenantId, documentId: document.id, document, assignee, customer, contact };
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

describe('recordTransition', () => {
  it('writes a transition once, however often it is retried', async () => {
    const { tenantId, documentId } = await seedQuote();
    const input = {
      tenantId,
      documentId,
      workflowId: `quote-${documentId}`,
      seq: 1,
      status: 'sent',
      event: { type: 'sent' as const, at: Date.parse('2026-03-02T10:00:00Z'), actor: { kind: 'seller' as const, userId: 'usr_1' } },
    };
    await activities.recordTransition(input);
    await activities.recordTransition(input);
    await Promise.all([activities.recordTransition(input), activities.recordTransition(input)]);

    const events = await prisma.auditEvent.findMany({ where: { documentId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: 1, type: 'sent', actor: 'user:usr_1', dedupeKey: `quote-${documentId}#1` });
    const document = await prisma.document.findUniqueOrThrow({ where: { id: documentId } });
    expect(document).toMatchObject({ status: 'sent', eventSeq: 1, sentAt: new Date('2026-03-02T10:00:00Z') });
  });

  it('numbers events in order and keeps who did it and from where', async () => {
    const { tenantId, documentId } = await seedQuote();
    const workflowId = `quote-${documentId}`;
    const customer = { kind: 'customer' as const, linkId: 'lnk_abc' };
    const steps = [
      { seq: 1, status: 'sent', event: { type: 'sent' as const, at: 1_000, actor: { kind: 'system' as const } } },
      { seq: 2, status: 'viewed', event: { type: 'viewed' as const, at: 2_000, actor: customer, source: { ip: '203.0.113.9', userAgent: 'Firefox' } } },
      { seq: 3, status: 'accepted', event: { type: 'accepted' as const, at: 3_000, actor: customer, data: { options: [] } } },
    ];
    for (const step of steps) await activities.recordTransition({ tenantId, documentId, workflowId, ...step });

    const events = await prisma.auditEvent.findMany({ where: { documentId }, orderBy: { seq: 'asc' } });
    expect(events.map((event) => [event.seq, event.type, event.actor])).toEqual([
      [1, 'sent', 'system'],
      [2, 'viewed', 'customer:lnk_abc'],
      [3, 'accepted', 'customer:lnk_abc'],
    ]);
    expect(events[1]).toMatchObject({ ip: '203.0.113.9', userAgent: 'Firefox' });
    expect((await prisma.document.findUniqueOrThrow({ where: { id: documentId } })).status).toBe('accepted');
  });

  it('fails for good, not forever, when the document is gone', async () => {
    const { tenantId } = await seedQuote();
    const missing = activities.recordTransition({
      tenantId,
      documentId: 'doc_missing',
      workflowId: 'quote-doc_missing',
      seq: 1,
      event: { type: 'sent', at: Date.now(), actor: { kind: 'system' } },
    });
    await expect(missing).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(missing).rejects.toMatchObject({ type: 'not_found', nonRetryable: true });
  });
});

describe('cancelPortalSigning', () => {
  it("cancels the signing, the quote's links kept, and records signature_cancelled once, also when retried after a crash between the two", async () => {
    const { tenantId, documentId, contact } = await seedQuote();
    await prisma.document.update({ where: { id: documentId }, data: { status: 'viewed', requireSignature: true } });
    const recipient = { name: contact.name, email: contact.email ?? undefined };
    await createAccessLink(prisma, { tenantId, documentId, recipient, actions: ['view', 'sign'] }, config.publicUrl);
    // An attempt that died after cancelling at the built-in provider, before recording.
    await createBuiltinProvider(prisma).cancelDocument(documentId);

    const input = { tenantId, documentId, workflowId: `quote-${documentId}`, seq: 4, at: Date.parse('2026-03-02T10:00:00Z'), actor: { kind: 'seller' as const, userId: 'usr_1' }, reason: 'approved by phone' };
    await activities.cancelPortalSigning(input);
    await activities.cancelPortalSigning(input);

    const events = await prisma.auditEvent.findMany({ where: { documentId } });
    expect(events).toEqual([
      expect.objectContaining({ type: 'signature_cancelled', actor: 'user:usr_1', dedupeKey: `quote-${documentId}#4`, data: { provider: 'builtin', reason: 'approved by phone' } }),
    ]);
    expect(await prisma.document.findUniqueOrThrow({ where: { id: documentId } })).toMatchObject({ status: 'viewed', digitalStatus: 'cancelled' });
    // The customer's link is the quote's own: it keeps opening it (the quote refuses a signature from then on).
    expect(await prisma.accessLink.count({ where: { documentId, revokedAt: null } })).toBe(1);
  });

  it('adds nothing to a signing the API cancelled before the quote workflow took this decision', async () => {
    const { tenantId, documentId } = await seedQuote();
    await prisma.document.update({ where: { id: documentId }, data: { status: 'sent', requireSignature: true, digitalStatus: 'cancelled' } });
    await activities.cancelPortalSigning({ tenantId, documentId, workflowId: `quote-${documentId}`, seq: 2, at: Date.now(), actor: { kind: 'seller', userId: 'usr_1' } });
    expect(await prisma.auditEvent.count({ where: { documentId } })).toBe(0);
  });
});

describe('recordAuditEvent', () => {
  it('gives concurrent writers distinct, gapless sequence numbers', async () => {
    const { tenantId, documentId } = await seedQuote();
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        recordAuditEvent(prisma, { tenantId, documentId, dedupeKey: `test:${documentId}:${index}`, type: 'message', at: new Date(), actor: 'system' }),
      ),
    );
    const seqs = (await prisma.auditEvent.findMany({ where: { documentId }, orderBy: { seq: 'asc' } })).map((event) => event.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('counts views and downloads, except views marked as not counted', async () => {
    const { tenantId, documentId } = await seedQuote();
    const base = { tenantId, documentId, actor: 'customer:lnk_x' };
    await recordAuditEvent(prisma, { ...base, dedupeKey: `portal:${documentId}:1`, type: 'viewed', at: new Date('2026-03-03T08:00:00Z') });
    await recordAuditEvent(prisma, { ...base, dedupeKey: `portal:${documentId}:2`, type: 'viewed', at: new Date('2026-03-04T09:30:00Z') });
    await recordAuditEvent(prisma, { ...base, dedupeKey: `portal:${documentId}:2`, type: 'viewed', at: new Date('2026-03-04T09:30:00Z') });
    await recordAuditEvent(prisma, { ...base, dedupeKey: `portal:${documentId}:3`, type: 'viewed', at: new Date('2026-03-05T00:00:00Z'), data: { counted: false } });
    await recordAuditEvent(prisma, { ...base, dedupeKey: `portal:${documentId}:4`, type: 'downloaded', at: new Date('2026-03-05T00:00:00Z') });

    const document = await prisma.document.findUniqueOrThrow({ where: { id: documentId } });
    expect(document).toMatchObject({ viewCount: 2, lastViewedAt: new Date('2026-03-04T09:30:00Z'), downloadCount: 1, eventSeq: 4 });
  });

  it('answers a retry with the event already there, writing nothing and bumping no sequence number, also when retries race', async () => {
    const { tenantId, documentId } = await seedQuote();
    const event = { tenantId, documentId, dedupeKey: `test:${documentId}:viewed`, type: 'viewed' as const, at: new Date('2026-03-03T08:00:00.123Z'), actor: 'customer:lnk_x', ip: '203.0.113.9', data: { viewId: 'v1' } };
    const first = await recordAuditEvent(prisma, event);
    expect(first).toMatchObject({ created: true, deliveriesQueued: 0 });
    // The row as stored, dates and JSON read back as Prisma reads them.
    expect(first.event).toEqual(await prisma.auditEvent.findUniqueOrThrow({ where: { dedupeKey: event.dedupeKey } }));

    expect(await recordAuditEvent(prisma, event)).toEqual({ event: first.event, created: false, deliveriesQueued: 0 });
    const retries = await Promise.all(Array.from({ length: 4 }, () => recordAuditEvent(prisma, { ...event, at: new Date() })));
    expect(retries.map((retry) => [retry.event.id, retry.created])).toEqual(Array.from({ length: 4 }, () => [first.event.id, false]));

    expect(await prisma.auditEvent.count({ where: { documentId } })).toBe(1);
    const document = await prisma.document.findUniqueOrThrow({ where: { id: documentId } });
    expect(document).toMatchObject({ eventSeq: 1, viewCount: 1, lastViewedAt: event.at });
  });

  it('gives transitions racing for one document one event each and gapless sequence numbers, a transition sent three times at once included', async () => {
    const { tenantId, documentId } = await seedQuote();
    const workflowId = `quote-${documentId}`;
    const transition = (seq: number) => ({ tenantId, documentId, workflowId, seq, status: `step-${seq}`, event: { type: 'message' as const, at: seq, actor: { kind: 'system' as const } } });
    const sends = [1, 1, 1, 2, 3, 3, 4];
    // The document's row held until every send waits for it: the copies of a transition all
    // begin before its event is there, and race to insert it.
    let racing: Promise<unknown> = Promise.resolve();
    await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Document" WHERE "id" = ${documentId} FOR UPDATE`;
      racing = Promise.all(sends.map((seq) => activities.recordTransition(transition(seq))));
      await eventually(
        async () => {
          const [waiting] = await prisma.$queryRaw<{ count: bigint }[]>`
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE "Document"%'`;
          return (waiting?.count ?? 0n) >= sends.length ? true : undefined;
        },
        { what: 'the sends waiting for the document row', everyMs: 20, timeoutMs: 4_000 },
      );
    });
    await racing;

    const events = await prisma.auditEvent.findMany({ where: { documentId }, orderBy: { seq: 'asc' } });
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    expect(new Set(events.map((event) => event.dedupeKey))).toEqual(new Set([1, 2, 3, 4].map((seq) => `${workflowId}#${seq}`)));
    expect(await prisma.document.findUniqueOrThrow({ where: { id: documentId } })).toMatchObject({ eventSeq: 4 });
  });

  it("queues the event's webhook delivery with it for a tenant whose endpoint wants it, once, a retry included", async () => {
    const { tenantId, documentId } = await seedQuote();
    const endpoint = await prisma.webhookEndpoint.create({
      data: { id: newId('whe'), tenantId, url: 'https://hooks.seller.test/in', events: ['document.sent'], secret: 'whsec_dGVzdA==' },
    });
    const sent = { tenantId, documentId, dedupeKey: `quote-${documentId}#1`, type: 'sent' as const, at: new Date('2026-03-02T10:00:00Z'), actor: 'system', status: 'sent' };
    const recorded = await recordAuditEvent(prisma, sent);
    expect(recorded).toMatchObject({ created: true, deliveriesQueued: 1, event: { seq: 1, type: 'sent' } });
    expect(await recordAuditEvent(prisma, sent)).toMatchObject({ created: false, deliveriesQueued: 0, event: { id: recorded.event.id } });
    // An event no endpoint wants goes through the same transaction, and queues nothing.
    const message = { tenantId, documentId, dedupeKey: `test:${documentId}:message`, type: 'message' as const, at: new Date(), actor: 'system' };
    expect(await recordAuditEvent(prisma, message)).toMatchObject({ created: true, deliveriesQueued: 0, event: { seq: 2 } });

    const deliveries = await prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(deliveries).toEqual([expect.objectContaining({ auditEventId: recorded.event.id, type: 'document.sent' })]);
    const payload = JSON.parse(deliveries[0]?.payload ?? '{}') as { data: { document: { status: string }; event: { seq: number; at: string } } };
    expect(payload.data).toMatchObject({ document: { status: 'sent' }, event: { seq: 1, at: '2026-03-02T10:00:00.000Z' } });
    expect(await prisma.document.findUniqueOrThrow({ where: { id: documentId } })).toMatchObject({ status: 'sent', eventSeq: 2, sentAt: sent.at });
  });

  it("keeps to the document's tenant: another tenant's event for it finds no document", async () => {
    const { documentId } = await seedQuote();
    const other = await seedQuote();
    const stranger = recordAuditEvent(prisma, { tenantId: other.tenantId, documentId, dedupeKey: `test:${documentId}:stranger`, type: 'message', at: new Date(), actor: 'system' });
    await expect(stranger).rejects.toMatchObject({ code: 'not_found' });
    expect(await prisma.document.findUniqueOrThrow({ where: { id: documentId } })).toMatchObject({ eventSeq: 0 });
  });
});

describe('access links', () => {
  it('opens the document for a valid token, says why a dead one opens nothing, and finds nothing for a wrong token', async () => {
    const { tenantId, documentId } = await seedQuote();
    const recipient = { name: 'Ελένη', email: 'eleni@customer.test' };
    const live = await createAccessLink(prisma, { tenantId, documentId, recipient, actions: ['view', 'download'] }, config.publicUrl);
    expect(live.url).toBe(`${config.publicUrl}/d/${live.token}`);
    expect(live.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(live.link.tokenHash).not.toContain(live.token);

    const found = await findLinkByToken(prisma, live.token);
    expect(found).toMatchObject({ gone: null, link: { id: live.link.id, actions: ['view', 'download'] }, document: { id: documentId } });
    expect(found?.document.lines).toHaveLength(2);

    const old = await createAccessLink(prisma, { tenantId, documentId, recipient, actions: ['view'], expiresAt: new Date('2020-01-01') }, config.publicUrl);
    expect((await findLinkByToken(prisma, old.token))?.gone).toBe('link_expired');

    // A revoked link is found, to say so; revoked beats expired, the more telling reason.
    await prisma.accessLink.updateMany({ where: { id: { in: [live.link.id, old.link.id] } }, data: { revokedAt: new Date() } });
    expect((await findLinkByToken(prisma, live.token))?.gone).toBe('link_revoked');
    expect((await findLinkByToken(prisma, old.token))?.gone).toBe('link_revoked');
    const fresh = await createAccessLink(prisma, { tenantId, documentId, recipient, actions: ['view'] }, config.publicUrl);
    await prisma.document.update({ where: { id: documentId }, data: { status: 'cancelled' } });
    expect((await findLinkByToken(prisma, fresh.token))?.gone).toBe('document_cancelled');
    expect(await findLinkByToken(prisma, `${live.token.slice(0, -1)}${live.token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await findLinkByToken(prisma, 'not a token')).toBeNull();
  });
});

describe('sendDocumentEmail', () => {
  it('emails the contact a working portal link and the PDF, once per idempotency key', async () => {
    const { tenantId, documentId, contact, document } = await seedQuote();
    const input = { tenantId, documentId, template: 'first_send' as const, attachPdf: true, idempotencyKey: `quote-${documentId}/send/1`, message: 'Tack för ett trevligt möte!' };
    const first = await asActivity(activities.sendDocumentEmail, input);
    const second = await asActivity(activities.sendDocumentEmail, input);
    expect(second).toEqual(first);

    const received = await messagesTo(contact.email as string);
    expect(received).toHaveLength(1);
    const [email] = received as [OutboxMessage];
    expect(email.id).toBe(first.messageId);
    expect(email.from).toBe('"Tryckeriet Åkesson & Co" <documents@greenlight.test>');
    expect(email.subject).toBe(`Offert ${document.number} från Tryckeriet Åkesson & Co`);
    expect(email.text).toContain('Tack för ett trevligt möte!');
    // The contact's name is data, never markup.
    expect(email.html).toContain('Hej Åsa &lt;Öberg&gt;');
    expect(email.html).not.toContain('<Öberg>');

    const portalLinks = email.links.filter((link) => link.startsWith(`${config.publicUrl}/d/`));
    expect(portalLinks).toHaveLength(1);
    const opened = await findLinkByToken(prisma, tokenOf(portalLinks[0] as string));
    expect(opened).toMatchObject({ link: { id: first.linkId, contactId: contact.id, recipientEmail: contact.email }, document: { id: documentId } });
    expect(opened?.link.actions).toEqual(['view', 'download', 'accept', 'sign', 'refuse', 'hold']);
    expect(await prisma.accessLink.count({ where: { documentId } })).toBe(1);

    expect(email.attachments).toEqual([expect.objectContaining({ filename: `Offert-${document.number}.pdf`, contentType: 'application/pdf' })]);
    const pdf = await fetch(`${outbox.url}/emails/${email.id}/attachments/0`);
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(bytes.length).toBe(email.attachments[0]?.size);
    expect((await PDFDocument.load(bytes)).getTitle()).toBe(`Offert ${document.number}`);
  });

  it('sends a reminder that is not the first email, without attachment unless asked', async () => {
    const { tenantId, documentId, contact, document } = await seedQuote();
    await asActivity(activities.sendDocumentEmail, { tenantId, documentId, template: 'first_send', attachPdf: false, idempotencyKey: `quote-${documentId}/send/1` });
    await asActivity(activities.sendDocumentEmail, { tenantId, documentId, template: 'reminder', attachPdf: false, idempotencyKey: `quote-${documentId}/remind/1` });

    const [reminder, firstSend] = (await messagesTo(contact.email as string)) as [OutboxMessage, OutboxMessage];
    expect(firstSend.subject).toContain('Offert');
    expect(reminder.subject).toBe(`Påminnelse: offert ${document.number} väntar på ditt svar`);
    expect(reminder.text).not.toBe(firstSend.text);
    expect(reminder.attachments).toEqual([]);
    expect(reminder.links.some((link) => link.startsWith(`${config.publicUrl}/d/`))).toBe(true);
  });

  it('uses the tenant’s template, escaping what it holds and keeping the link it forgot', async () => {
    const templates = { first_send: { sv: { subject: 'Er offert {{number}}', body: 'Hej {{customer}}!\n\nSe <b>offerten</b> {{number}}. {{unknown}}' } } };
    const { tenantId, documentId, contact, document } = await seedQuote({ templates });
    await asActivity(activities.sendDocumentEmail, { tenantId, documentId, template: 'first_send', attachPdf: false, idempotencyKey: `quote-${documentId}/send/1` });

    const [email] = (await messagesTo(contact.email as string)) as [OutboxMessage];
    expect(email.subject).toBe(`Er offert ${document.number}`);
    expect(email.html).toContain(`Se &lt;b&gt;offerten&lt;/b&gt; ${document.number}. {{unknown}}`);
    expect(email.text).toContain(`Hej Åsa <Öberg>!`);
    expect(email.links.filter((link) => link.startsWith(`${config.publicUrl}/d/`))).toHaveLength(1);
    expect(email.text).toMatch(/Öppna dokumentet: https:\/\/portal\.greenlight\.test\/d\/[A-Za-z0-9_-]{43}/);
  });

  it('asks for a signature in the email of a quote that must be signed, and in its reminder', async () => {
    const { tenantId, documentId, contact, document } = await seedQuote();
    await asActivity(activities.sendDocumentEmail, { tenantId, documentId, template: 'signature_request', attachPdf: false, idempotencyKey: `quote-${documentId}/send/1` });
    await asActivity(activities.sendDocumentEmail, { tenantId, documentId, template: 'signature_reminder', attachPdf: false, idempotencyKey: `quote-${documentId}/remind/1` });

    const [reminder, request] = (await messagesTo(contact.email as string)) as [OutboxMessage, OutboxMessage];
    expect(request.subject).toBe(`Offert ${document.number} från Tryckeriet Åkesson & Co, klar att signera`);
    expect(request.text).toContain('signerar du den på webben');
    expect(reminder.subject).toBe(`Påminnelse: offert ${document.number} väntar på din signatur`);
    for (const email of [request, reminder]) expect(email.links.some((link) => link.startsWith(`${config.publicUrl}/d/`))).toBe(true);
  });

  it('sends to another contact of the account on request, and refuses one of another account for good', async () => {
    const { tenantId, documentId, customer } = await seedQuote();
    const colleague = await prisma.contact.create({ data: { id: newId('con'), tenantId, customerId: customer.id, name: 'Дмитрий', email: `dmitri-${documentId}@customer.test` } });
    await asActivity(activities.sendDocumentEmail, { tenantId, documentId, to: { contactId: colleague.id }, template: 'first_send', attachPdf: false, idempotencyKey: `quote-${documentId}/send/1` });
    expect(await messagesTo(colleague.email as string)).toHaveLength(1);

    const stranger = await seedQuote();
    const refused = asActivity(activities.sendDocumentEmail, { tenantId, documentId, to: { contactId: stranger.contact.id }, template: 'first_send', attachPdf: false, idempotencyKey: `quote-${documentId}/send/2` });
    await expect(refused).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(refused).rejects.toMatchObject({ type: 'RecipientNotFound', nonRetryable: true });
  });
});

describe('notifyAssignee', () => {
  it('notifies on the channels the assignee chose for each event, once per key', async () => {
    const { tenantId, documentId, assignee, document } = await seedQuote({ notify: { viewed: ['email', 'sms'], decided: ['email'], downloaded: [] } });
    const viewed = { tenantId, documentId, event: 'viewed' as const, what: 'viewed' as const, at: Date.parse('2026-03-04T09:30:00Z'), idempotencyKey: `quote-${documentId}#2/notify` };

    expect(await activities.notifyAssignee(viewed)).toEqual({ sent: 2 });
    await activities.notifyAssignee(viewed);
    expect(await activities.notifyAssignee({ ...viewed, event: 'downloaded', what: 'downloaded', idempotencyKey: `quote-${documentId}#3/notify` })).toEqual({ sent: 0 });
    expect(
      await activities.notifyAssignee({ ...viewed, event: 'decided', what: 'refused', detail: { reason: 'Trop cher' }, idempotencyKey: `quote-${documentId}#4/notify` }),
    ).toEqual({ sent: 1 });

    const emails = await messagesTo(assignee.email);
    expect(emails.map((email) => email.subject)).toEqual([
      `Devis ${document.number} refusé par Åsa <Öberg>`,
      `Devis ${document.number} consulté par Åsa <Öberg>`,
    ]);
    expect(emails[0]?.text).toContain('Motif\u202f: «\u202fTrop cher\u202f»');
    expect(emails[1]?.text).toContain('4 mars 2026 à 09:30 UTC');

    expect(await textsAbout(assignee.phone as string, document.number)).toEqual([`Devis ${document.number} consulté par Åsa <Öberg> le 4 mars 2026 à 09:30 UTC.`]);
  });

  it("writes the time in the seller's time zone and comes from the seller, as the customers' emails do", async () => {
    const { tenantId, documentId, assignee, document } = await seedQuote({ notify: { viewed: ['email', 'sms'] } });
    const seller = { legalName: 'Tryckeriet Åkesson AB', brandColor: '#8a1c7c' };
    await prisma.tenantSettings.upsert({ where: { tenantId }, create: { tenantId, timeZone: 'Europe/Stockholm', seller }, update: { timeZone: 'Europe/Stockholm', seller } });
    await activities.notifyAssignee({ tenantId, documentId, event: 'viewed', what: 'viewed', at: Date.parse('2026-03-04T09:30:00Z'), idempotencyKey: `quote-${documentId}#2/notify` });

    const [email] = (await messagesTo(assignee.email)) as [OutboxMessage];
    expect(email.from).toBe('"Tryckeriet Åkesson AB" <documents@greenlight.test>');
    expect(email.text).toContain('4 mars 2026 à 10:30 UTC+1');
    expect(email.html).toContain('Tryckeriet Åkesson AB');
    expect(email.html).toContain('#8a1c7c');
    expect(await textsAbout(assignee.phone as string, document.number)).toEqual([`Devis ${document.number} consulté par Åsa <Öberg> le 4 mars 2026 à 10:30 UTC+1.`]);
  });

  it('names the document for what it is, and sends the SMS the tenant wrote for the event', async () => {
    const templates = { assignee_viewed: { fr: { sms: 'Vu : {{kind}} {{number}}, {{customer}}' } } };
    const { tenantId, documentId, assignee, document } = await seedQuote({ notify: { viewed: ['email', 'sms'] }, templates });
    await prisma.document.update({ where: { id: documentId }, data: { kind: 'order' } });
    await activities.notifyAssignee({ tenantId, documentId, event: 'viewed', what: 'viewed', at: Date.parse('2026-03-04T09:30:00Z'), idempotencyKey: `order-${documentId}#2/notify` });

    const [email] = (await messagesTo(assignee.email)) as [OutboxMessage];
    expect(email.subject).toBe(`Bon de commande ${document.number} consulté par Åsa <Öberg>`);
    expect(email.text).toContain(`Bon de commande ${document.number} (`);
    expect(email.text).not.toMatch(/devis/i);
    expect(await textsAbout(assignee.phone as string, document.number)).toEqual([`Vu : Bon de commande ${document.number}, Åsa <Öberg>`]);
  });

  it('confirms a signature by email to an assignee who chose nothing for it; `signed: []` opts out', async () => {
    const signed = (tenantId: string, documentId: string) =>
      activities.notifyAssignee({ tenantId, documentId, event: 'signed', what: 'signed', at: Date.parse('2026-03-04T09:30:00Z'), idempotencyKey: `quote-${documentId}#5/notify` });

    const silent = await seedQuote({ notify: { viewed: ['sms'] } });
    expect(await signed(silent.tenantId, silent.documentId)).toEqual({ sent: 1 });
    expect((await messagesTo(silent.assignee.email)).map((email) => email.subject)).toEqual([`Devis ${silent.document.number} signé par Åsa <Öberg>`]);
    expect(await textsAbout(silent.assignee.phone as string, silent.document.number)).toEqual([]);

    const optedOut = await seedQuote({ notify: { signed: [] } });
    expect(await signed(optedOut.tenantId, optedOut.documentId)).toEqual({ sent: 0 });
    expect(await messagesTo(optedOut.assignee.email)).toEqual([]);
  });

  it('sends nothing when the document has no assignee and the tenant no notification address', async () => {
    const { tenantId, documentId } = await seedQuote({ notify: { viewed: ['email'] } });
    await prisma.document.update({ where: { id: documentId }, data: { assigneeId: null } });
    expect(await activities.notifyAssignee({ tenantId, documentId, event: 'viewed', what: 'viewed', at: Date.now(), idempotencyKey: `n-${documentId}` })).toEqual({ sent: 0 });
  });
});

describe('notifyAssignee, by default', () => {
  const notice = (tenantId: string, documentId: string, event: 'viewed' | 'downloaded' | 'decided' | 'signed' | 'paid' | 'message' | 'payment_failed', n: number) =>
    activities.notifyAssignee({
      tenantId,
      documentId,
      event,
      what: event === 'decided' ? 'accepted' : event,
      at: Date.parse('2026-03-04T09:30:00Z'),
      idempotencyKey: `quote-${documentId}#${n}/notify`,
    });

  it('tells an assignee who chose nothing of every answer, message and payment by email, and of no view or download', async () => {
    const { tenantId, documentId, assignee } = await seedQuote();
    const sent = [];
    for (const [n, event] of (['viewed', 'downloaded', 'decided', 'signed', 'message', 'paid', 'payment_failed'] as const).entries()) {
      sent.push([event, (await notice(tenantId, documentId, event, n)).sent]);
    }
    expect(Object.fromEntries(sent)).toEqual({ viewed: 0, downloaded: 0, decided: 1, signed: 1, message: 1, paid: 1, payment_failed: 1 });
    expect(await messagesTo(assignee.email)).toHaveLength(5);
    // Email only: the SMS is a choice the user makes.
    expect(await textsAbout(assignee.phone as string, '')).toEqual([]);
  });

  it('keeps what a user turned off, and what they turned on', async () => {
    const { tenantId, documentId, assignee } = await seedQuote({ notify: { decided: [], viewed: ['email'] } });
    expect((await notice(tenantId, documentId, 'decided', 1)).sent).toBe(0);
    expect((await notice(tenantId, documentId, 'viewed', 2)).sent).toBe(1);
    expect((await notice(tenantId, documentId, 'message', 3)).sent).toBe(1);
    expect(await messagesTo(assignee.email)).toHaveLength(2);
  });

  it("tells the tenant's notification address of a document without assignee, on the default events, once per key", async () => {
    const { tenantId, documentId, document } = await seedQuote({ notify: { viewed: ['email'] } });
    const notifyEmail = `ventes-${documentId.slice(-8).toLowerCase()}@seller.test`;
    await prisma.tenantSettings.create({ data: { tenantId, notifyEmail } });
    await prisma.document.update({ where: { id: documentId }, data: { assigneeId: null } });

    expect((await notice(tenantId, documentId, 'decided', 1)).sent).toBe(1);
    expect((await notice(tenantId, documentId, 'decided', 1)).sent).toBe(1);
    expect((await notice(tenantId, documentId, 'viewed', 2)).sent).toBe(0);
    expect((await messagesTo(notifyEmail)).map((email) => email.subject)).toEqual([`Devis ${document.number} accepté par Åsa <Öberg>`]);
  });

  it('names a price proposal answered as such', async () => {
    const { tenantId, documentId, assignee, document } = await seedQuote();
    await activities.notifyAssignee({ tenantId, documentId, event: 'decided', what: 'proposal_declined', at: Date.now(), idempotencyKey: `request-${documentId}#1/notify` });
    expect((await messagesTo(assignee.email)).map((email) => email.subject)).toEqual([`Devis ${document.number} dont le prix proposé a été refusé par Åsa <Öberg>`]);
  });
});

describe("notifyAssignee: money told in each kind's words", () => {
  const at = Date.parse('2026-03-04T09:30:00Z');
  const money = (tenantId: string, documentId: string, event: 'paid' | 'payment_failed', what: 'deposit_paid' | 'deposit_failed' | 'payment_failed', n: number) =>
    activities.notifyAssignee({ tenantId, documentId, event, what, at, idempotencyKey: `money-${documentId}#${n}/notify`, detail: event === 'payment_failed' ? { reason: 'Your card was declined.' } : {} });
  const bySubject = async (address: string) => new Map((await messagesTo(address)).map((email) => [email.subject, email.text]));

  it("names a quote's deposit (not its total as an invoice's payment would), paid or refused, and a deposit that came for a quote already over", async () => {
    const { tenantId, documentId, assignee, document } = await seedQuote();
    await prisma.document.update({ where: { id: documentId }, data: { depositBasisPoints: 3000, depositPolicy: 'accept_then_pay', status: 'accepted' } });
    const deposit = formatMoney(Math.round(document.grossTotal * 0.3), 'SEK', 'fr');
    const total = formatMoney(document.grossTotal, 'SEK', 'fr');
    await money(tenantId, documentId, 'payment_failed', 'deposit_failed', 1);
    await money(tenantId, documentId, 'paid', 'deposit_paid', 2);

    const emails = await bySubject(assignee.email);
    const refused = emails.get(`Acompte refusé pour le devis ${document.number}`);
    expect(refused).toContain(`La carte de Åsa <Öberg> a été refusée pour l’acompte de ${deposit} du devis ${document.number} (total ${total}) le 4 mars 2026 à 09:30 UTC`);
    expect(refused).toContain('l’acompte reste à payer, le client peut réessayer depuis le devis.');
    expect(refused).not.toContain('demande');
    const paid = emails.get(`Acompte de ${deposit} reçu pour le devis ${document.number}`);
    expect(paid).toContain(`Åsa <Öberg> a payé l’acompte de ${deposit} du devis ${document.number} (total ${total})`);
    expect(paid).not.toContain('déjà');

    // Paid once the quote was refused (its run over): recorded, and the notice says what it means.
    await prisma.document.update({ where: { id: documentId }, data: { status: 'refused' } });
    await prisma.tenant.update({ where: { id: tenantId }, data: { locale: 'en' } });
    await money(tenantId, documentId, 'paid', 'deposit_paid', 3);
    const late = (await bySubject(assignee.email)).get(`Deposit of ${formatMoney(Math.round(document.grossTotal * 0.3), 'SEK', 'en')} received for quote ${document.number}`);
    expect(late).toContain('The quote was already refused when the deposit came: it is not accepted by it. Refund the deposit, or agree with the customer on what comes next.');
  });

  it("tells an invoice's refused card in an invoice's words, and a service request's in a request's", async () => {
    const invoice = await seedQuote();
    await prisma.document.update({ where: { id: invoice.documentId }, data: { kind: 'invoice' } });
    await money(invoice.tenantId, invoice.documentId, 'payment_failed', 'payment_failed', 1);
    const toInvoice = (await bySubject(invoice.assignee.email)).get(`Carte refusée pour la facture ${invoice.document.number}`);
    expect(toInvoice).toContain('la facture reste à payer, le client peut réessayer depuis sa page.');
    expect(toInvoice).not.toContain('demande');

    const request = await seedQuote();
    await prisma.document.update({ where: { id: request.documentId }, data: { kind: 'request' } });
    await money(request.tenantId, request.documentId, 'payment_failed', 'payment_failed', 1);
    expect((await bySubject(request.assignee.email)).get(`Carte refusée pour ${request.document.number}`)).toContain('la demande est confirmée mais impayée');
  });
});

describe('sendConfirmationEmail', () => {
  it("confirms an acceptance in the customer's language, with the link to the document, once per key", async () => {
    const { tenantId, documentId, contact, document } = await seedQuote();
    const input = { tenantId, documentId, confirmation: 'accepted' as const, idempotencyKey: `quote-${documentId}#4#confirmation` };
    const first = await asActivity(activities.sendConfirmationEmail, input);
    expect(await asActivity(activities.sendConfirmationEmail, input)).toEqual(first);

    const [email, ...more] = await messagesTo(contact.email as string);
    expect(more).toEqual([]);
    expect(email?.subject).toBe(`Offert ${document.number} godkänd: tack! — Tryckeriet Åkesson & Co`);
    expect(email?.text).toContain('Så här går det vidare:');
    expect(email?.links.some((link) => link.startsWith(`${config.publicUrl}/d/`))).toBe(true);
  });

  it('sends the signed quote and its signature certificate with the confirmation of a signature', async () => {
    const { tenantId, documentId, contact, document } = await seedQuote();
    await prisma.customer.updateMany({ where: { tenantId }, data: { locale: 'en' } });
    await activities.recordSignature({
      tenantId,
      documentId,
      version: 1,
      signedAt: Date.parse('2026-03-04T09:30:00Z'),
      evidence: { signerName: 'Åsa Öberg', consent: true, consentText: 'I accept this quote.', locale: 'en', linkId: 'link-1', pdfSha256: 'unchecked-here' },
      options: [],
    });
    await asActivity(activities.sendConfirmationEmail, { tenantId, documentId, confirmation: 'signed', idempotencyKey: `quote-${documentId}#5#confirmation` });

    const [email] = (await messagesTo(contact.email as string)) as [OutboxMessage];
    expect(email.subject).toBe(`Quote ${document.number} signed: your copy — Tryckeriet Åkesson & Co`);
    expect(email.attachments.map((attachment) => attachment.filename)).toEqual([`Signed-quote-${document.number}.pdf`, `Signature-certificate-${document.number}.pdf`]);
    expect(email.attachments.every((attachment) => attachment.size > 1000)).toBe(true);
  });

  it('links the receipt of the payment it confirms', async () => {
    const { tenantId, documentId, contact, document } = await seedQuote();
    await prisma.document.update({ where: { id: documentId }, data: { kind: 'invoice' } });
    await activities.recordPayment({
      tenantId,
      documentId,
      payment: { paymentId: `pi_${documentId}`, amount: 5000, currency: 'SEK', provider: 'stripe', paidAt: Date.parse('2026-03-04T09:30:00Z') },
      receiptSeq: 1,
      paidTotal: 5000,
    });
    const receipt = await prisma.payment.findFirstOrThrow({ where: { documentId } });
    await asActivity(activities.sendConfirmationEmail, { tenantId, documentId, confirmation: 'paid', paymentId: `pi_${documentId}`, idempotencyKey: `invoice-${documentId}#3#confirmation` });

    const [email] = (await messagesTo(contact.email as string)) as [OutboxMessage];
    expect(email.subject).toBe(`Betalning mottagen för faktura ${document.number} — Tryckeriet Åkesson & Co`);
    expect(email.text).toMatch(/betalning på 50,00\s*kr/);
    const receiptLink = email.links.find((link) => link.endsWith(`/receipts/${receipt.id}`));
    expect(receiptLink).toMatch(new RegExp(`^${config.publicUrl}/d/[A-Za-z0-9_-]+/receipts/${receipt.id}$`));
    expect(email.html).toContain(`<a href="${receiptLink}">`);
  });

  it("tells the customer their request is declined, with the seller's reason", async () => {
    const { tenantId, documentId, contact } = await seedQuote();
    await prisma.customer.updateMany({ where: { tenantId }, data: { locale: 'fr' } });
    await asActivity(activities.sendConfirmationEmail, { tenantId, documentId, confirmation: 'request_declined', reason: 'Hors zone', idempotencyKey: `request-${documentId}#3#confirmation` });
    const [email] = (await messagesTo(contact.email as string)) as [OutboxMessage];
    expect(email.text).toContain('ne peut malheureusement pas donner suite');
    expect(email.text).toContain('Motif\u202f: «\u202fHors zone\u202f»');
  });
});
