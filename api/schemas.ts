/**
 * Every request and response of the back-office API as zod schemas. The same objects
 * validate requests (api/openapi.ts mounts each route with them) and generate
 * `GET /v1/openapi.json`, so the document cannot drift from what the server accepts.
 * Request objects are strict: an unknown field is a mistake worth a 400, not a silent no-op.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CONVERSION_TARGETS } from '../domain/chain';
import { DOCUMENT_KINDS, LINK_ACTIONS, LOCALES, NOTIFY_EVENTS, QUOTE_STATUSES } from '../domain/documents';
import { DECIDER_ROLES } from '../domain/deciders';
import { isIsoDuration } from '../domain/durations';
import { INVOICE_STATUSES } from '../domain/invoice';
import { DEPOSIT_POLICIES } from '../domain/deposit';
import { DOCUMENT_STATUSES } from '../domain/document-statuses';
import { DIGITAL_STATUSES, SIGNATURE_PURPOSES } from '../domain/digital-status';
import { PROOF_TYPES } from '../domain/proof-types';
import { isPlanPeriod } from '../domain/plans';
import { BRAND_COLOR_PATTERN, isTimeZone } from '../domain/seller';
import { isValidityDay } from '../domain/validity';
import { isIsoCurrency, toScaled } from '../domain/money';
import { AppError } from '../domain/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './operations/pagination';
import { ANSWER_CHANNELS, OFFLINE_ANSWERS, PAYMENT_METHODS } from '../domain/offline';

extendZodWithOpenApi(z);

/** The largest value of a 32-bit integer column: counts, positions and amounts are stored so. */
const MAX_STORED_INT = 2_147_483_647;
/** Amounts are stored as 32-bit integers of minor units (21 million in a 2-digit currency). */
export const MAX_AMOUNT = MAX_STORED_INT;
/** A revision or page number in a path: a larger one names nothing, and PostgreSQL refuses to look it up. */
const pathOrdinal = z.coerce.number().int().positive().max(MAX_STORED_INT);

// ---------------------------------------------------------------- building blocks

const id = z.string().min(1).max(64);
const dateTime = z.iso.datetime({ offset: true }).openapi({ example: '2026-03-01T09:30:00Z' });
/** A quote's validity as the seller writes it (domain/validity.ts): a day lasts to its end where the customer reads it. */
const validUntilInput = z.union([z.iso.date().refine(isValidityDay, 'a day from year 1'), dateTime]).openapi({
  example: '2027-01-03',
  description:
    "A day (2027-01-03): the quote stays valid through 23:59:59.999 of that day in the customer's time zone (else the settings' timeZone, else UTC); a timestamp with an offset is taken as given. Absent: the settings' quoteValidity from the send, to the end of the day it ends on",
});
/**
 * A refinement whose failure is not malformed input but a well-formed value we cannot act on
 * (a currency code ISO does not know): 422, not 400 (see validationError).
 */
const UNPROCESSABLE = { unprocessable: true } as const;

const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'an ISO 4217 code in capitals, like EUR', abort: true })
  .refine(isIsoCurrency, { error: (issue) => `${String(issue.input)} is not an ISO 4217 currency code`, params: UNPROCESSABLE })
  .openapi({ example: 'EUR', description: 'An ISO 4217 currency code; a well-formed code ISO does not list is 422' });
const email = z.email().max(320);
const phone = z
  .string()
  .regex(/^\+?[0-9 ().-]{4,32}$/, 'a phone number, preferably in E.164 (+33612345678)')
  .openapi({ example: '+33612345678' });
/** BCP 47 language tag, short form; the portal speaks fr, en and sv and falls back to en. */
const languageTag = z
  .string()
  .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag like fr or sv-SE')
  .openapi({ example: 'fr' });
const isoDuration = z
  .string()
  .refine(isIsoDuration, 'a positive ISO 8601 duration, like P3D or PT30M')
  .openapi({ example: 'P3D' });

/** Accepts a decimal with at most `scale` digits after the point (what domain/money keeps exactly). */
function hasAtMostDecimals(scale: number) {
  return (value: number) => {
    try {
      toScaled(value, scale);
      return true;
    } catch {
      return false;
    }
  };
}

// ---------------------------------------------------------------- errors

function isUnprocessable(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && issue.params?.unprocessable === true;
}

/**
 * A zod failure as the API answers it, with one entry per field: 400 validation_failed, or
 * 422 unprocessable when every field is well-formed and only unknown to us (UNPROCESSABLE).
 */
export function validationError(error: z.ZodError, prefix?: string): AppError {
  const pathOf = (segments: readonly PropertyKey[]) => [...(prefix ? [prefix] : []), ...segments.map(String)].join('.');
  // An unknown field is reported at its own path, so the client sees which one to remove.
  const errors = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
  if (error.issues.every(isUnprocessable)) {
    return new AppError('unprocessable', errors.map(({ path, message }) => `${path}: ${message}`).join('; '), errors);
  }
  return new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', errors);
}

/** Parses or throws validation_failed, naming where the value came from (body, query, params, headers). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params' | 'headers'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where === 'body' ? undefined : where);
  return result.data;
}

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() }).openapi('FieldError');

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://greenlight.dev/problems/validation-failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().openapi({
      description: 'Names the request this answers, as urn:request:<id> (the X-Request-Id response header); quote it to support. A replayed answer (Idempotent-Replayed) names the request first answered.',
      example: 'urn:request:3f1c9a2e-5b7d-4e8a-9c0f-1a2b3c4d5e6f',
    }),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

// ---------------------------------------------------------------- common parameters

export const idParamsSchema = z.strictObject({ id: id.openapi({ param: { name: 'id', in: 'path' } }) });

// ---------------------------------------------------------------- lists

/**
 * The query of a list (API.md "Lists"): its own filters beside `?limit=&cursor=`. Every list
 * is built with this and pageSchema, and read with api/operations/pagination.ts.
 */
