/** PATCH /v1/settings templates: a customer template without its link is refused, and nothing changes. */
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

type Templates = Record<string, Record<string, { subject: string; body: string }>>;
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
