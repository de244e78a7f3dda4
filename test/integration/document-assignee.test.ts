/**
 * Who is in charge of a document, and who receives it, changed after it was sent. A new
 * assignee is not the customer's business: no version, no email, recorded as `assigned`, and
 * the notices go to the new salesperson from then on — for every kind. A new contact is: a new
 * version, sent to that contact, the former contact's link outdated.
 */
import { randomBytes } from 'node:crypto';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';
import { backOffice, SAMPLE_LINES, type BackOffice } from './portal-fixtures';
import { quoteRunOver } from '../support/quote-run';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

const unique = () => randomBytes(5).toString('hex');
const newSeller = (name: string) => succeeded(office.api.POST('/v1/users', { body: { name, email: `${name.toLowerCase()}-${unique()}@lumiere.test` } }), 201);
const emailsTo = async (address: string) => (await stack.readOutbox()).filter((email) => recipientsOf(email).some((to) => to.includes(address)));
const assign = (id: string, assigneeId: string) => office.api.PATCH('/v1/documents/{id}', { params: { path: { id } }, body: { assigneeId } });
const eventTypes = async (id: string) => (await office.events(id)).map((event) => event.type);

it("puts another salesperson in charge of a sent quote without a new version or an email to the customer; the customer's answer is told to them", async () => {
  const { documentId, contactEmail } = await office.createQuote({ lines: SAMPLE_LINES });
  const sent = await office.sendQuote(documentId, contactEmail);
  const before = await office.document(documentId);
  const paul = await newSeller('Paul');

  const changed = await succeeded(assign(documentId, paul.id));
  // Before, a new version (2), `revised`, and the quote emailed again with a new link.
  expect(changed).toMatchObject({ assigneeId: paul.id, version: 1, status: 'sent' });
  const trail = await office.events(documentId);
  expect(trail.map((event) => event.type)).not.toContain('revised');
  expect(trail.filter((event) => event.type === 'assigned').map((event) => event.data)).toEqual([{ assigneeId: paul.id, previousAssigneeId: before.assigneeId }]);
  // The same assignee again records nothing.
  await succeeded(assign(documentId, paul.id));
  expect((await eventTypes(documentId)).filter((type) => type === 'assigned')).toHaveLength(1);

  // A reminder follows whatever the workflow had to send before it: only it reached the customer since.
  expect((await office.api.POST('/v1/documents/{id}/remind', { params: { path: { id: documentId } } })).response.status).toBe(202);
  await eventually(async () => ((await emailsTo(contactEmail)).length >= 2 ? true : undefined), { what: 'the reminder' });
  expect(await emailsTo(contactEmail)).toHaveLength(2);

  // The first link still decides (not outdated), and the new salesperson hears of it.
  const accepted = await fetch(`${sent.url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({}) });
  expect(accepted.status).toBe(200);
  await eventually(async () => ((await emailsTo(paul.email)).length > 0 ? true : undefined), { what: "the new assignee's notice of the acceptance" });
});

it('changes the assignee of every kind, at any status, and refuses anything else on a document that is no longer a draft', async () => {
  const { documentId, contactEmail } = await office.createQuote({ lines: SAMPLE_LINES });
  const sent = await office.sendQuote(documentId, contactEmail);
  expect((await fetch(`${sent.url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' })).status).toBe(200);
  await quoteRunOver(stack, documentId);
  const order = await succeeded(office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: documentId } }, body: { to: 'order' } }), 201);
  await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id: order.id } }, body: {} }), 202);
  await eventually(async () => ((await office.document(order.id)).status === 'sent' ? true : undefined), { what: 'the order to be sent' });
  const invoice = await succeeded(office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: order.id } }, body: { to: 'invoice' } }), 201);
  await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id: invoice.id } }, body: {} }), 202);
  await eventually(async () => ((await office.document(invoice.id)).status === 'sent' ? true : undefined), { what: 'the invoice to be sent' });
  const request = await succeeded(office.api.POST('/v1/requests', { body: { customerId: order.customerId, product: 'Roll-up 85 × 200' } }), 201);
  const lea = await newSeller('Lea');

  // An accepted quote, a sent order and invoice: each recorded, nothing else changed.
  for (const id of [documentId, order.id, invoice.id]) {
    const before = await office.document(id);
    const changed = await succeeded(assign(id, lea.id));
    expect(changed).toMatchObject({ assigneeId: lea.id, status: before.status, version: before.version, title: before.title });
    expect((await office.events(id)).find((event) => event.type === 'assigned')?.data).toEqual({ assigneeId: lea.id, previousAssigneeId: before.assigneeId });
  }

  // A pending request, on its own resource.
  const requestBefore = await succeeded(office.api.GET('/v1/requests/{id}', { params: { path: { id: request.id } } }));
  const assignedRequest = await succeeded(office.api.PATCH('/v1/requests/{id}', { params: { path: { id: request.id } }, body: { assigneeId: lea.id } }));
  expect(assignedRequest).toEqual({ ...requestBefore, assigneeId: lea.id });
  expect((await office.events(request.id)).find((event) => event.type === 'assigned')?.data).toEqual({ assigneeId: lea.id, previousAssigneeId: null });
  expect((await office.api.PATCH('/v1/requests/{id}', { params: { path: { id: request.id } }, body: { assigneeId: 'usr_nobody' } })).response.status).toBe(422);
  // A request is not a document of /v1/documents: named at its own address, never a 500.
  const asDocument = { params: { path: { id: request.id } } };
  for (const answer of [await office.api.GET('/v1/documents/{id}', asDocument), await office.api.PATCH('/v1/documents/{id}', { ...asDocument, body: { assigneeId: lea.id } })]) {
    expect([answer.response.status, answer.error?.detail]).toEqual([404, `No document ${request.id} (a service request: /v1/requests/${request.id}).`]);
  }

  // Its content is no longer the seller's to change, assignee or not: 409, and nothing changes.
  const kai = await newSeller('Kai');
  const refused = await office.api.PATCH('/v1/documents/{id}', { params: { path: { id: order.id } }, body: { title: 'Autre', assigneeId: kai.id } });
  expect(refused.response.status).toBe(409);
  expect(await office.document(order.id)).toMatchObject({ assigneeId: lea.id, title: order.title });
  // An unknown user: 422, nothing recorded.
  const eventsBefore = await eventTypes(invoice.id);
  expect((await assign(invoice.id, 'usr_nobody')).response.status).toBe(422);
  expect(await eventTypes(invoice.id)).toEqual(eventsBefore);
});