export function listQuerySchema<Filters extends z.ZodRawShape>(filters: Filters) {
  return z.strictObject({
    ...filters,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .optional()
      .openapi({ description: `Page size, ${DEFAULT_PAGE_SIZE} when absent, ${MAX_PAGE_SIZE} at most` }),
    cursor: z.string().min(1).max(200).optional().openapi({ description: 'The nextCursor of the page before; absent: the first page' }),
  });
}

/** The query of a list without filters of its own. */
export const pageQuerySchema = listQuerySchema({});

/** One page of a list, named in the document `<name>`. */
export function pageSchema<Item extends z.ZodType>(item: Item, name: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'Pass it as ?cursor= for the next page; null on the last one' }),
    })
    .openapi(name);
}

export const idempotencyHeadersSchema = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: {
        description:
          'The same key and body within 24 h returns the first answer; the same key with another body is 422. ' +
          'The key is also the decision id of a decision (cancel, remind, convert…). Without a key, the same request within ' +
          'the same ten minutes is taken as a retry of the same decision: it is taken once and answered as it was.',
      },
    }),
});

// ---------------------------------------------------------------- tenants

export const createTenantSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    locale: z.enum(LOCALES).optional(),
    currency: currency.optional(),
  })
  .openapi('CreateTenant');

export const createdTenantSchema = z
  .object({
    id,
    name: z.string(),
    apiKey: z.string().openapi({ description: 'Shown once; store it now.', example: 'gl_live_…' }),
  })
  .openapi('CreatedTenant');

// ---------------------------------------------------------------- users

const notifyChannels = z.array(z.enum(['email', 'sms'])).max(2);
export const notifyPreferencesSchema = z
  .strictObject(Object.fromEntries(NOTIFY_EVENTS.map((event) => [event, notifyChannels.optional()])) as Record<
    (typeof NOTIFY_EVENTS)[number],
    z.ZodOptional<typeof notifyChannels>
  >)
  .openapi('NotifyPreferences');

export const createUserSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email,
    phone: phone.optional().openapi({ description: "The mobile the user's SMS notices go to: stored in E.164, a national number read in the seller's country; one that cannot be dialled is 422" }),
    notify: notifyPreferencesSchema.optional(),
  })
  .openapi('CreateUser');

export const updateUserSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    email: email.optional(),
    phone: phone.nullable().optional().openapi({ description: 'Stored in E.164 (one that cannot be dialled is 422); null removes it' }),
    notify: notifyPreferencesSchema.optional().openapi({ description: 'Changes the events it names; the others keep their channels' }),
  })
  .openapi('UpdateUser');

export const userSchema = z
  .object({
    id,
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    notify: notifyPreferencesSchema.required().openapi('UserNotifyPreferences', {
      description: 'Every event with its channels: those the user chose, the defaults for the others (decisions, signatures, messages and payments by email; views and downloads off)',
    }),
    createdAt: dateTime,
  })
  .openapi('User');

export const userListSchema = pageSchema(userSchema, 'UserList');

// ---------------------------------------------------------------- customers and contacts

export const proofTypeSchema = z.enum(PROOF_TYPES).openapi('ProofType', {
  description: 'online: approved on the portal; email: the same, with the watermarked PDF attached to the email; none: no proof',
});

/** A customer's choice: a proof type, or "default" (or null) for the tenant's defaultProofType. */
const customerProofTypeInput = z
  .enum([...PROOF_TYPES, 'default'])
  .nullable()
  .openapi({ description: 'Overrides the tenant\'s defaultProofType; "default" or null follows it' });

const timeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { message: 'an IANA time zone name, such as Europe/Paris or UTC' })
  .openapi({ description: 'IANA time zone times are written in (a customer’s, else the tenant’s; null: UTC)', example: 'Europe/Paris' });

export const createCustomerSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: email.optional(),
    phone: phone.optional(),
    locale: languageTag.optional(),
    timeZone: timeZoneSchema.optional(),
    termsAcceptedAt: dateTime.optional(),
    termsVersion: z.string().min(1).max(50).optional(),
    proofType: customerProofTypeInput.optional(),
  })
  .openapi('CreateCustomer');

export const updateCustomerSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    locale: languageTag.nullable().optional(),
    timeZone: timeZoneSchema.nullable().optional(),
    proofType: customerProofTypeInput.optional(),
    savedCard: z
      .strictObject({ paymentMethodId: z.string().regex(/^pm_\w+$/).max(255) })
      .optional()
      .openapi({ description: "A card the customer gave the payment provider (pm_…): saved for off-session charges (service requests, subscriptions)" }),
  })
  .openapi('UpdateCustomer');

