/** The vocabulary every room shares: kinds of documents, their statuses, the audit trail. */
import type { LineInput } from './money';

export const DOCUMENT_KINDS = ['quote', 'order', 'delivery_note', 'invoice', 'proof'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const QUOTE_STATUSES = [
  'draft',
  'sent',
  'viewed',
  'accepted',
  'refused',
  'on_hold',
  'expired',
  'cancelled',
] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** Statuses after which the customer can no longer decide. */
export const FINAL_QUOTE_STATUSES: readonly QuoteStatus[] = ['accepted', 'refused', 'expired', 'cancelled'];

/** A proof loops through changes_requested → sent until a revision is approved. */
export const PROOF_STATUSES = ['draft', 'sent', 'viewed', 'changes_requested', 'approved', 'cancelled'] as const;
export type ProofStatus = (typeof PROOF_STATUSES)[number];

/** Statuses after which the proof takes no revision and no decision. */
export const FINAL_PROOF_STATUSES: readonly ProofStatus[] = ['approved', 'cancelled'];

export const AUDIT_EVENT_TYPES = [
  'created',
  'sent',
  'reminded',
  // A page fetched through a link: doubtful (a mail scanner, a preview) until a person is
  // seen using it, which is `viewed` (api/portal/view-tracking.ts). Never counted.
  'opened',
  'viewed',
  'downloaded',
  'accepted',
  'refused',
  'put_on_hold',
  // The customer took back their acceptance (or approval) while the seller's window allowed it.
  'withdrawn',
  // The seller marked an approved proof in production: its approval can no longer be withdrawn.
  'in_production',
  'changes_requested',
  'approved',
  'signed',
  'paid',
  'message',
  'forwarded',
  'revision_added',
  'converted',
  'expired',
  'cancelled',
  'notified',
  'revised',
  // The seller took a refused or expired quote up again, as a new version (api/operations/quote-lifecycle.ts).
  'reopened',
  // External signature (workflows/signature.ts): each change of the digital status, and a provider that stopped answering.
  'signature_sent',
  'signature_viewed',
  'signature_rejected',
  'signature_cancelled',
  'signature_expired',
  'signature_undeliverable',
  'signature_checks_failed',
  // The provider refused to create or send the document (a 4xx): its message, for the seller.
  'signature_failed',
  'signature_checks_recovered',
  // Invoices (domain/invoice.ts): the due date passed unpaid; a card payment was refused.
  'overdue',
  'payment_failed',
  // Quotes asking a deposit with the yes (domain/deposit.ts): the deposit paid, or a card refused for it.
  'deposit_paid',
  'deposit_failed',
  // Service requests (domain/requests.ts, workflows/machines/request.ts).
  'request_started',
  'proposal_sent',
  'proposal_withdrawn',
  'proposal_accepted',
  'proposal_declined',
  'billing_changed',
  'confirmed',
  'declined',
  // The seller made a customer link to hand over themselves (a chat, a text), or turned one off.
  'link_created',
  'link_revoked',
  // The seller put another salesperson in charge of a document (api/operations/quote-revisions.ts): not a change the customer sees.
  'assigned',
  // The seller marked a proof's change request pin done, or not done after all (api/operations/proof-pins.ts).
  'pin_resolved',
  'pin_reopened',
  // Several deciders (domain/deciders.ts): one decider's yes or no, a step whose rule is met (the next one invited), a reviewer's comment.
  'decider_approved',
  'decider_declined',
  'step_completed',
  'commented',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Who did something, as the audit trail says it. */
export type Actor =
  | {
      kind: 'customer';
      linkId: string;
      name?: string;
      email?: string;
      /** A colleague's link: the link that forwarded the proof to them (whose recipient hears of their decision). */
      forwardedFromLinkId?: string;
      /** A decider's link (domain/deciders.ts): the decider the seller named, whose vote this is. */
      deciderId?: string;
    }
  | { kind: 'seller'; apiKeyId?: string; userId?: string }
  | { kind: 'system' };

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'customer':
      return `customer:${actor.linkId}`;
    case 'seller':
      return actor.userId ? `user:${actor.userId}` : 'seller';
    case 'system':
      return 'system';
  }
}

/** Where a customer action came from (kept with views, downloads and decisions). */
export interface RequestSource {
  ip?: string;
  userAgent?: string;
}

