/**
 * Service requests (seed 004) for the back office: created as a document of kind "request" with
 * its ServiceRequest row, then run by its workflow (`request-<id>`), which owns status, box,
 * proposals and the charge. Labels are the team's own and written here; internal notes and
 * the conversation are the document's messages (messages.ts). Every move is an Update whose
 * id is the caller's Idempotency-Key, so a retried move is taken once.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { rowFields } from '../../platform/rows';
import type { UpdateDefinition } from '@temporalio/common';
import type { Prisma } from '../../generated/prisma/client';
import { numberDocument, unnumbered } from '../../services/db/document-numbers';
import type { Plan } from '../../domain/plans';
import { AppError } from '../../domain/errors';
import { detailLines, documentSummary, plainMoney } from '../../domain/summaries';
import { AWAITING_RESPONSE_LABEL, FINAL_REQUEST_STATUSES, type RequestBilling, type RequestBox, type RequestStatus } from '../../domain/requests';
import { insertOnce } from '../../platform/db';
import { askWorkflow } from '../../platform/temporal';
import type { DecisionInput } from '../../workflows/messages/document';
import type { RequestView } from '../../workflows/machines/request';
import { requestUpdates, requestWorkflowId, type RequestWorkflowInput, type SellerMoveInput } from '../../workflows/messages/request';
import type { requestWorkflow } from '../../workflows/request';
import { documentSearchAttributes } from '../../workflows/search-attributes';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { assignDocument, checkAssignee } from './assignees';
import { postSellerMessage } from './messages';
import { mapPage, NEWEST_FIRST, readPage, type PageRequest } from './pagination';

export interface CreateRequestInput {
  customerId: string;
  product: string;
  options: Record<string, unknown>;
  plan?: Plan;
  billing: RequestBilling;
  priceOnQuote: boolean;
  /** The product's price, minor units (a request not on quote). */
  price?: number;
  assigneeId?: string;
}

const requestInclude = {
  document: { select: { number: true, status: true, customerId: true, assigneeId: true, createdAt: true, messages: { where: { internal: true }, orderBy: { createdAt: 'asc' } } } },
  proposals: { orderBy: { seq: 'asc' } },
  charges: { orderBy: { attempt: 'asc' } },
} as const satisfies Prisma.ServiceRequestInclude;
type RequestRow = Prisma.ServiceRequestGetPayload<{ include: typeof requestInclude }>;

/**
 * `documentId` is the route's createdId (api/openapi.ts): a create resent after its first
 * attempt wrote the request finds it, and starts its workflow if that attempt stopped before.
 */
