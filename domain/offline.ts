/**
 * What the seller records of what happened away from the portal (seed 003: "Om kunden ringer in
 * eller lämnar godkännande över disk"): the customer's answer to a document given by phone, at
 * the counter or by email, and an invoice's payment received by transfer, cheque or cash.
 */
export const ANSWER_CHANNELS = ['phone', 'counter', 'email', 'other'] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];

export const OFFLINE_ANSWERS = ['accepted', 'refused'] as const;
export type OfflineAnswer = (typeof OFFLINE_ANSWERS)[number];

/** The customer's answer as the seller took it down. */
export interface RecordedAnswer {
  answer: OfflineAnswer;
  channel: AnswerChannel;
  /** Who answered for the customer ("Åsa Öberg"). */
  by?: string;
  /** Epoch ms when the customer answered; when it was recorded when absent. */
  answeredAt?: number;
  /** Ids of the optional lines chosen (an acceptance). */
  options?: string[];
  reason?: string;
}

export const PAYMENT_METHODS = ['transfer', 'cheque', 'cash', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** How the audit trail and the signature's cancel say where an answer came from. */
export function answeredThrough(channel: AnswerChannel): string {
  return channel === 'counter' ? 'at the counter' : channel === 'other' ? 'off line' : `by ${channel}`;
}