export const customerSchema = z
  .object({
    id,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    locale: z.string().nullable(),
    timeZone: z.string().nullable().openapi({ description: "IANA time zone of the customer's pages, emails and PDFs; null: the tenant's" }),
    termsAcceptedAt: dateTime.nullable(),
    termsVersion: z.string().nullable(),
    termsAcceptedBy: z
      .object({
        name: z.string().nullable(),
        email: z.string().nullable(),
        linkId: z.string(),
        colleague: z.boolean().openapi({ description: 'A colleague the proof was forwarded to accepted them' }),
      })
      .nullable()
      .openapi({ description: 'Who ticked the terms of sale when approving a proof; null when set through the API' }),
    proofType: proofTypeSchema.nullable().openapi({ description: "The customer's override; null: the tenant's default" }),
    effectiveProofType: proofTypeSchema.openapi({ description: 'What a proof for this customer uses now (the override, else the tenant default)' }),
    savedCard: z.object({ paymentMethodId: z.string() }).nullable().openapi({ description: 'The card charged off-session; null: none saved' }),
    createdAt: dateTime,
  })
  .openapi('Customer');

export const listCustomersQuerySchema = listQuerySchema({
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Customers whose name or email holds this, in any case' }),
});

export const customerListSchema = pageSchema(customerSchema, 'CustomerList');

export const createContactSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: email.optional(),
    phone: phone.optional(),
  })
  .openapi('CreateContact');

export const contactSchema = z
  .object({
    id,
    customerId: id,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    createdAt: dateTime,
  })
  .openapi('Contact');

export const contactListSchema = pageSchema(contactSchema, 'ContactList');

// ---------------------------------------------------------------- settings

const termsOfSaleSchema = z.strictObject({
  version: z.string().min(1).max(50),
  text: z.string().min(1).max(100_000),
});

/**
 * Email and SMS templates: { "<template name>": { "<locale>": { subject?, body?, sms? } } }.
 * The email's subject and body come together; a part left out keeps Greenlight's wording.
 */
const templatesSchema = z.record(
  z.string().min(1).max(50),
  z.record(
    languageTag,
    z
      .strictObject({
        subject: z.string().min(1).max(300).optional(),
        body: z.string().min(1).max(20_000).optional(),
        sms: z.string().min(1).max(640).optional().openapi({ description: 'The SMS text (up to four SMS parts)' }),
      })
      .refine((text) => (text.subject === undefined) === (text.body === undefined), { message: 'subject and body go together' })
      .refine((text) => text.subject !== undefined || text.sms !== undefined, { message: 'give the email (subject and body), the sms, or both' }),
  ),
);

export const SIGNATURE_PROVIDERS = ['builtin', 'getaccept'] as const;

const optionalText = (max: number, description: string) => z.string().trim().min(1).max(max).optional().openapi({ description });

/** The seller as customers see it on the portal, PDFs and emails (domain/seller.ts). Sent whole: a PATCH replaces it. */
export const sellerSchema = z
  .strictObject({
    legalName: z.string().trim().min(1).max(200).openapi({ description: 'The legal name, shown as the sender of every page, PDF and email' }),
    address: optionalText(500, 'Postal address; line breaks kept'),
    phone: optionalText(50, 'Phone number as it should be printed'),
    email: z.email().max(254).optional(),
    website: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional()
      .openapi({ description: 'http(s) address' }),
    taxId: optionalText(50, 'VAT number (FR40303265045, SE556000000001)'),
    companyId: optionalText(50, 'Company registration: SIRET, organisationsnummer, company number'),
    bankDetails: optionalText(500, 'Printed on invoices: IBAN, BIC, bank; line breaks kept'),
    paymentTerms: optionalText(500, 'Printed on invoices under the due date'),
    brandColor: z
      .string()
      .regex(BRAND_COLOR_PATTERN, 'a colour as #rrggbb')
      .optional()
      .openapi({ description: 'Accent colour of portal pages, PDFs and emails (#rrggbb); text on it is chosen to keep 4.5:1 contrast' }),
  })
  .openapi('Seller');

export const logoSchema = z
  .object({
    url: z.string().openapi({ description: 'Public address of the logo (PNG), changing with its content' }),
    width: z.number().int(),
    height: z.number().int(),
    updatedAt: dateTime,
  })
  .openapi('Logo');

export const updateSettingsSchema = z
  .strictObject({
    hourlyRate: z.number().int().min(0).max(MAX_AMOUNT).nullable().optional().openapi({ description: 'Minor units per hour' }),
    defaultProofType: proofTypeSchema.nullable().optional().openapi({ description: 'Proof type of customers without their own; null: online' }),
    termsOfSale: termsOfSaleSchema.nullable().optional(),
    reminderAfter: isoDuration.optional(),
    maxReminders: z.number().int().min(0).max(20).optional(),
    signaturePollInterval: isoDuration.optional(),
    quoteValidity: isoDuration.optional(),
    invoiceDueAfter: isoDuration.optional().openapi({ description: 'Payment terms: an invoice made from an order (or a delivery note) is due this long after it is made', example: 'P30D' }),
    requireSignature: z.boolean().optional(),
    autoConvertToOrder: z.boolean().optional(),
    withdrawalWindow: isoDuration
      .nullable()
      .optional()
      .openapi({ description: 'How long after accepting a quote on the portal the customer may withdraw it (PT0S: never); null: until the seller converts it', example: 'P2D' }),
    signatureProvider: z.enum(SIGNATURE_PROVIDERS).optional(),
    allowPrivateWebhookUrls: z.boolean().optional().openapi({ description: 'Development only' }),
    payOnline: z.boolean().optional().openapi({ description: 'Invoices show "Pay online" on the portal (card payment through Stripe Checkout)' }),
    templates: templatesSchema.optional(),
    notifyEmail: email
      .nullable()
      .optional()
      .openapi({ description: "Gets the seller's notices (decisions, messages, payments) of a document without assignee; null: nobody" }),
    seller: sellerSchema.nullable().optional().openapi({ description: 'Replaced whole; null: the tenant name only' }),
    timeZone: timeZoneSchema.nullable().optional(),
  })
  .openapi('UpdateSettings');

