/**
 * The local outbox as the Resend and Twilio SDKs and a developer see it: it answers like Resend
 * (idempotency included) and like Twilio's Messages API, keeps what it received across a
 * restart, and the mailer and the SMS sender turn its refusals into typed delivery errors.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeliveryError } from '../../services/notify/delivery-error';
import { createResendMailer, type OutgoingEmail } from '../../services/notify/mailer';
import { createTwilioSmsSender } from '../../services/notify/sms';
import { loadConfig } from '../../platform/config';
import { createPrisma, type PrismaClient } from '../../platform/db';
import { startOutbox, type Outbox } from '../../devtools/outbox/server';

let dataDir: string;
const running: Outbox[] = [];
let prisma: PrismaClient;

beforeAll(() => {
  prisma = createPrisma(process.env.DATABASE_URL as string);
});
afterAll(async () => {
  await prisma.$disconnect();
});

/** Twilio's SDK pointed at this outbox, as development points it (TWILIO_API_URL unset, no account). */
function twilioAt(url: string) {
  const config = loadConfig({ OUTBOX_URL: url }).twilio;
  return { config, sms: createTwilioSmsSender(prisma, config) as NonNullable<ReturnType<typeof createTwilioSmsSender>> };
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((outbox) => outbox.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<Outbox> {
  const outbox = await startOutbox({ port: 0, dataDir });
  running.push(outbox);
  return outbox;
}

async function list(outbox: Outbox) {
  const response = await fetch(`${outbox.url}/emails`);
  return ((await response.json()) as { data: { id: string; channel: string; subject: string; links: string[]; attachments: unknown[] }[] }).data;
}

const email: OutgoingEmail = {
  from: 'Greenlight <documents@greenlight.test>',
  to: ['asa@customer.test'],
  subject: 'Offert Q-1',
  html: '<p>Hej! <a href="https://portal.test/d/abc?x=1&amp;y=2">öppna</a></p>',
  text: 'Hej! https://portal.test/d/abc?x=1&y=2.',
  attachments: [{ filename: 'Offert-Q-1.pdf', content: new Uint8Array([37, 80, 68, 70]), contentType: 'application/pdf' }],
  idempotencyKey: 'quote-doc_1/send/1',
};

describe('local outbox', () => {
  it('takes the SDK’s emails once per idempotency key and keeps them across a restart', async () => {
    const first = await start();
    const mailer = createResendMailer({ apiKey: 're_test', baseUrl: first.url });
    const { id } = await mailer.send(email);
    expect(await mailer.send(email)).toEqual({ id });

    const [stored] = await list(first);
    expect(stored).toMatchObject({
      id,
      channel: 'email',
      subject: 'Offert Q-1',
      links: ['https://portal.test/d/abc?x=1&y=2'],
      attachments: [{ filename: 'Offert-Q-1.pdf', size: 4, contentType: 'application/pdf' }],
    });

    await first.close();
    running.splice(running.indexOf(first), 1);
    const restarted = await start();
    expect((await list(restarted)).map((message) => message.id)).toEqual([id]);
    expect(await createResendMailer({ apiKey: 're_test', baseUrl: restarted.url }).send(email)).toEqual({ id });
    expect(await list(restarted)).toHaveLength(1);
  });

  it('lists only the emails received after a given one, and refuses an id it never had', async () => {
    const outbox = await start();
    const mailer = createResendMailer({ apiKey: 're_test', baseUrl: outbox.url });
    const sent = [];
    for (const n of [1, 2, 3]) sent.push((await mailer.send({ ...email, subject: `Offert Q-${n}`, idempotencyKey: `quote-${n}` })).id);
    const after = (id: string) => fetch(`${outbox.url}/emails?after=${encodeURIComponent(id)}`);

    const since = (await (await after(sent[0] as string)).json()) as { data: { id: string }[] };
    expect(since.data.map((message) => message.id)).toEqual([sent[2], sent[1]]);
    expect(((await (await after(sent[2] as string)).json()) as { data: unknown[] }).data).toEqual([]);
    const unknown = await after('no-such-email');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ statusCode: 400, name: 'validation_error' });
  });

  it('refuses for good the same key with another body, as Resend does', async () => {
    const outbox = await start();
    const mailer = createResendMailer({ apiKey: 're_test', baseUrl: outbox.url });
    await mailer.send(email);
    const reused = mailer.send({ ...email, subject: 'Something else' });
    await expect(reused).rejects.toBeInstanceOf(DeliveryError);
    await expect(reused).rejects.toMatchObject({ code: 'invalid_idempotent_request', statusCode: 409, retryable: false });
  });

  it('asks for a key and for the fields Resend requires', async () => {
    const outbox = await start();
    const anonymous = await fetch(`${outbox.url}/emails`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    const incomplete = createResendMailer({ apiKey: 're_test', baseUrl: outbox.url }).send({ ...email, subject: '', idempotencyKey: 'k2' });
    await expect(incomplete).rejects.toMatchObject({ code: 'validation_error', retryable: false });
    expect(await list(outbox)).toEqual([]);
  });

  it('takes texts as Twilio does, through its SDK, once per key, listed beside the emails', async () => {
    const outbox = await start();
    const { sms } = twilioAt(outbox.url);
    const text = { to: '+46701234567', body: 'Offert Q-1 visad av Åsa https://portal.test/d/abc', idempotencyKey: `n-${randomUUID()}:sms` };
    await createResendMailer({ apiKey: 're_test', baseUrl: outbox.url }).send(email);
    const { id } = await sms.send(text);
    expect(id).toMatch(/^SM[0-9a-f]{32}$/);
    expect(await sms.send(text)).toEqual({ id });

    const messages = await list(outbox);
    expect(messages.map((message) => message.channel)).toEqual(['sms', 'email']);
    expect(messages[0]).toMatchObject({ id, to: ['+46701234567'], from: '+15005550006', links: ['https://portal.test/d/abc'] });
  });

  it('finds at Twilio a text whose attempt died before its id was written, and sends it no second time', async () => {
    const outbox = await start();
    const { sms, config } = twilioAt(outbox.url);
    const text = { to: '+33612345678', body: `Devis D-7 : https://portal.test/d/${randomUUID()}`, idempotencyKey: `n-${randomUUID()}:sms` };
    // The first attempt claimed the key and reached Twilio, then died before writing the message's id.
    await prisma.smsDelivery.create({ data: { idempotencyKey: text.idempotencyKey, to: text.to, body: text.body } });
    const sent = await fetch(`${outbox.url}/2010-04-01/Accounts/${config.accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: text.to, From: config.from, Body: text.body }),
    });
    expect(sent.status).toBe(201);
    const { sid } = (await sent.json()) as { sid: string };

    expect(await sms.send(text)).toEqual({ id: sid });
    expect((await list(outbox)).filter((message) => message.channel === 'sms')).toHaveLength(1);
    expect(await prisma.smsDelivery.findUnique({ where: { idempotencyKey: text.idempotencyKey } })).toMatchObject({ providerId: sid });
  });

  it("refuses as Twilio does: 401 without credentials, 400 with Twilio's 21211 for a To no network dials", async () => {
    const outbox = await start();
    const { sms, config } = twilioAt(outbox.url);
    const endpoint = `${outbox.url}/2010-04-01/Accounts/${config.accountSid}/Messages.json`;
    const anonymous = await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ To: '+46701234567', From: config.from, Body: 'x' }) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 20003, status: 401 });

    await expect(sms.send({ to: '+4670', body: 'x', idempotencyKey: `n-${randomUUID()}:sms` })).rejects.toMatchObject({ code: '21211', statusCode: 400, retryable: false });
    expect(await list(outbox)).toEqual([]);
  });

  it('reports an unreachable provider as a delivery error worth retrying', async () => {
    const outbox = await start();
    const url = outbox.url;
    await outbox.close();
    running.splice(running.indexOf(outbox), 1);
    await expect(createResendMailer({ apiKey: 're_test', baseUrl: url }).send(email)).rejects.toMatchObject({ retryable: true });
    await expect(twilioAt(url).sms.send({ to: '+46701234567', body: 'x', idempotencyKey: `n-${randomUUID()}:sms` })).rejects.toMatchObject({ retryable: true });
  });
});
