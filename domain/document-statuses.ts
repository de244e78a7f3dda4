/** Every status a document can be in, whatever its kind: the union of each kind's own list. */
import { ACCEPTANCE_STATUSES } from './acceptance';
import { PROOF_STATUSES, QUOTE_STATUSES } from './documents';
import { INVOICE_STATUSES } from './invoice';
import { REQUEST_STATUSES } from './requests';

export const DOCUMENT_STATUSES = [...new Set([...QUOTE_STATUSES, ...ACCEPTANCE_STATUSES, ...INVOICE_STATUSES, ...PROOF_STATUSES, ...REQUEST_STATUSES])];
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