export const settingsSchema = z
  .object({
    hourlyRate: z.number().int().nullable(),
    defaultProofType: proofTypeSchema,
    termsOfSale: termsOfSaleSchema.nullable(),
    reminderAfter: z.string(),
    maxReminders: z.number().int(),
    signaturePollInterval: z.string(),
    quoteValidity: z.string(),
    invoiceDueAfter: z.string(),
    requireSignature: z.boolean(),
    autoConvertToOrder: z.boolean(),
    withdrawalWindow: z.string().nullable().openapi({ description: 'How long an acceptance may be withdrawn; null: until the quote is converted' }),
    signatureProvider: z.string(),
    allowPrivateWebhookUrls: z.boolean(),
    payOnline: z.boolean(),
    templates: templatesSchema,
    notifyEmail: z.string().nullable().openapi({ description: "Gets the seller's notices of a document without assignee" }),
    seller: sellerSchema.nullable(),
    timeZone: z.string().nullable(),
    logo: logoSchema.nullable().openapi({ description: 'Set with PUT /v1/settings/logo' }),
    updatedAt: dateTime,
  })
  .openapi('Settings');

// ---------------------------------------------------------------- documents

export const lineInputSchema = z
  .strictObject({
    description: z.string().trim().min(1).max(2000),
    quantity: z
      .number()
      .positive()
      .max(1e9)
      .refine(hasAtMostDecimals(4), 'at most 4 decimals')
      .openapi({ example: 1.5 }),
    unitPrice: z
      .number()
      .int()
      .min(-MAX_AMOUNT)
      .max(MAX_AMOUNT)
      .openapi({ description: 'Minor units of the document currency; negative for a discount', example: 12000 }),
    taxRate: z.number().min(0).max(100).refine(hasAtMostDecimals(2), 'at most 2 decimals').optional().openapi({ example: 20 }),
    optional: z.boolean().optional(),
  })
  .openapi('LineInput');

const depositInputSchema = z
  .union([
    z.strictObject({ percent: z.number().gt(0).max(100).refine(hasAtMostDecimals(2), 'at most 2 decimals').openapi({ description: 'A share of the gross total', example: 30 }) }),
    z.strictObject({ amount: z.number().int().min(1).max(MAX_AMOUNT).openapi({ description: 'Minor units of the document currency (never more than the gross total is asked)', example: 50000 }) }),
  ])
  .openapi('DepositInput', {
    description:
      'Quotes: a deposit the customer pays with their yes on the portal, on the hosted payment page (the tenant must take payments). The amount asked is the share of the gross total when the customer pays, rounded to the minor unit',
  });

const depositPolicySchema = z.enum(DEPOSIT_POLICIES).openapi('DepositPolicy', {
  description:
    'accept_when_paid (the default): the quote is accepted once the deposit is paid, and stays unaccepted (the customer may try again) when a card is declined. accept_then_pay: the quote is accepted at once and the deposit is due; a declined card leaves it accepted, the deposit unpaid',
});

export const createDocumentSchema = z
  .strictObject({
    kind: z.enum(DOCUMENT_KINDS),
    customerId: id,
    contactId: id.optional(),
    assigneeId: id.optional(),
    title: z.string().trim().min(1).max(300).optional(),
    number: z.string().trim().min(1).max(64).optional().openapi({ description: 'Assigned per tenant and kind when absent' }),
    currency: currency.optional(),
    lines: z.array(lineInputSchema).max(500).optional(),
    validUntil: validUntilInput.optional(),
    dueDate: dateTime.optional(),
    deposit: depositInputSchema.optional(),
    depositPolicy: depositPolicySchema.optional().openapi({ description: 'With a deposit only; accept_when_paid when absent' }),
  })
  .openapi('CreateDocument');

export const totalsSchema = z
  .object({ net: z.number().int(), tax: z.number().int(), gross: z.number().int(), currency })
  .openapi('Totals');

export const lineSchema = z
  .object({
    id,
    position: z.number().int(),
    description: z.string(),
    quantity: z.number(),
    unitPrice: z.number().int(),
    taxRate: z.number(),
    optional: z.boolean(),
    selected: z.boolean(),
    netAmount: z.number().int(),
    taxAmount: z.number().int(),
  })
  .openapi('Line');

export const documentStatusSchema = z
  .enum(DOCUMENT_STATUSES)
  .openapi('DocumentStatus', { description: "A document's status; which ones a document goes through depends on its kind" });

export const chainLinkSchema = z
  .object({ id, kind: z.enum(DOCUMENT_KINDS), number: z.string(), status: documentStatusSchema })
  .openapi('ChainLink');

export const signatureBlockSchema = z
  .object({
    signerName: z.string(),
    signerEmail: z.string().nullable(),
    signedAt: dateTime,
    certificateUrl: z.url().openapi({ description: 'The signature certificate PDF (evidence, then the signed quote)' }),
  })
  .openapi('SignatureSummary');

export const revisionSummarySchema = z
  .object({
    id,
    number: z.number().int().openapi({ description: '1, 2, 3 … in upload order; every revision is kept' }),
    status: z.enum(['rendering', 'ready', 'failed']),
    failureReason: z.string().nullable().openapi({ description: 'Why rendering failed (status failed)' }),
    pages: z.number().int(),
    createdAt: dateTime,
  })
  .openapi('RevisionSummary');

