/** Changing a document after it was sent (new versions), and the built-in signature's certificate. */
import { fileRoute, jsonRoute } from '../openapi';
import { updateDocument } from '../operations/quote-revisions';
import { sellerCertificate } from '../operations/quote-signatures';
import { documentSchema, idParamsSchema, pdfSchema, updateDocumentSchema } from '../schemas';
import { presentWithChain } from './documents';

export const quoteSignatureRoutes = [
  jsonRoute({
    method: 'patch',
    path: '/documents/:id',
    operationId: 'updateDocument',
    tag: 'Documents',
    summary: 'Change a document: a draft in place; a sent quote as a new version, emailed to the customer with a new link; the assignee of any document',
    description:
      "`assigneeId` alone never makes a version nor emails the customer: on any kind (requests included) at any status it is recorded as `assigned` (`{assigneeId, previousAssigneeId}`), and the seller's notices go to that user from then on; the same assignee again records nothing. A new `contactId` on a sent quote is a new version, sent to that contact (the former contact's link is outdated). Content of a document that is neither a draft nor a quote still open: 409.",
    params: idParamsSchema,
    body: updateDocumentSchema,
    bodyExample: { title: 'Flyers — printemps (v2)', lines: [{ description: 'Flyers A5 recto-verso, 170 g', quantity: 1500, unitPrice: 8, taxRate: 20 }] },
    problems: ['conflict', 'decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 200, description: 'The document as changed', schema: documentSchema },
    // An Idempotency-Key names the revision: the same key twice makes one version.
    handle: async ({ deps, caller, params, body, decisionId }) =>
      presentWithChain(deps, await updateDocument(deps, caller, params.id, body, decisionId)),
  }),
  fileRoute({
    method: 'get',
    path: '/documents/:id/signature/certificate',
    operationId: 'getSignatureCertificate',
    tag: 'Quotes',
    summary: 'The signature certificate: the evidence (signer, time, IP, consent, SHA-256 of the PDF shown), then the signed quote',
    params: idParamsSchema,
    response: { description: 'The certificate', contentType: 'application/pdf', schema: pdfSchema },
    handle: ({ deps, caller, params }) => sellerCertificate(deps, caller, params.id),
  }),
];
