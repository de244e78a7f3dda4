/** /v1/documents: create, read, list, audit trail, send / remind / cancel / PDF, and a proof's revisions. */
import { listChain, type ChainLink } from '../../services/db/chain';
import type { Message, Payment } from '../../generated/prisma/client';
import type { AppDeps } from '../app';
import type { DocumentKind } from '../../domain/documents';
import type { DocumentStatus } from '../../domain/document-statuses';
import type { DigitalStatus } from '../../domain/digital-status';
import type { ProofType } from '../../domain/proof-types';
import { depositAmountOf, depositPolicyOf } from '../../domain/deposit';
import { rowFields } from '../../platform/rows';
import { fileRoute, jsonRoute, uploadRoute } from '../openapi';
import { createDocument, getDocument, listDocumentEvents, listDocuments, type DocumentRow, type DocumentWithLines, type TrailEvent } from '../operations/documents';
import { mapPage } from '../operations/pagination';
import { convertForSeller, duplicateDocument } from '../operations/chain';
import { listDocumentMessages, postSellerMessage } from '../operations/messages';
import { cancelDocument, markInProduction, previewPdf, recordAnswer, remindDocument, reopenDocument, sendDocument } from '../operations/quote-lifecycle';
import { signatureBlock, type SignatureBlock } from '../operations/quote-signatures';
import { listPayments, presentPayment, recordOfflinePayment } from '../operations/payments';
import { createProofRevision, listRevisions, presentRevision, type RevisionWithPageCount } from '../operations/proof-revisions';
import { findSellerProof, readRevisionPage, readWatermarkedPdf } from '../operations/proof-files';
import { readProofTrail } from '../../services/db/proof-trail';
import { presentChangeRequests } from '../operations/proof-trail';
import { setPinResolution } from '../operations/proof-pins';
import {
  auditEventListSchema,
  cancelDocumentSchema,
  reopenDocumentSchema,
  convertDocumentSchema,
  createMessageSchema,
  createdRevisionSchema,
  revisionUploadQuerySchema,
  revisionUploadSchema,
  createDocumentSchema,
  documentListSchema,
  documentSchema,
  idParamsSchema,
  listDocumentsQuerySchema,
  messageListSchema,
  messageSchema,
  pageImageQuerySchema,
  pageImageSchema,
  pageQuerySchema,
  invoiceStateSchema,
  pdfSchema,
  recordAnswerSchema,
  recordPaymentSchema,
  revisionPageParamsSchema,
  revisionParamsSchema,
  revisionPinParamsSchema,
  changeRequestPinSchema,
  pinResolutionSchema,
  remindDocumentSchema,
  sendDocumentSchema,
  workflowStateSchema,
} from '../schemas';

/** A document as lists show it, and as the whole document begins. */
function presentSummary(document: DocumentRow) {
  return {
    ...rowFields(document, [
      ...['id', 'number', 'title', 'currency', 'customerId', 'contactId', 'assigneeId', 'version', 'createdAt', 'updatedAt'] as const,
      ...['validUntil', 'dueDate', 'sentAt', 'viewCount', 'openCount', 'lastViewedAt', 'downloadCount'] as const,
    ]),
    kind: document.kind as DocumentKind,
    status: document.status as DocumentStatus,
    digitalStatus: document.digitalStatus as DigitalStatus | null,
    proofType: document.proofType as ProofType | null,
    totals: { net: document.netTotal, tax: document.taxTotal, gross: document.grossTotal, currency: document.currency },
  };
}

type PresentedChangeRequest = Awaited<ReturnType<typeof presentChangeRequests>>[number];

function presentDocument(
  document: DocumentWithLines,
  chain: ChainLink[],
  signature: SignatureBlock | null,
  revisions: RevisionWithPageCount[],
  changeRequests: PresentedChangeRequest[],
) {
  return {
    ...presentSummary(document),
    lines: document.lines.map((line) => ({
      id: line.id,
      position: line.position,
      description: line.description,
      quantity: Number(line.quantity),
      unitPrice: line.unitPrice,
      taxRate: Number(line.taxRate),
      optional: line.optional,
      selected: line.selected,
      netAmount: line.netAmount,
      taxAmount: line.taxAmount,
    })),
    chain,
    signature,
    revisions: revisions.map((revision) => ({
      ...presentRevision(revision),
      changeRequests: changeRequests.filter((request) => request.revision === revision.number).map(({ revision: _, ...request }) => request),
    })),
  };
}