export const proofPinSchema = z
  .object({
    page: z.number().int().openapi({ description: 'The page, 1-based, in the order shown' }),
    x: z.number().openapi({ description: 'From the left edge, as a fraction of the page width (0 to 1)' }),
    y: z.number().openapi({ description: 'From the top edge, as a fraction of the page height (0 to 1)' }),
    comment: z.string(),
  })
  .openapi('ProofPin');

export const changeRequestPinSchema = proofPinSchema
  .extend({
    number: z.number().int().openapi({ description: 'The pin as numbered on the pages, 1-based: the `:pin` of its resolution' }),
    resolved: z.boolean().openapi({ description: 'The seller marked it done (PATCH …/revisions/{number}/pins/{pin})' }),
    resolution: z
      .object({
        resolved: z.boolean(),
        at: dateTime,
        actor: z.string().openapi({ description: 'As the audit trail names the seller: seller or user:<id>' }),
        note: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "The seller's last word on it; null while they said nothing" }),
  })
  .openapi('ChangeRequestPin');

/** PATCH /v1/documents/:id/revisions/:number/pins/:pin */
export const pinResolutionSchema = z
  .strictObject({
    resolved: z.boolean().openapi({ description: 'true: done; false: not done after all' }),
    note: z.string().trim().min(1).max(1000).optional().openapi({ description: 'What was done, for the seller’s team (the customer sees the mark, not the note)' }),
  })
  .openapi('PinResolution');

export const changeRequestSchema = z
  .object({
    comment: z.string(),
    pins: z.array(changeRequestPinSchema),
    at: dateTime,
    by: z.object({
      actor: z.string().openapi({ description: 'As the audit trail names it: customer:<linkId>' }),
      name: z.string().nullable(),
      email: z.string().nullable(),
    }),
  })
  .openapi('ChangeRequest');

/** A revision as the document lists it: with the change requests the customer made on it. */
export const documentRevisionSchema = revisionSummarySchema
  .extend({ changeRequests: z.array(changeRequestSchema).openapi({ description: 'What the customer asked to change on this revision (comment and pins), oldest first' }) })
  .openapi('DocumentRevision');

export const revisionPageParamsSchema = z.strictObject({
  id: id.openapi({ param: { name: 'id', in: 'path' } }),
  number: pathOrdinal.openapi({ param: { name: 'number', in: 'path', description: 'The revision number' } }),
  page: pathOrdinal.openapi({ param: { name: 'page', in: 'path', description: 'The page, 1-based, in the order shown' } }),
});

export const revisionParamsSchema = revisionPageParamsSchema.omit({ page: true });

export const revisionPinParamsSchema = revisionParamsSchema.extend({
  pin: pathOrdinal.openapi({ param: { name: 'pin', in: 'path', description: "The pin's number in the revision's change request, 1-based" } }),
});

/** The images each proof page is rendered to (services/render/proof-pages.ts). */
export const PAGE_IMAGE_SIZES = ['preview', 'medium', 'small', 'zoom', 'thumbnail'] as const;

export const pageImageQuerySchema = z.strictObject({
  size: z
    .enum(PAGE_IMAGE_SIZES)
    .optional()
    .openapi({
      description:
        'preview (about 1600 px wide, the default), medium (1200 px) and small (800 px) for srcset, zoom (about 3200 px, watermarked, rendered on its first request) or thumbnail (320 px)',
    }),
});

export const pageImageSchema = z.unknown().openapi({ description: 'The page as a JPEG image' });

export const createdRevisionSchema = z
  .object({ revision: revisionSummarySchema, pages: z.number().int() })
  .openapi('CreatedRevision');

export const revisionUploadQuerySchema = z.strictObject({
  send: z
    .stringbool()
    .optional()
    .openapi({ description: 'Send the proof with this revision once it is rendered (starts its workflow when it has not been sent yet)' }),
});

export const revisionUploadSchema = z
  .object({
    files: z.array(z.string().openapi({ format: 'binary' })).openapi({
      description: 'One multi-page PDF, or several single-page files (PDF, JPEG, PNG, TIFF): the pages are shown in the order given',
    }),
  })
  .openapi('RevisionUpload');

export const paymentSchema = z
  .object({
    id,
    provider: z.string().openapi({ example: 'stripe' }),
    status: z.enum(['open', 'succeeded', 'failed', 'expired']).openapi({ description: 'open: a payment page waits for the customer; succeeded: the money is taken' }),
    amount: z.number().int().openapi({ description: 'Minor units of currency' }),
    currency,
    checkoutSessionId: z.string().nullable().openapi({ description: "The provider's hosted payment (Stripe Checkout Session)" }),
    paymentIntentId: z.string().nullable().openapi({ description: "The provider's payment (Stripe PaymentIntent), once there is one; a payment received off line: its own id" }),
    method: z.enum(PAYMENT_METHODS).nullable().openapi({ description: 'A payment received off line (provider "offline"): how; null for online payments' }),
    reference: z.string().nullable().openapi({ description: "A payment received off line: the seller's reference (bank transfer id, cheque number)" }),
    paidAt: dateTime.nullable(),
    receiptNumber: z.string().nullable().openapi({ description: 'The receipt the customer downloads from the portal, once paid' }),
    createdAt: dateTime,
  })
  .openapi('Payment');

