/**
 * Proof uploads as a back office sends them: multipart, field `files`, in order. Raw fetch, not
 * the typed client: the generated types read the document's `format: binary` files as strings,
 * so the client cannot express a file upload.
 */
import { PDFDocument, rgb } from 'pdf-lib';

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