/** The document with its whole commercial chain (quote → order → delivery note → invoice). */
export async function presentWithChain(deps: AppDeps, document: DocumentWithLines) {
  const [chain, signature, revisions, changeRequests, payments] = await Promise.all([
    listChain(deps.prisma, document),
    signatureBlock(deps.prisma, deps.config.publicUrl, document),
    listRevisions(deps.prisma, document.id),
    document.kind === 'proof' ? proofChangeRequests(deps, document) : [],
    listPayments(deps.prisma, document.tenantId, document.id),
  ]);
  return { ...presentDocument(document, chain, signature, revisions, changeRequests), payments: payments.map(presentPayment), deposit: presentDeposit(document, payments) };
}

/** A quote's deposit (domain/deposit.ts): what it asks, and once paid, the payment that paid it (a quote's only payments are its deposit's). */
function presentDeposit(document: DocumentWithLines, payments: Payment[]) {
  const policy = depositPolicyOf(document);
  if (!policy) return null;
  const paid = payments.find((payment) => payment.status === 'succeeded');
  return {
    percent: document.depositBasisPoints === null ? null : document.depositBasisPoints / 100,
    amount: paid?.amount ?? depositAmountOf(document, document.grossTotal),
    policy,
    paidAt: paid?.paidAt?.toISOString() ?? null,
    paymentId: paid?.id ?? null,
  };
}

/** A draft this request just made: nothing can be beside it yet (no chain but itself, no signature, revision or payment), so nothing more is read. */
async function presentNewDraft(deps: AppDeps, document: DocumentWithLines) {
  return { ...presentDocument(document, await listChain(deps.prisma, document), null, [], []), payments: [], deposit: presentDeposit(document, []) };
}

/** The customer's change requests, read from the trail, to list with their revisions. */
async function proofChangeRequests(deps: AppDeps, document: DocumentWithLines): Promise<PresentedChangeRequest[]> {
  const trail = await readProofTrail(deps.prisma, document.tenantId, document.id);
  return presentChangeRequests(deps.prisma, document.tenantId, trail.changeRequests);
}

function presentMessage(message: Message) {
  return { ...rowFields(message, ['id', 'authorName', 'body', 'internal', 'createdAt']), author: message.author as 'customer' | 'seller' };
}

function presentEvent(event: TrailEvent) {
  return {
    ...rowFields(event, ['seq', 'type', 'at', 'actor']),
    data: event.data as Record<string, unknown>,
    ...(event.confirmed === undefined ? {} : { confirmed: event.confirmed }),
  };
}

