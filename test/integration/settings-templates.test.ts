/**
 * PATCH /v1/settings templates: a customer template without its link — in its email or its
 * SMS — is refused, and nothing changes; notices to the salesperson need none.
 */
import { ApiClient } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  const tenant = await stack.createTenant();
  api = new ApiClient(stack.baseUrl, tenant.apiKey);
});

afterAll(async () => {
  await stack?.close();
});

type Templates = Record<string, Record<string, { subject?: string; body?: string; sms?: string }>>;
const templatesNow = async () => (await api.get<{ templates: Templates }>('/v1/settings')).body.templates;

const goodFirstSend = { subject: 'Devis {{number}}', body: 'Bonjour {{customer}},\n\nVotre devis : {{link}}\n\n{{seller}}' };

test('a customer template keeps its link; the refusal names the missing placeholder and changes nothing', async () => {
  expect((await api.patch('/v1/settings', { templates: { first_send: { fr: goodFirstSend } } })).status).toBe(200);

  const broken = await api.patch<{ detail: string; errors: { path: string; message: string }[] }>('/v1/settings', {
    templates: { first_send: { fr: goodFirstSend }, reminder: { en: { subject: 'Reminder {{number}}', body: 'Hello {{customer}}, please answer.' } } },
  });
  expect(broken.status).toBe(422);
  expect(broken.body.detail).toContain('{{link}}');
  expect(broken.body.errors).toEqual([{ path: 'templates.reminder.en.body', message: expect.stringContaining('missing the {{link}} placeholder') }]);
  expect(await templatesNow()).toEqual({ first_send: { fr: goodFirstSend } });
});

test('a notice to the salesperson needs no link; a misspelt placeholder is caught before any email goes out', async () => {
  const notice = { assignee_viewed: { en: { subject: 'Seen: {{number}}', body: '{{customer}} opened {{number}}.' } } };
  expect((await api.patch('/v1/settings', { templates: notice })).status).toBe(200);

  const typo = await api.patch<{ errors: { path: string; message: string }[] }>('/v1/settings', {
    templates: { first_send: { en: { subject: 'Quote {{numbr}}', body: '{{link}}' } } },
  });
  expect(typo.status).toBe(422);
  expect(typo.body.errors).toEqual([{ path: 'templates.first_send.en.subject', message: expect.stringContaining('unknown placeholder {{numbr}}') }]);
  expect(await templatesNow()).toEqual(notice);
});

test('SMS texts are templates too, per event and locale: a customer SMS keeps its link, a notice SMS needs none', async () => {
  const smsOnly = {
    signature_request: { sv: { sms: '{{seller}}: signera offert {{number}} här: {{link}}' } },
    assignee_signed: { fr: { sms: '{{kind}} {{number}} signé ({{total}})' } },
  };
  expect((await api.patch('/v1/settings', { templates: smsOnly })).status).toBe(200);
  expect(await templatesNow()).toEqual(smsOnly);

  const linkless = await api.patch<{ detail: string; errors: { path: string; message: string }[] }>('/v1/settings', {
    templates: { ...smsOnly, reminder: { fr: { sms: 'Rappel : devis {{number}}, répondez-nous vite.' } } },
  });
  expect(linkless.status).toBe(422);
  expect(linkless.body.errors).toEqual([{ path: 'templates.reminder.fr.sms', message: expect.stringContaining('missing the {{link}} placeholder') }]);

  const typo = await api.patch<{ errors: { path: string; message: string }[] }>('/v1/settings', {
    templates: { assignee_viewed: { en: { sms: '{{kind}} {{number}} seen by {{client}}' } } },
  });
  expect(typo.status).toBe(422);
  expect(typo.body.errors).toEqual([{ path: 'templates.assignee_viewed.en.sms', message: expect.stringContaining('unknown placeholder {{client}}') }]);

  // The email's subject and body come together.
  expect((await api.patch('/v1/settings', { templates: { first_send: { fr: { subject: 'Devis {{number}}' } } } })).status).toBe(400);
  expect(await templatesNow()).toEqual(smsOnly);
});
