/**
 * The seller's identity and time zone on an invoice (issue 14), over real HTTP: the portal
 * page says when it is due in a banner at its top, dated in the seller's time zone (the
 * customer's, once it has one); the
 * invoice's PDF carries the seller's header, its footer line on every page, the due date, the
 * payment terms and the bank details.
 */
import { startStack, type Stack } from '../support/stack';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { createInvoice } from '../support/payments';
import { pdfText } from '../support/pdf-text';
import { backOffice, type BackOffice } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
  await succeeded(
    office.api.PATCH('/v1/settings', {
      body: {
        seller: {
          legalName: 'Lumière Print Ltd',
          address: '1 Print Street\nLondon EC1A 1AA',
          taxId: 'GB123456789',
          companyId: 'Company no. 01234567',
          bankDetails: 'IBAN GB33 BUKB 2020 1555 5555 55',
          paymentTerms: 'Payment within 30 days.',
        },
        timeZone: 'America/New_York',
      },
    }),
  );
});
afterAll(async () => {
  await stack?.close();
});

it('an invoice shows its due date in a banner at the top and in its PDF, with the seller’s terms, bank details and ids', async () => {
  // 03:00 UTC on January 1st is still December 31st in New York.
  const dueDate = new Date('2027-01-01T03:00:00Z');
  const { documentId, contactEmail } = await createInvoice(office, { locale: 'en', lines: [{ description: 'Posters A2', quantity: 10, unitPrice: 1500, taxRate: 20 }], dueDate });
  const { url } = await office.sendQuote(documentId, contactEmail);

  const page = await (await fetch(url)).text();
  const banner = /<p class="banner due draft" role="status">([^<]*)<\/p>/.exec(page);
  expect(banner?.[1]).toBe('Due on December 31, 2026');
  expect(page.indexOf(banner?.[0] ?? '')).toBeLessThan(page.indexOf('<article class="sheet">'));
  expect(page).toContain('<span class="seller-name">Lumière Print Ltd</span>');
  expect(page).toContain('Attn: Zoë Dupré');

  const pdf = await office.api.GET('/v1/documents/{id}/pdf', { params: { path: { id: documentId } }, parseAs: 'arrayBuffer' });
  expect(pdf.response.status).toBe(200);
  const text = pdfText(new Uint8Array(pdf.data as ArrayBuffer));
  for (const expected of ['Lumière Print Ltd', '1 Print Street', 'Invoice', 'Due date December 31, 2026', 'PAYMENT TERMS', 'Payment within 30 days.', 'BANK DETAILS', 'IBAN GB33 BUKB 2020 1555 5555 55']) {
    expect(text).toContain(expected);
  }
  expect(text).toContain('Lumière Print Ltd · 1 Print Street, London EC1A 1AA · VAT no. GB123456789 · Company no. 01234567');

  // A customer with a zone of its own reads in it: noon on January 1st in Tokyo.
  const { customerId } = await office.document(documentId);
  const bad = await office.api.PATCH('/v1/customers/{id}', { params: { path: { id: customerId } }, body: { timeZone: 'Tokyo' } });
  expect(bad.response.status).toBe(400);
  expect(bad.error?.errors?.map((error) => error.path)).toEqual(['timeZone']);
  const customer = await succeeded(office.api.PATCH('/v1/customers/{id}', { params: { path: { id: customerId } }, body: { timeZone: 'Asia/Tokyo' } }));
  expect(customer.timeZone).toBe('Asia/Tokyo');
  expect(await (await fetch(url)).text()).toContain('<p class="banner due draft" role="status">Due on January 1, 2027</p>');
  const inTokyo = await office.api.GET('/v1/documents/{id}/pdf', { params: { path: { id: documentId } }, parseAs: 'arrayBuffer' });
  expect(pdfText(new Uint8Array(inTokyo.data as ArrayBuffer))).toContain('Due date January 1, 2027');
});

it('the signature certificate carries the seller at its top and its footer line', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: [{ description: 'Business cards', quantity: 500, unitPrice: 12, taxRate: 20 }] });
  const { url } = await office.sendQuote(documentId, contactEmail, { requireSignature: true });
  const signed = await fetch(`${url}/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ signerName: 'Zoë Dupré', consent: true }),
  });
  expect(signed.status).toBe(200);

  // The signature is recorded behind the answer: the certificate is there once it is.
  const certificate = await eventually(
    async () => {
      const answer = await office.api.GET('/v1/documents/{id}/signature/certificate', { params: { path: { id: documentId } }, parseAs: 'arrayBuffer' });
      return answer.response.status === 200 ? answer : undefined;
    },
    { what: 'the signature certificate' },
  );
  const [first = ''] = pdfText(new Uint8Array(certificate.data as ArrayBuffer)).split('\f');
  expect(first).toContain('Lumière Print Ltd');
  expect(first).toContain('1 Print Street');
  expect(first).toContain('Lumière Print Ltd · 1 Print Street, London EC1A 1AA · VAT no. GB123456789 · Company no. 01234567');
});