/** A subscription's plan (domain/plans.ts): an amount charged each period to the customer's saved card. */
export const planSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    amount: z.number().int().min(1).max(2_147_483_647).openapi({ description: 'Minor units charged each period' }),
    currency: currency.optional().openapi({ description: 'The tenant currency when absent' }),
    period: z
      .string()
      .refine(isPlanPeriod, "'monthly', 'yearly' or a positive ISO 8601 duration like P14D")
      .openapi({ example: 'monthly', description: "'monthly' and 'yearly' are calendar periods (UTC) counted from the start; an ISO 8601 duration is a fixed length" }),
    startsAt: z
      .union([z.iso.date(), z.iso.datetime({ offset: true })])
      .optional()
      .openapi({ example: '2026-12-01', description: 'In the future: the subscription is scheduled until then; absent or past: it starts at once' }),
  })
  .openapi('Plan');

const depositSchema = z
  .object({
    percent: z.number().nullable().openapi({ description: 'The share of the gross total asked; null for a fixed amount', example: 30 }),
    amount: z.number().int().openapi({ description: 'Minor units: what the deposit is, on the gross total as it stands (or as it was when paid)', example: 3690 }),
    policy: depositPolicySchema,
    paidAt: dateTime.nullable().openapi({ description: 'When the deposit was paid; null while it is not' }),
    paymentId: id.nullable().openapi({ description: 'The payment (in `payments`) that paid it' }),
  })
  .openapi('Deposit');

export const documentSchema = z
  .object({
    id,
    kind: z.enum(DOCUMENT_KINDS),
    number: z.string(),
    title: z.string().nullable(),
    status: documentStatusSchema,
    digitalStatus: z.enum(DIGITAL_STATUSES).nullable(),
    currency,
    totals: totalsSchema,
    lines: z.array(lineSchema),
    customerId: id,
    contactId: id.nullable(),
    assigneeId: id.nullable(),
    validUntil: dateTime.nullable().openapi({ description: 'The instant a quote stops being acceptable: a day the seller gave, at its end in the customer\'s time zone' }),
    dueDate: dateTime.nullable(),
    sentAt: dateTime.nullable(),
    chain: z.array(chainLinkSchema),
    viewCount: z.number().int().openapi({ description: "Views a person made: a page open confirmed by the reader's input (a tap, click, key, wheel turn or pointer movement) or by acting from it" }),
    openCount: z
      .number()
      .int()
      .openapi({ description: 'Every open of the portal page, mail scanners and unconfirmed opens included; each is an `opened` event, `confirmed` once it became one of the viewCount views' }),
    lastViewedAt: dateTime.nullable(),
    downloadCount: z.number().int(),
    version: z.number().int().openapi({ description: 'Bumped by every change made after the quote was sent' }),
    signature: signatureBlockSchema.nullable().openapi({ description: 'Set once the customer signed (built-in signature)' }),
    revisions: z.array(documentRevisionSchema).openapi({ description: 'Proofs: every uploaded revision, oldest first, with its change requests (empty for other kinds)' }),
    proofType: proofTypeSchema.nullable().openapi({ description: "Proofs: how it is sent, resolved from the customer's and the tenant's settings at creation (null for other kinds)" }),
    payments: z.array(paymentSchema).openapi({
      description: "Invoices: every payment page opened and every payment taken, oldest first; quotes: their deposit's (empty for other kinds)",
    }),
    deposit: depositSchema.nullable().openapi({ description: 'Quotes: the deposit asked with the yes (null when none)' }),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .openapi('Document');

export const documentSummarySchema = documentSchema
  .omit({ lines: true, chain: true, signature: true, revisions: true, payments: true, deposit: true })
  .openapi('DocumentSummary');

export const listDocumentsQuerySchema = listQuerySchema({
  kind: z.enum(DOCUMENT_KINDS).optional(),
  digitalStatus: z.enum(DIGITAL_STATUSES).optional().openapi({ description: 'Documents out for digital signing in this status' }),
  // An invoice's statuses (paid, partially_paid, overdue) beside the quote's.
  status: z.union([z.enum(QUOTE_STATUSES), z.enum(INVOICE_STATUSES)]).optional(),
  customerId: id.optional(),
});

export const documentListSchema = pageSchema(documentSummarySchema, 'DocumentList');

export const auditEventSchema = z
  .object({
    seq: z.number().int(),
    type: z.string().openapi({ example: 'sent' }),
    at: dateTime,
    actor: z.string().openapi({ example: 'customer:lnk_…' }),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        "What the event carries, by type. `opened`: { viewId, linkId, human: false, counted: false, reason } — the open's doubt: 'head', 'no-user-agent', 'known-scanner', 'just-sent' or 'unconfirmed'. `created`: { from: { id, kind, number } } for a document converted from another, { from: { subscriptionId, period } } for the invoice of a subscription's period",
    }),
    confirmed: z.boolean().optional().openapi({
      description: '`opened` events only: true once a person confirmed this open (an input on the page, or acting from it), the `viewed` event naming its viewId in data.eventId; false, it stays a doubtful open for data.reason',
    }),
  })
  .openapi('AuditEvent');

export const auditEventListSchema = pageSchema(auditEventSchema, 'AuditEventList');

const recipientSchema = z.union([
  z.strictObject({ contactId: id }),
  z.strictObject({ email, name: z.string().trim().min(1).max(200).optional() }),
]);