export const documentRoutes = [
  jsonRoute({
    method: 'post',
    path: '/documents',
    operationId: 'createDocument',
    tag: 'Documents',
    summary: 'Create a document as a draft; lines are priced and totals computed',
    body: createDocumentSchema,
    bodyExample: {
      kind: 'quote',
      customerId: 'cus_Xk2v9QpL4mTn8bRw',
      contactId: 'con_7HqZc1sYv3WkPa2e',
      title: 'Flyers et affiches — printemps',
      lines: [
        { description: 'Flyers A5 recto-verso, 135 g', quantity: 1000, unitPrice: 9, taxRate: 20 },
        { description: 'Affiches A2, papier satiné', quantity: 25, unitPrice: 450, taxRate: 20 },
      ],
    },
    problems: ['conflict', 'unprocessable'],
    response: { status: 201, description: 'The draft', schema: documentSchema },
    handle: async ({ deps, caller, body, createdId }) => presentNewDraft(deps, await createDocument(deps.prisma, caller.tenantId, body, createdId('doc'))),
  }),
  jsonRoute({
    method: 'get',
    path: '/documents',
    operationId: 'listDocuments',
    tag: 'Documents',
    summary: 'List documents, newest first',
    query: listDocumentsQuerySchema,
    response: { status: 200, description: 'A page of documents', schema: documentListSchema },
    handle: async ({ deps, caller, query }) => mapPage(await listDocuments(deps.prisma, caller.tenantId, query), presentSummary),
  }),
  jsonRoute({
    method: 'get',
    path: '/documents/:id',
    operationId: 'getDocument',
    tag: 'Documents',
    summary: 'A document with its lines, counters and chain',
    params: idParamsSchema,
    response: { status: 200, description: 'The document', schema: documentSchema },
    handle: async ({ deps, caller, params }) => presentWithChain(deps, await getDocument(deps.prisma, caller.tenantId, params.id)),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/convert',
    operationId: 'convertDocument',
    tag: 'Chain',
    summary: 'Create the next document of the chain (order, delivery note, invoice) from this one',
    params: idParamsSchema,
    body: convertDocumentSchema,
    bodyExample: { to: 'order' },
    problems: ['conflict'],
    response: { status: 201, description: 'The new document, linked in the chain', schema: documentSchema },
    handle: async ({ deps, caller, params, body, decisionId }) => presentWithChain(deps, await convertForSeller(deps, caller, params.id, body.to, decisionId)),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/duplicate',
    operationId: 'duplicateDocument',
    tag: 'Chain',
    summary: 'A new draft with the same customer and lines, its own number, in no chain',
    params: idParamsSchema,
    problems: ['unavailable'],
    response: { status: 201, description: 'The copy', schema: documentSchema },
    handle: async ({ deps, caller, params, createdId }) => presentWithChain(deps, await duplicateDocument(deps, caller, params.id, createdId('doc'))),
  }),
  jsonRoute({
    method: 'get',
    path: '/documents/:id/messages',
    operationId: 'listDocumentMessages',
    tag: 'Conversation',
    summary: "The document's conversation, oldest first, internal notes included",
    params: idParamsSchema,
    query: pageQuerySchema,
    response: { status: 200, description: 'A page of messages', schema: messageListSchema },
    handle: async ({ deps, caller, params, query }) => mapPage(await listDocumentMessages(deps.prisma, caller.tenantId, params.id, query), presentMessage),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/messages',
    operationId: 'postDocumentMessage',
    tag: 'Conversation',
    summary: 'Write to the customer (notifyCustomer emails them a link), or an internal note they never see',
    params: idParamsSchema,
    body: createMessageSchema,
    bodyExample: { body: 'The proof for the flyers is ready: could you check the colours?', notifyCustomer: true },
    problems: ['unprocessable', 'unavailable'],
    response: { status: 201, description: 'The message', schema: messageSchema },
    handle: async ({ deps, caller, params, body, decisionId }) => presentMessage(await postSellerMessage(deps, caller, params.id, body, decisionId)),
  }),
  jsonRoute({
    method: 'get',
    path: '/documents/:id/events',
    operationId: 'listDocumentEvents',
    tag: 'Documents',
    summary: "The document's audit trail, in order",
    params: idParamsSchema,
    query: pageQuerySchema,
    response: { status: 200, description: 'A page of events', schema: auditEventListSchema },
    handle: async ({ deps, caller, params, query }) => mapPage(await listDocumentEvents(deps.prisma, caller.tenantId, params.id, query), presentEvent),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/send',
    operationId: 'sendDocument',
    tag: 'Documents',
    summary: 'Send a quote, an order, a delivery note, an invoice or a proof (its latest ready revision): starts its workflow (the portal link by email or SMS; for quotes reminders and expiry)',
    description:
      'Sent once: another send of a document sent or being sent is 409 (POST …/remind sends it again). The same send retried — its Idempotency-Key again, or the same request within ten minutes — is that send: answered 202 as it was, its workflow started if the first attempt stopped before (an API that died, an answer lost).',
    params: idParamsSchema,
    body: sendDocumentSchema,
    bodyExample: { to: { contactId: 'con_7HqZc1sYv3WkPa2e' }, channel: 'email', message: 'Here is our quote for your spring flyers.' },
    problems: ['conflict', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Sending', schema: workflowStateSchema },
    handle: ({ deps, caller, params, body, decisionId }) => sendDocument(deps, caller, params.id, body, decisionId),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/remind',
    operationId: 'remindDocument',
    tag: 'Documents',
    summary: 'Send the reminder now (the reminder template, not the first one; a proof: proof_reminder about its current revision)',
    params: idParamsSchema,
    body: remindDocumentSchema,
    bodyExample: {},
    problems: ['decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Reminder on its way', schema: workflowStateSchema },
    handle: ({ deps, caller, params, decisionId }) => remindDocument(deps, caller, params.id, decisionId),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/cancel',
    operationId: 'cancelDocument',
    tag: 'Documents',
    summary: 'Cancel a document (quote, order, delivery note, proof), recording who and why; the customer can no longer decide',
    params: idParamsSchema,
    body: cancelDocumentSchema,
    bodyExample: { reason: 'The customer chose another supplier' },
    problems: ['decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Cancelled', schema: workflowStateSchema },
    handle: ({ deps, caller, params, body, decisionId }) => cancelDocument(deps, caller, params.id, body, decisionId),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/production',
    operationId: 'markProofInProduction',
    tag: 'Documents',
    summary: "Mark an approved proof in production: the customer can no longer withdraw the approval",
    description:
      "The proof's workflow closes the customer's withdrawal window (settings.withdrawalWindow; by default it stays open until this) and records in_production (webhook document.in_production); the portal then says whom to call. 409 with the reason when the proof is not approved, already in production, or its window already ended.",
    params: idParamsSchema,
    problems: ['decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'In production', schema: workflowStateSchema },
    handle: ({ deps, caller, params, decisionId }) => markInProduction(deps, caller, params.id, decisionId),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/reopen',
    operationId: 'reopenDocument',
    tag: 'Documents',
    summary: 'Take a refused or expired quote up again as a new version, instead of duplicating it: the customer gets the new link and may decide again',
    description:
      "The quote's workflow starts again under its id, one version later: the version is written, recorded as reopened (webhook document.reopened) and emailed to the quote's contact with a new link, as a revision is; links to the earlier version only say a newer one exists. Validity: validUntil, else the settings' quoteValidity from now. 409 with the reason for any other status (an accepted quote is not reopened), a quote signed at an external provider, or a reopen already under way.",
    params: idParamsSchema,
    body: reopenDocumentSchema,
    bodyExample: { validUntil: '2027-01-31' },
    problems: ['decision_rejected', 'already_started', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Reopened', schema: workflowStateSchema },
    handle: ({ deps, caller, params, body }) => reopenDocument(deps, caller, params.id, body),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/record-answer',
    operationId: 'recordDocumentAnswer',
    tag: 'Documents',
    summary: "Record the customer's answer given off line (phone, counter, email) to a quote, an order or a delivery note: taken by its workflow as their decision, an open signing cancelled first",
    description:
      'The answer is recorded in the audit trail (accepted or refused, with channel, by and the time given in at) and sent to webhooks like a portal decision; an accepted quote then converts as any accepted quote (autoConvertToOrder). 409 with the reason when the document cannot take it (not sent, already answered, expired).',
    params: idParamsSchema,
    body: recordAnswerSchema,
    bodyExample: { answer: 'accepted', channel: 'phone', by: 'Åsa Öberg', at: '2026-03-02T10:15:00Z' },
    problems: ['decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 202, description: 'Taken', schema: workflowStateSchema },
    handle: ({ deps, caller, params, body, decisionId }) => recordAnswer(deps, caller, params.id, body, decisionId),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/payments',
    operationId: 'recordDocumentPayment',
    tag: 'Documents',
    summary: "Record a payment of an invoice received off line (transfer, cheque, cash): partially paid or paid, reminders stop once paid",
    description:
      "Counted by the invoice's workflow like an online payment: recorded in the trail as paid (partial: true while something is left), sent to webhooks (document.paid), listed in the document's payments with its method and reference. An amount above what is left to pay is refused (422).",
    params: idParamsSchema,
    body: recordPaymentSchema,
    bodyExample: { amount: 12000, method: 'transfer', receivedAt: '2026-03-02T10:15:00Z', reference: 'VIR-2026-0412' },
    problems: ['decision_rejected', 'unprocessable', 'unavailable'],
    response: { status: 201, description: 'Counted', schema: invoiceStateSchema },
    handle: ({ deps, caller, params, body, decisionId }) => recordOfflinePayment(deps, caller, params.id, body, decisionId),
  }),
  uploadRoute({
    method: 'post',
    path: '/documents/:id/revisions',
    operationId: 'createDocumentRevision',
    tag: 'Proofs',
    summary: "Upload a proof's next revision (multipart, field files); files are checked by content and the pages rendered on the worker",
    params: idParamsSchema,
    query: revisionUploadQuerySchema,
    upload: revisionUploadSchema,
    problems: ['conflict', 'payload_too_large', 'unsupported_media_type', 'unprocessable', 'unavailable'],
    files: (deps) => ({ field: 'files', maxFileBytes: deps.config.proofUploads.maxFileBytes, maxFiles: deps.config.proofUploads.maxFiles }),
    response: { status: 201, description: 'The revision, rendering', schema: createdRevisionSchema },
    handle: async ({ deps, caller, params, query, files, createdId }) => {
      const { revision, pages } = await createProofRevision(deps, caller, params.id, files, { revisionId: createdId('rev'), send: query.send ?? false });
      return { revision: presentRevision({ ...revision, _count: { pages } }), pages };
    },
  }),
  fileRoute({
    method: 'get',
    path: '/documents/:id/pdf',
    operationId: 'getDocumentPdf',
    tag: 'Documents',
    summary: "The document's PDF (a seller preview: recorded, not counted as a customer download); a proof's original",
    description:
      "A proof's PDF is its newest revision's original, rendered or not: the one PDF uploaded, byte for byte, or the files uploaded (images, PDFs) assembled in one PDF in page order — PDF pages copied, JPEGs embedded as they are, other images losslessly, each image page 595 pt wide. 404 before the first revision.",
    params: idParamsSchema,
    problems: ['unprocessable', 'unavailable'],
    response: { description: 'The PDF', contentType: 'application/pdf', schema: pdfSchema },
    handle: ({ deps, caller, params }) => previewPdf(deps, caller, params.id),
  }),
  fileRoute({
    method: 'get',
    path: '/documents/:id/revisions/:number/pages/:page',
    operationId: 'getRevisionPage',
    tag: 'Proofs',
    summary: 'A page of a ready revision as the customer sees it: preview (default, or its medium and small widths), zoom (watermarked, rendered on its first request) or thumbnail (JPEG)',
    params: revisionPageParamsSchema,
    query: pageImageQuerySchema,
    problems: ['unavailable'],
    response: { description: 'The page image', contentType: 'image/jpeg', schema: pageImageSchema },
    handle: async ({ deps, caller, params, query }) => {
      const proof = await findSellerProof(deps, caller.tenantId, params.id);
      const size = query.size ?? 'preview';
      const image = await readRevisionPage(deps, proof.id, params.number, params.page, size);
      return { bytes: image.bytes, filename: `${proof.number}-r${params.number}-p${params.page}-${size}.jpg` };
    },
  }),
  jsonRoute({
    method: 'patch',
    path: '/documents/:id/revisions/:number/pins/:pin',
    operationId: 'updateChangeRequestPin',
    tag: 'Proofs',
    summary: "Mark a pin of a revision's change request done (or not done after all): the next revision shows the customer which points were handled",
    description:
      "A fact recorded in the trail (`pin_resolved`, `pin_reopened`, with the seller as actor), at any status of the proof; the pin's state already asked records nothing. 404 when the revision has no change request or no such pin.",
    params: revisionPinParamsSchema,
    body: pinResolutionSchema,
    bodyExample: { resolved: true, note: 'Logo enlarged to 40 mm' },
    problems: ['unavailable'],
    response: { status: 200, description: 'The pin, as GET /v1/documents/{id} lists it', schema: changeRequestPinSchema },
    handle: ({ deps, caller, params, body }) => setPinResolution(deps, caller, params.id, params.number, params.pin, body),
  }),
  fileRoute({
    method: 'get',
    path: '/documents/:id/revisions/:number/pdf',
    operationId: 'getRevisionPdf',
    tag: 'Proofs',
    summary: "A ready revision's watermarked PDF, the one the customer downloads (pages at about 150 dpi, watermark in the pixels)",
    params: revisionParamsSchema,
    response: { description: 'The watermarked PDF', contentType: 'application/pdf', schema: pdfSchema },
    handle: async ({ deps, caller, params }) => {
      const proof = await findSellerProof(deps, caller.tenantId, params.id);
      const pdf = await readWatermarkedPdf(deps, proof.id, params.number);
      return { bytes: pdf.bytes, filename: `${proof.number}-r${params.number}-watermarked.pdf` };
    },
  }),
];
