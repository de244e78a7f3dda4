/**
 * GetAccept's document statuses (the `status` of a Document, the `filter` values of
 * GET /documents, and the subscription events' `event_action`) as our digital status: one
 * table, one unit test per row (test/unit/signature/getaccept-status.test.ts).
 *
 * Where GetAccept has more words than the seed (Utkast, Skickad, Reviderad/sedd,
 * Undertecknad, Avvisad): "reviewed" is GetAccept's "Reviderad/sedd" too; "partially_signed"
 * and "approved" (another party signed or approved, not our signer) are still "viewed" for
 * the seller; "recalled" is our cancel; "expired" its own final status; "hardbounced" (the
 * email bounced) is "undeliverable", not final: the seller may cancel and send again.
 */
import type { DigitalStatus } from '../../domain/digital-status';

export const GETACCEPT_STATUS_TABLE: Readonly<Record<string, DigitalStatus>> = {
  draft: 'draft',
  sent: 'sent',
  viewed: 'viewed',
  reviewed: 'viewed',
  partially_signed: 'viewed',
  approved: 'viewed',
  signed: 'signed',
  rejected: 'rejected',
  recalled: 'cancelled',
  expired: 'expired',
  hardbounced: 'undeliverable',
};

/** Undefined for a word the table does not know: the caller says so rather than guess. */
export function digitalStatusFromGetAccept(status: string): DigitalStatus | undefined {
  return Object.hasOwn(GETACCEPT_STATUS_TABLE, status) ? GETACCEPT_STATUS_TABLE[status] : undefined;
}
