/**
 * The local outbox as the Resend SDK and a developer see it: it answers like Resend
 * (idempotency included), keeps what it received across a restart, and the mailer turns
 * its refusals into typed delivery errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeliveryError } from '../../services/notify/delivery-error';
import { createResendMailer, type OutgoingEmail } from '../../services/notify/mailer';
import { createOutboxSmsSender } from '../../services/notify/sms';
import { startOutbox, type Outbox } from '../../devtools/outbox/server';

let dataDir: string;
const running: Outbox[] = [];

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

  it('lists SMS beside the emails, newest first', async () => {
    const outbox = await start();
    const sms = createOutboxSmsSender(outbox.url);
    await createResendMailer({ apiKey: 're_test', baseUrl: outbox.url }).send(email);
    const { id } = await sms.send({ to: '+46701234567', body: 'Offert Q-1 visad av Åsa https://portal.test/d/abc', idempotencyKey: 'n-1:sms' });
    expect(await sms.send({ to: '+46701234567', body: 'Offert Q-1 visad av Åsa https://portal.test/d/abc', idempotencyKey: 'n-1:sms' })).toEqual({ id });

    const messages = await list(outbox);
    expect(messages.map((message) => message.channel)).toEqual(['sms', 'email']);
    expect(messages[0]).toMatchObject({ id, links: ['https://portal.test/d/abc'] });
  });

  it('reports an unreachable provider as a delivery error worth retrying', async () => {
    const outbox = await start();
    const url = outbox.url;
    await outbox.close();
    running.splice(running.indexOf(outbox), 1);
    await expect(createResendMailer({ apiKey: 're_test', baseUrl: url }).send(email)).rejects.toMatchObject({ retryable: true });
    await expect(createOutboxSmsSender(url).send({ to: '+4670', body: 'x', idempotencyKey: 'k' })).rejects.toMatchObject({ retryable: true });
  });
});
