/**
 * Proof uploads as a back office sends them: multipart, field `files`, in order. Raw fetch, not
 * the typed client: the generated types read the document's `format: binary` files as strings,
 * so the client cannot express a file upload.
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, rgb } from 'pdf-lib';
import { eventually } from './eventually';
import { greenlightClient, succeeded } from './api';
import { recipientsOf, type OutboxEmail } from './outbox';
import type { Stack } from './stack';

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  type?: string;
}

export interface UploadOptions {
  send?: boolean;
  idempotencyKey?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function uploadRevision(baseUrl: string, apiKey: string, documentId: string, files: UploadFile[], options: UploadOptions = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const form = new FormData();
  for (const file of files) form.append('files', new Blob([file.bytes], { type: file.type ?? 'application/pdf' }), file.name);
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const response = await fetch(`${baseUrl}/v1/documents/${documentId}/revisions${options.send ? '?send=true' : ''}`, { method: 'POST', headers, body: form });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A small text PDF: quick to render, each page saying what it is. */
export async function textPdf(label: string, pages = 1): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let page = 1; page <= pages; page += 1) pdf.addPage([420, 595]).drawText(`${label} page ${page}`, { x: 40, y: 540, size: 20, color: rgb(0, 0, 0) });
  return pdf.save();
}

/** Whom a test proof goes to: a customer's contact, through the API of the seller holding `apiKey`. */
export interface ProofRecipient {
  customerId: string;
  contactId: string;
  contactEmail: string;
}

/** A French customer of its own, with one contact, who has accepted no terms yet. */
export async function newProofRecipient(stack: Stack, apiKey: string): Promise<ProofRecipient> {
  const api = greenlightClient(stack.baseUrl, apiKey);
  const contactEmail = `zoe-${randomBytes(4).toString('hex')}@librairie.example`;
  const customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Librairie Sève', locale: 'fr' } }))).id;
  const contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customerId } }, body: { name: 'Zoë Dupré', email: contactEmail } }))).id;
  return { customerId, contactId, contactEmail };
}

/**
 * The email to `address` whose subject `subject` accepts, waited for (a workflow sends it once the
 * revision is rendered), and the portal link in it.
 */
export async function emailedProofLink(stack: Stack, address: string, what: string, subject: (subject: string) => boolean): Promise<{ email: OutboxEmail; url: string }> {
  return eventually(
    async () => {
      const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(address) && subject(candidate.subject));
      const url = email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
      return email && url ? { email, url } : undefined;
    },
    { what, timeoutMs: 120_000 },
  );
}

/** A text proof of `pages` pages uploaded with ?send=true: its id, number and the portal link of its email. */
export async function sentTextProof(stack: Stack, apiKey: string, to: ProofRecipient, pages: number): Promise<{ id: string; number: string; url: string }> {
  const api = greenlightClient(stack.baseUrl, apiKey);
  const body = { kind: 'proof' as const, customerId: to.customerId, contactId: to.contactId, title: 'Catalogue', number: `BAT-${randomBytes(4).toString('hex')}` };
  const proof = await succeeded(api.POST('/v1/documents', { body }));
  const upload = await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'catalogue.pdf', bytes: await textPdf(proof.number, pages) }], { send: true });
  if (upload.status !== 201) throw new Error(`the upload of ${proof.number} answered ${upload.status}`);
  const { url } = await emailedProofLink(stack, to.contactEmail, `the email of ${proof.number}`, (subject) => subject.includes(proof.number));
  return { id: proof.id, number: proof.number, url };
}
