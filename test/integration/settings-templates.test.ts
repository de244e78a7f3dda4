/**
 * PATCH /v1/settings templates: a customer template without its link — in its email or its
 * SMS — is refused, and nothing changes; notices to the salesperson need none.
 */
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: GreenlightClient;

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  const tenant = await stack.createTenant();
  api = greenlightClient(stack.baseUrl, tenant.apiKey);
});

afterAll(async () => {
  await stack?.close();
});

const templatesNow = async () => (await succeeded(api.GET('/v1/settings'))).templates;

const goodFirstSend = { subject: 'Devis {{number}}', body: 'Bonjour {{customer}},\n\nVotre devis : {{link}}\n\n{{seller}}' };

test('a customer template keeps its link; the refusal names the missing placeholder and changes nothing', async () => {
  expect((await api.PATCH('/v1/settings', { body: { templates: { first_send: { fr: goodFirstSend } } } })).response.status).toBe(200);

  const broken = await api.PATCH('/v1/settings', {
    body: {
      templates: { first_send: { fr: goodFirstSend }, reminder: { en: { subject: 'Reminder {{number}}', body: 'Hello {{customer}}, please answer.' } } },
    },
  });
  expect(broken.response.status).toBe(422);
  expect(broken.error?.detail).toContain('{{link}}');
  expect(broken.error?.errors).toEqual([{ path: 'templates.reminder.en.body', message: expect.stringContaining('missing the {{link}} placeholder') }]);
  expect(await templatesNow()).toEqual({ first_send: { fr: goodFirstSend } });
});

test('a notice to the salesperson needs no link; a misspelt placeholder is caught before any email goes out', async () => {
  const notice = { assignee_viewed: { en: { subject: 'Seen: {{number}}', body: '{{customer}} opened {{number}}.' } } };
  expect((await api.PATCH('/v1/settings', { body: { templates: notice } })).response.status).toBe(200);

  const typo = await api.PATCH('/v1/settings', {
    body: {
      templates: { first_send: { en: { subject: 'Quote {{numbr}}', body: '{{link}}' } } },
    },
  });
  expect(typo.response.status).toBe(422);
  expect(typo.error?.errors).toEqual([{ path: 'templates.first_send.en.subject', message: expect.stringContaining('unknown placeholder {{numbr}}') }]);
  expect(await templatesNow()).toEqual(notice);
});

test('SMS texts are templates too, per event and locale: a customer SMS keeps its link, a notice SMS needs none', async () => {
  const smsOnly = {
    signature_request: { sv: { sms: '{{seller}}: signera offert {{number}} här: {{link}}' } },
    assignee_signed: { fr: { sms: '{{kind}} {{number}} signé ({{total}})' } },
  };
  expect((await api.PATCH('/v1/settings', { body: { templates: smsOnly } })).response.status).toBe(200);
  expect(await templatesNow()).toEqual(smsOnly);

  const linkless = await api.PATCH('/v1/settings', {
    body: {
      templates: { ...smsOnly, reminder: { fr: { sms: 'Rappel : devis {{number}}, répondez-nous vite.' } } },
    },
  });
  expect(linkless.response.status).toBe(422);
  expect(linkless.error?.errors).toEqual([{ path: 'templates.reminder.fr.sms', message: expect.stringContaining('missing the {{link}} placeholder') }]);

  const typo = await api.PATCH('/v1/settings', {
    body: {
      templates: { assignee_viewed: { en: { sms: '{{kind}} {{number}} seen by {{client}}' } } },
    },
  });
  expect(typo.response.status).toBe(422);
  expect(typo.error?.errors).toEqual([{ path: 'templates.assignee_viewed.en.sms', message: expect.stringContaining('unknown placeholder {{client}}') }]);

  // The email's subject and body come together.
  expect((await api.PATCH('/v1/settings', { body: { templates: { first_send: { fr: { subject: 'Devis {{number}}' } } } } })).response.status).toBe(400);
  expect(await templatesNow()).toEqual(smsOnly);
});