/** Actions a customer link may carry. */
/** `forward`: send a proof to a colleague, whose own link never carries it (api/portal/forward.ts). */
/** `comment`: a reviewer the seller named comments without deciding (domain/deciders.ts). */
export const LINK_ACTIONS = ['view', 'download', 'accept', 'refuse', 'hold', 'sign', 'forward', 'approve', 'request-changes', 'comment'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

/**
 * What a customer may do from a document's link, by kind: what every emailed link carries,
 * and the most a link the seller makes may carry.
 */
export function customerLinkActions(kind: string, digitalStatus: string | null): LinkAction[] {
  // The seller cancelled its signing (the customer answered by phone): a later link only shows it.
  if (kind === 'quote' && digitalStatus === 'cancelled') return ['view', 'download'];
  // The quote's workflow decides whether accepting needs a signature; the link allows both.
  if (kind === 'quote') return ['view', 'download', 'accept', 'sign', 'refuse', 'hold'];
  // Orders and delivery notes are accepted or refused online too (seed 002); only quotes get hold.
  if (kind === 'order' || kind === 'delivery_note') return ['view', 'download', 'accept', 'refuse'];
  // Proofs are approved or sent back with changes, and may be forwarded to a colleague (seed 000, "Envoyer à un collègue").
  if (kind === 'proof') return ['view', 'download', 'approve', 'request-changes', 'forward'];
  // A service request's price proposal is accepted or refused on its own link (seed 004).
  if (kind === 'request') return ['view', 'accept', 'refuse'];
  return ['view', 'download'];
}

/**
 * What a customer's link allows now: its own actions, less what its document no longer takes
 * on the portal. A quote whose signing the seller cancelled keeps its links (they open it, its
 * chain and the conversation) but answers only through the seller, as a later link would.
 */
export function linkActionsNow(actions: readonly string[], document: { kind: string; digitalStatus: string | null }): string[] {
  if (document.kind !== 'quote' || document.digitalStatus !== 'cancelled') return [...actions];
  const allowed: readonly string[] = customerLinkActions(document.kind, document.digitalStatus);
  return actions.filter((action) => allowed.includes(action));
}

export const LOCALES = ['fr', 'en', 'sv'] as const;
export type Locale = (typeof LOCALES)[number];

export function pickLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    const short = candidate?.slice(0, 2).toLowerCase();
    if (short && (LOCALES as readonly string[]).includes(short)) return short as Locale;
  }
  return 'en';
}

/** Notification preferences of a user: per event, the channels to use. */
/** payment_failed: a saved card was declined when a service request was confirmed (on by email unless turned off). */
export const NOTIFY_EVENTS = ['viewed', 'downloaded', 'decided', 'signed', 'paid', 'message', 'payment_failed'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export type NotifyChannel = 'email' | 'sms';
export type NotifyPreferences = Partial<Record<NotifyEvent, NotifyChannel[]>>;

/**
 * The channels of an event a user's preferences say nothing about (API.md: "omitted notify
 * keys take the defaults"). The seeds want the seller told of every answer without asking:
 * decisions (accepted, refused, on hold, approved, changes requested, a proposal answered, a
 * signature rejected at the provider — which refuses the document), signatures (seed 001,
 * "l'utilisateur assigné au devis reçoit un email de confirmation de signature"), customer
 * messages, payments and failed payments by email. Views and downloads would be noise for most
 * (seed 001: "selon ses préférences"): off until the user asks. An empty list opts out (`signed: []`).
 */
export const DEFAULT_NOTIFY_CHANNELS: Readonly<Record<NotifyEvent, readonly NotifyChannel[]>> = {
  viewed: [],
  downloaded: [],
  decided: ['email'],
  signed: ['email'],
  paid: ['email'],
  message: ['email'],
  payment_failed: ['email'],
};

/** A user's preferences for every event: those they gave, the defaults for the others. The one place defaults apply. */
export function notifyPreferencesWithDefaults(preferences: NotifyPreferences): Record<NotifyEvent, NotifyChannel[]> {
  return Object.fromEntries(NOTIFY_EVENTS.map((event) => [event, notifyChannelsFor(preferences, event)])) as Record<NotifyEvent, NotifyChannel[]>;
}

/** The channels a user's preferences name for an event, the default when they name none. */
export function notifyChannelsFor(preferences: NotifyPreferences, event: NotifyEvent): NotifyChannel[] {
  return [...(preferences[event] ?? DEFAULT_NOTIFY_CHANNELS[event])];
}

/**
 * What the customer is told once it is recorded, and what comes next (one email each): their
 * quote accepted or signed, their proof approved, their invoice paid, and the seller's answer
 * to their service request. A quote or a proof several people decide (domain/deciders.ts) tells
 * each of them the round's decision instead: a quote accepted, signed (the signed copy attached)
 * or declined; a proof approved or sent back with changes.
 */
export const CONFIRMATIONS = [
  'accepted',
  'signed',
  'approved',
  'paid',
  'request_confirmed',
  'request_declined',
  'deciders_accepted',
  'deciders_signed',
  'deciders_declined',
  'deciders_approved',
  'deciders_changes_requested',
] as const;
export type Confirmation = (typeof CONFIRMATIONS)[number];

/**
 * What the seller changes on a draft, or on a sent quote, where each revision makes a new
 * version. A new contact is a revision: the version it makes is what retires the former
 * contact's link. A new assignee is not (the customer's document is the same): it is a fact of
 * its own, `assigned`; only a draft's edit, and revisions recorded before, carry it here.
 */
export interface DocumentChanges {
  title?: string;
  lines?: Omit<LineInput, 'selected'>[];
  /** Epoch ms. */
  validUntil?: number;
  contactId?: string;
  assigneeId?: string;
}