it('sends a new version of a sent quote to its new contact, the former contact’s link outdated', async () => {
  const { documentId, contactEmail } = await office.createQuote({ lines: SAMPLE_LINES });
  const quote = await office.document(documentId);
  const firstContact = quote.contactId as string;
  // Sent to that contact by name: before, the new version went on to them.
  const sent = await office.sendQuote(documentId, contactEmail, { to: { contactId: firstContact } });
  const newEmail = `achats-${unique()}@customer.test`;
  const newContact = await succeeded(office.api.POST('/v1/customers/{id}/contacts', { params: { path: { id: quote.customerId } }, body: { name: 'Ines Achat', email: newEmail } }), 201);

  const changed = await succeeded(office.api.PATCH('/v1/documents/{id}', { params: { path: { id: documentId } }, body: { contactId: newContact.id } }));
  expect(changed).toMatchObject({ contactId: newContact.id, version: 2 });
  const [email] = await eventually(async () => {
    const emails = await emailsTo(newEmail);
    return emails.length ? emails : undefined;
  }, { what: 'the new version to the new contact' });
  expect(email?.links.some((link) => link.startsWith(`${stack.baseUrl}/d/`))).toBe(true);
  expect(await emailsTo(contactEmail)).toHaveLength(1);
  // The former contact's link no longer accepts.
  const accept = await fetch(`${sent.url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });
  expect(accept.status).toBe(409);
});