const deciderFields = {
  name: z.string().trim().min(1).max(200).optional(),
  role: z.enum(DECIDER_ROLES).openapi({ description: 'approver: accepts or refuses (a proof: approves or asks for changes); reviewer: comments without deciding (a quote\'s: reads it); signer: signs the quote on the portal (built-in signature, in the last step; the certificate lists every signer in order), or with signature getaccept at GetAccept, in signing order (their steps, after every approver\'s and reviewer\'s, under rule all)' }),
  step: z.number().int().min(1).max(10).optional().openapi({ description: 'The step in which they are invited and decide; 1 when absent. Step n+1 is invited once step n\'s rule is met' }),
};

const stepRuleSchema = z
  .union([z.enum(['all', 'any']), z.strictObject({ atLeast: z.number().int().min(1).max(50) })])
  .openapi('StepRule', { description: 'all: every approver of the step says yes, one no settles it as no; any: one yes is enough, a no waits for the others; atLeast: n yeses' });

export const sendDocumentSchema = z
  .strictObject({
    to: z
      .union([recipientSchema, z.strictObject({ phone, name: z.string().trim().min(1).max(200).optional() })])
      .optional()
      .openapi({
        description:
          "The contact, an email address, or (by SMS) a mobile number; the document's contact when absent (by SMS: its mobile, else the customer's). " +
          "A number is normalised to E.164, read in the customer's or the seller's country (that of their phone written internationally) when written without one; one that cannot be dialled is 422 naming to.phone",
      }),
    channel: z
      .enum(['email', 'sms'])
      .optional()
      .openapi({
        description:
          'sms: the portal link goes by text (Twilio), the first send and every reminder, without PDF (attachPdf is 422); through an external signing provider, its signing link by its own SMS. ' +
          'Absent: sms when to is a phone number, else email. 503 when SMS is not configured (TWILIO_ACCOUNT_SID)',
      }),
    signature: z
      .strictObject({ provider: z.enum(SIGNATURE_PROVIDERS) })
      .optional()
      .openapi({ description: 'getaccept: signed through GetAccept (digital status, polling, webhooks); the tenant setting when absent' }),
    purpose: z
      .enum(SIGNATURE_PURPOSES)
      .optional()
      .openapi({ description: 'Digital signing flavour and its email: quote, quick_quote, upsell (quotes), order_confirmation (orders)' }),
    message: z.string().max(5000).optional(),
    attachPdf: z.boolean().optional(),
    requireSignature: z
      .boolean()
      .optional()
      .openapi({ description: 'Only a signature on the portal accepts the quote; the tenant setting when absent' }),
    deciders: z
      .array(z.union([z.strictObject({ contactId: id, ...deciderFields }), z.strictObject({ email, ...deciderFields })]))
      .min(1)
      .max(20)
      .optional()
      .openapi({
        description:
          'Quotes and proofs: several people decide instead of the contact, each invited by email with a link of their own (instead of "to"), in steps, each step settled by its rule. ' +
          'The document is decided once, when the last step is met; refused (a proof: sent back with changes) as soon as a step can no longer be. Email only; no withdrawal, hold, revision or portal signature meanwhile. ' +
          'With signature getaccept: GetAccept asks the signers, once the approvers and reviewers before them agreed on the portal; its answer decides the quote. ' +
          'Once decided, every decider invited (but whoever refused) and the contact who is none of them get the decision by email, each on a link of their own',
      }),
    rule: z
      .union([stepRuleSchema, z.array(stepRuleSchema).min(1).max(10)])
      .optional()
      .openapi({ description: "With deciders: one rule for every step, or one per step (rule[0] for step 1); all when absent" }),
  })
  .openapi('SendDocument');

// ---------------------------------------------------------------- customer links

/** What the portal answers once a link opens nothing any more: said wherever a link's url is. */
const GONE_LINK_ANSWER =
  'Once the link is revoked, past its expiresAt, or its document cancelled, every portal address under it answers 410 Gone: ' +
  "a page in the customer's language saying why and whom to contact, or with Accept: application/json a problem whose type ends in " +
  'link-revoked, link-expired or document-cancelled.';

const linkActionSchema = z.enum(LINK_ACTIONS).openapi('LinkAction');

export const createLinkSchema = z
  .strictObject({
    recipient: recipientSchema.openapi({ description: "A contact of the document's customer, or an email address (and name)" }),
    actions: z
      .array(linkActionSchema)
      .min(1)
      .max(LINK_ACTIONS.length)
      .optional()
      .openapi({
        description:
          "What the recipient may do beside opening the document (view is always granted). When absent, what the document's emailed links carry: " +
          'quote view, download, accept, sign, refuse, hold; order and delivery note view, download, accept, refuse; proof view, download, approve, ' +
          'request-changes, forward; invoice view, download. An action the kind does not have is 422.',
      }),
    expiresAt: dateTime.optional().openapi({ description: 'In the future; the link never expires when absent' }),
  })
  .openapi('CreateLink');

export const createdLinkSchema = z
  .object({
    id,
    url: z.url().openapi({ description: `The portal address with its token, shown this once (only its SHA-256 is kept). ${GONE_LINK_ANSWER}` }),
    expiresAt: dateTime.nullable(),
  })
  .openapi('CreatedLink');