export async function createRequest(deps: AppDeps, caller: TenantCaller, input: CreateRequestInput, documentId: string) {
  const { tenantId } = caller;
  const customer = await deps.prisma.customer.findFirst({ where: { id: input.customerId, tenantId }, include: { tenant: { select: { currency: true } } } });
  if (!customer) throw new AppError('not_found', `No customer ${input.customerId}.`);
  if (input.assigneeId && !(await deps.prisma.user.findFirst({ where: { id: input.assigneeId, tenantId }, select: { id: true } }))) {
    throw new AppError('not_found', `No user ${input.assigneeId}.`);
  }
  const workflowId = requestWorkflowId(documentId);
  const currency = input.plan?.currency ?? customer.tenant.currency;
  const write = () => deps.prisma.$transaction(async (tx) => {
    await tx.document.create({
      data: {
        id: documentId,
        tenantId,
        kind: 'request',
        number: unnumbered(documentId),
        title: input.product,
        // Received as it is made: pending, the status its workflow's first transition records too.
        status: 'pending',
        currency,
        customerId: customer.id,
        assigneeId: input.assigneeId ?? null,
        // Its price until a proposal says otherwise (syncServiceRequest).
        netTotal: input.price ?? 0,
        taxTotal: 0,
        grossTotal: input.price ?? 0,
        workflowId,
      },
    });
    await tx.serviceRequest.create({
      data: {
        documentId,
        tenantId,
        product: input.product,
        options: input.options as Prisma.InputJsonValue,
        ...(input.plan ? { plan: { ...input.plan } } : {}),
        billing: input.billing,
        priceOnQuote: input.priceOnQuote,
        price: input.price ?? null,
        box: 'inbox',
        labels: [],
      },
    });
    return { number: await numberDocument(tx, { id: documentId, tenantId, kind: 'request' }, new Date()) };
  });
  const document = await insertOnce(write, () => deps.prisma.document.findFirst({ where: { id: documentId, tenantId }, select: { number: true } }));
  const workflowInput: RequestWorkflowInput = {
    tenantId,
    documentId,
    customerId: customer.id,
    number: document.number,
    title: input.product,
    customerName: customer.name,
    sentBy: sellerActor(caller),
    priceOnQuote: input.priceOnQuote,
    ...(input.price !== undefined ? { price: input.price } : {}),
    billing: input.billing,
    currency,
    ...(input.plan ? { plan: input.plan } : {}),
  };
  try {
    await deps.temporal.workflow.start<typeof requestWorkflow>('requestWorkflow', {
      taskQueue: deps.config.taskQueue,
      workflowId,
      args: [workflowInput],
      typedSearchAttributes: documentSearchAttributes({ tenantId, kind: 'request', customerId: customer.id, status: 'pending' }),
      memo: { number: document.number, title: input.product },
      staticSummary: documentSummary('request', workflowInput),
      staticDetails: detailLines([
        ['Product', input.product],
        ['Customer', `${customer.name} (${customer.id})`],
        ['Billing', input.billing],
        ['Priced', input.priceOnQuote ? 'on quote: a proposal first' : input.price !== undefined ? plainMoney(input.price, currency) : 'without a price'],
        ['Plan', input.plan ? `${input.plan.name}, ${plainMoney(input.plan.amount, input.plan.currency ?? currency)} per ${input.plan.period}` : undefined],
      ]),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return getRequest(deps, tenantId, documentId);
}

async function findRequest(deps: AppDeps, tenantId: string, requestId: string): Promise<RequestRow> {
  const row = await deps.prisma.serviceRequest.findFirst({ where: { documentId: requestId, tenantId }, include: requestInclude });
  if (!row) throw new AppError('not_found', `No request ${requestId}.`);
  return row;
}

function presentRequest(row: RequestRow) {
  const status = row.document.status as RequestStatus;
  const proposals = row.proposals.map((proposal) => ({
    ...rowFields(proposal, ['seq', 'amount', 'currency', 'createdAt']),
    status: proposal.status as 'sent' | 'accepted' | 'declined' | 'withdrawn',
  }));
  const box = row.box as RequestBox;
  return {
    id: row.documentId,
    number: row.document.number,
    customerId: row.document.customerId,
    assigneeId: row.document.assigneeId,
    product: row.product,
    options: row.options as Record<string, unknown>,
    plan: row.plan ?? null,
    billing: row.billing as RequestBilling,
    priceOnQuote: row.priceOnQuote,
    price: row.price,
    status,
    box,
    // The awaiting-response label comes with the box, as Blackbell puts it on automatically.
    labels: box === 'awaiting_response' ? [AWAITING_RESPONSE_LABEL, ...row.labels.filter((label) => label !== AWAITING_RESPONSE_LABEL)] : row.labels,
    unread: row.unread,
    proposal: proposals.at(-1) ?? null,
    proposals,
    outcome: row.outcome as 'accepted' | 'declined' | null,
    handledWithoutProposal: row.handledWithoutProposal,
    paymentStatus: row.paymentStatus as 'paid' | 'unpaid' | null,
    payments: row.charges.map((charge) => ({
      ...rowFields(charge, ['attempt', 'amount', 'currency', 'failureCode', 'failureMessage', 'createdAt']),
      status: charge.status as 'pending' | 'succeeded' | 'failed',
      paymentId: charge.paymentIntentId,
    })),
    notes: row.document.messages.map((note) => rowFields(note, ['id', 'body', 'createdAt'])),
    subscriptionId: row.subscriptionId,
    declineReason: row.declineReason,
    createdAt: row.document.createdAt.toISOString(),
  };
}

export async function getRequest(deps: AppDeps, tenantId: string, requestId: string) {
  return presentRequest(await findRequest(deps, tenantId, requestId));
}

/**
 * A box's requests, newest first. Paged by their documents' (createdAt, id), which never
 * change: an unread-first order would move a request between pages as it is read.
 */
export async function listRequests(deps: AppDeps, tenantId: string, input: PageRequest & { box?: RequestBox }) {
  const page = await readPage(input, NEWEST_FIRST, async ({ after, orderBy: [byCreation, byId], take }) => {
    const rows = await deps.prisma.serviceRequest.findMany({
      where: { tenantId, ...(input.box ? { box: input.box } : {}), document: after },
      include: requestInclude,
      orderBy: [{ document: byCreation }, { document: byId }],
      take,
    });
    return rows.map((row) => ({ id: row.documentId, createdAt: row.document.createdAt, row }));
  });
  return mapPage(page, ({ row }) => presentRequest(row));
}

/** Another salesperson in charge of the request, at any status: recorded as `assigned`, nothing else moves (assignees.ts). */
export async function assignRequest(deps: AppDeps, caller: TenantCaller, requestId: string, assigneeId: string, decisionId: string) {
  const row = await findRequest(deps, caller.tenantId, requestId);
  await checkAssignee(deps, caller.tenantId, assigneeId);
  await assignDocument(deps, caller, { id: requestId, assigneeId: row.document.assigneeId }, assigneeId, decisionId);
  return presentRequest(await findRequest(deps, caller.tenantId, requestId));
}

/**
 * A move on the request's workflow, taken once per decision id; refused moves answer 409 with the
 * reason. A request whose workflow has ended answers `whyEnded` of its row, by default its status.
 */
async function move<TInput>(
  deps: AppDeps,
  tenantId: string,
  requestId: string,
  update: UpdateDefinition<RequestView, [TInput]>,
  input: TInput,
  decisionId: string,
  whyEnded: (row: RequestRow) => string = (row) => whyNotRunning(row.document.status),
) {
  // Another tenant's request, or none, is not found; why an ended workflow refuses is read when asked (a charge may have paid meanwhile).
  await findRequest(deps, tenantId, requestId);
  await executeRequestUpdate(deps.temporal, requestId, update, input, decisionId, async () => whyEnded(await findRequest(deps, tenantId, requestId)));
  return presentRequest(await findRequest(deps, tenantId, requestId));
}

const whyNotRunning = (status: string) => ((FINAL_REQUEST_STATUSES as readonly string[]).includes(status) ? `The request is ${status}` : 'The request is not running');

async function executeRequestUpdate<TInput>(
  client: Client,
  requestId: string,
  update: UpdateDefinition<RequestView, [TInput]>,
  input: TInput,
  decisionId: string,
  whyNoWorkflow: () => string | Promise<string>,
): Promise<RequestView> {
  return askWorkflow(() => client.workflow.getHandle(requestWorkflowId(requestId)).executeUpdate(update, { args: [input], updateId: decisionId }), whyNoWorkflow);
}

/** The customer's answer to the price proposal, from the request's link (portal). */
export function answerProposal(client: Client, requestId: string, answer: 'accept' | 'refuse', decisionId: string, input: DecisionInput): Promise<RequestView> {
  return executeRequestUpdate(client, requestId, answer === 'accept' ? requestUpdates.accept : requestUpdates.refuse, input, decisionId, () => whyNotRunning(''));
}

const seller = (caller: TenantCaller): SellerMoveInput => ({ actor: sellerActor(caller) });

export async function changeRequestStatus(deps: AppDeps, caller: TenantCaller, requestId: string, body: { status?: 'in_progress'; billing?: RequestBilling }, decisionId: string) {
  if (body.billing) {
    await move(deps, caller.tenantId, requestId, requestUpdates.changeBilling, { ...seller(caller), billing: body.billing }, `${decisionId}#billing`);
  }
  if (body.status === 'in_progress') return move(deps, caller.tenantId, requestId, requestUpdates.start, seller(caller), decisionId);
  return getRequest(deps, caller.tenantId, requestId);
}

export function sendPriceProposal(deps: AppDeps, caller: TenantCaller, requestId: string, amount: number, decisionId: string) {
  return move(deps, caller.tenantId, requestId, requestUpdates.sendProposal, { ...seller(caller), amount }, decisionId);
}

export function withdrawPriceProposal(deps: AppDeps, caller: TenantCaller, requestId: string, decisionId: string) {
  return move(deps, caller.tenantId, requestId, requestUpdates.withdrawProposal, seller(caller), decisionId);
}

/** The machine decides whether confirming needs a card; the API tells it whether the customer has one saved. */
export async function confirmRequest(deps: AppDeps, caller: TenantCaller, requestId: string, decisionId: string) {
  const { document } = await findRequest(deps, caller.tenantId, requestId);
  const customer = await deps.prisma.customer.findFirstOrThrow({ where: { id: document.customerId, tenantId: caller.tenantId }, select: { paymentCustomerId: true, paymentMethodId: true } });
  const cardSaved = customer.paymentCustomerId !== null && customer.paymentMethodId !== null;
  return move(deps, caller.tenantId, requestId, requestUpdates.confirm, { ...seller(caller), cardSaved }, decisionId);
}

/**
 * Charges a confirmed request's declined card again, through its workflow (the next attempt,
 * behind the answer); a charge in flight or a paid request is refused with the reason. A paid
 * request's workflow has ended: its row says why.
 */
export function retryRequestCharge(deps: AppDeps, caller: TenantCaller, requestId: string, decisionId: string) {
  return move(deps, caller.tenantId, requestId, requestUpdates.retryCharge, seller(caller), decisionId, (row) =>
    row.paymentStatus === 'paid' ? 'The request is already paid' : whyNotRunning(row.document.status),
  );
}

/** Declined by the request's workflow, which keeps the reason with the rest of the request's row. */
export function declineRequest(deps: AppDeps, caller: TenantCaller, requestId: string, reason: string | undefined, decisionId: string) {
  return move(deps, caller.tenantId, requestId, requestUpdates.decline, { ...seller(caller), ...(reason ? { reason } : {}) }, decisionId);
}

/** Team-only labels; the awaiting-response one follows the box and is not the team's to set. */
export async function changeRequestLabels(deps: AppDeps, caller: TenantCaller, requestId: string, body: { add?: string[]; remove?: string[] }) {
  const row = await findRequest(deps, caller.tenantId, requestId);
  const removed = new Set(body.remove ?? []);
  const labels = [...new Set([...row.labels, ...(body.add ?? [])])].filter((label) => !removed.has(label) && label !== AWAITING_RESPONSE_LABEL);
  await deps.prisma.serviceRequest.update({ where: { documentId: requestId }, data: { labels } });
  return getRequest(deps, caller.tenantId, requestId);
}

/** An internal note: a message the customer never sees. */
export async function addRequestNote(deps: AppDeps, caller: TenantCaller, requestId: string, body: string, decisionId: string) {
  await findRequest(deps, caller.tenantId, requestId);
  await postSellerMessage(deps, caller, requestId, { body, internal: true }, decisionId);
  return getRequest(deps, caller.tenantId, requestId);
}

/** The seller writes to the customer (emailed with the request's link); the first message takes the request in hand. */
export async function writeToRequestCustomer(deps: AppDeps, caller: TenantCaller, requestId: string, body: string, decisionId: string) {
  const row = await findRequest(deps, caller.tenantId, requestId);
  await postSellerMessage(deps, caller, requestId, { body, notifyCustomer: true }, decisionId);
  if (!(FINAL_REQUEST_STATUSES as readonly string[]).includes(row.document.status)) {
    return move(deps, caller.tenantId, requestId, requestUpdates.sellerWrote, seller(caller), decisionId);
  }
  return getRequest(deps, caller.tenantId, requestId);
}

/** Order statistics: requests handled without a price proposal are left out, and counted apart. */
export async function requestStats(deps: AppDeps, tenantId: string) {
  const closed = await deps.prisma.serviceRequest.findMany({
    where: { tenantId, box: 'closed' },
    select: {
      handledWithoutProposal: true,
      price: true,
      document: { select: { status: true, currency: true } },
      proposals: { where: { status: 'accepted' }, select: { amount: true, currency: true } },
    },
  });
  const counted = closed.filter((row) => !row.handledWithoutProposal);
  const confirmed = counted.filter((row) => row.document.status === 'confirmed');
  const confirmedAmounts: Record<string, number> = {};
  // A request confirmed at its price, no proposal accepted, counts its price.
  const amountsOf = (row: (typeof confirmed)[number]) =>
    row.proposals.length === 0 && row.price !== null ? [{ amount: row.price, currency: row.document.currency }] : row.proposals;
  for (const row of confirmed) for (const { amount, currency } of amountsOf(row)) confirmedAmounts[currency] = (confirmedAmounts[currency] ?? 0) + amount;
  return {
    confirmed: confirmed.length,
    declined: counted.filter((row) => row.document.status === 'declined').length,
    confirmedAmounts,
    excludedWithoutProposal: closed.length - counted.length,
  };
}