export const linkSchema = z
  .object({
    id,
    recipient: z.object({
      contactId: id.nullable(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    actions: z.array(linkActionSchema),
    createdAt: dateTime,
    expiresAt: dateTime.nullable(),
    revokedAt: dateTime.nullable(),
    lastUsedAt: dateTime.nullable().openapi({ description: 'The last time anything was recorded through the link (an open, a view, a download, a decision); null: never' }),
    forwardedFrom: id.nullable().openapi({ description: "A colleague's link: the link whose recipient forwarded the document to them (revoking that one revokes this one)" }),
  })
  .openapi('Link', { description: `A customer link, never its token. ${GONE_LINK_ANSWER}` });

export const linkListSchema = pageSchema(linkSchema, 'LinkList');

export const updateDocumentSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(300).optional(),
    lines: z.array(lineInputSchema).min(1).max(500).optional(),
    validUntil: validUntilInput.optional(),
    contactId: id.optional(),
    assigneeId: id.optional(),
    deposit: depositInputSchema.nullable().optional().openapi({ description: 'Quotes, while a draft: the deposit asked with the yes; null removes it' }),
    depositPolicy: depositPolicySchema.optional().openapi({ description: 'Quotes, while a draft: with a deposit (given now, or already set)' }),
  })
  .refine((changes) => Object.keys(changes).length > 0, 'name at least one field to change')
  .openapi('UpdateDocument', {
    description:
      'A draft is edited in place; a sent quote (sent, viewed, on hold) gets a new version and the customer a new link (a new contact gets it); a new assignee alone, on any document, is recorded without a version or an email',
  });

export const workflowStateSchema = z
  .object({
    status: documentStatusSchema,
    remindersSent: z.number().int().optional(),
    nextReminderAt: dateTime.optional(),
    validUntil: dateTime.optional().openapi({ description: 'The instant the quote expires (the end of its last day in the customer\'s time zone when a day was given)' }),
  })
  .openapi('WorkflowState');

export const remindDocumentSchema = z.strictObject({}).openapi('RemindDocument');

/** A moment the seller records, never later than now (a clock a little ahead is forgiven). */
const pastDateTime = (what: string) =>
  dateTime.refine((value) => Date.parse(value) <= Date.now() + 60_000, { message: `${what} cannot be in the future` });

export const recordAnswerSchema = z
  .strictObject({
    answer: z.enum(OFFLINE_ANSWERS),
    channel: z.enum(ANSWER_CHANNELS).openapi({ description: 'How the customer answered: by phone, at the counter, by email, another way' }),
    by: z.string().trim().min(1).max(200).optional().openapi({ description: 'Who answered for the customer', example: 'Åsa Öberg' }),
    at: pastDateTime('The answer').optional().openapi({ description: 'When the customer answered; now when absent' }),
    options: z.array(id).max(200).optional().openapi({ description: 'Ids of the optional lines the customer chose (an acceptance)' }),
    reason: z.string().trim().min(1).max(2000).optional().openapi({ description: "The customer's reason (a refusal)" }),
  })
  .openapi('RecordAnswer');

export const recordPaymentSchema = z
  .strictObject({
    amount: z.number().int().min(1).max(2_147_483_647).openapi({ description: "Minor units of the invoice's currency; at most what is left to pay" }),
    method: z.enum(PAYMENT_METHODS),
    receivedAt: pastDateTime('The payment').optional().openapi({ description: 'When the money came in; now when absent' }),
    reference: z.string().trim().min(1).max(200).optional().openapi({ description: 'Bank transfer id, cheque number…', example: 'VIR-2026-0412' }),
  })
  .openapi('RecordPayment');

export const invoiceStateSchema = z
  .object({
    status: documentStatusSchema,
    paidTotal: z.number().int().openapi({ description: 'Minor units paid so far' }),
    amountDue: z.number().int().openapi({ description: 'Minor units left to pay' }),
    remindersSent: z.number().int(),
    nextReminderAt: dateTime.optional(),
    dueDate: dateTime.optional(),
  })
  .openapi('InvoiceState');

export const cancelDocumentSchema = z
  .strictObject({ reason: z.string().trim().min(1).max(2000).optional() })
  .openapi('CancelDocument');

export const reopenDocumentSchema = z
  .strictObject({ validUntil: validUntilInput.optional() })
  .openapi('ReopenDocument', { description: "The new version's validity; absent: the settings' quoteValidity from now, to the end of the day it ends on" });

export const convertDocumentSchema = z
  .strictObject({ to: z.enum(CONVERSION_TARGETS).openapi({ description: 'The next kind of the chain quote → order → delivery note → invoice' }) })
  .openapi('ConvertDocument');

// ---------------------------------------------------------------- conversation

export const MAX_MESSAGE_LENGTH = 5000;

export const createMessageSchema = z
  .strictObject({
    body: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH),
    internal: z.boolean().optional().openapi({ description: "A note for the seller's team only, never shown to the customer" }),
    notifyCustomer: z
      .boolean()
      .optional()
      .openapi({ description: 'Email the customer a link to the conversation (not for internal notes)' }),
  })
  .openapi('CreateMessage');

export const messageSchema = z
  .object({
    id,
    author: z.enum(['customer', 'seller']),
    authorName: z.string().nullable(),
    body: z.string(),
    internal: z.boolean(),
    createdAt: dateTime,
  })
  .openapi('Message');

export const messageListSchema = pageSchema(messageSchema, 'MessageList');

/** OpenAPI 3.1 describes raw bytes by their media type alone; an untyped schema says "any bytes". */
export const pdfSchema = z.unknown().openapi({ description: 'The PDF file' });

export const openApiDocumentSchema = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()).optional(),
    components: z.object({ schemas: z.record(z.string(), z.unknown()).optional() }).optional(),
  })
  .openapi('OpenApiDocument');
