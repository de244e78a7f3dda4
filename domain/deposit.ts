/**
 * A deposit paid with the yes (seeds 002 and 004: pay online, charge the card). A quote may ask
 * for one, as a share of its gross total or as a fixed amount; the seller chooses what the yes
 * waits for:
 * - `accept_when_paid`: the quote is accepted once the deposit is paid. Until then it is still
 *   the customer's to answer (a declined card leaves it unaccepted);
 * - `accept_then_pay`: the quote is accepted at once and the deposit is due (a declined card
 *   leaves it accepted, the deposit unpaid, to pay again from the portal).
 * The deposit paid is carried into the invoice made from the quote, as a payment already received.
 */
export const DEPOSIT_POLICIES = ['accept_when_paid', 'accept_then_pay'] as const;
export type DepositPolicy = (typeof DEPOSIT_POLICIES)[number];

/** The policy of a quote that asks a deposit without saying: the yes waits for the money. */
export const DEFAULT_DEPOSIT_POLICY: DepositPolicy = 'accept_when_paid';

/** What the seller asks: a share of the gross total (percent, up to two decimals), or an amount in minor units. */
export type DepositAsked = { percent: number } | { amount: number };

/** How a document row keeps it (schema.prisma: depositBasisPoints, depositAmount, depositPolicy). */
export interface DepositColumns {
  depositBasisPoints: number | null;
  depositAmount: number | null;
  depositPolicy: string | null;
}

/** The columns of a deposit asked; all null for none. */
export function depositColumns(asked: DepositAsked | null, policy: DepositPolicy | undefined): DepositColumns {
  if (!asked) return { depositBasisPoints: null, depositAmount: null, depositPolicy: null };
  return {
    depositBasisPoints: 'percent' in asked ? Math.round(asked.percent * 100) : null,
    depositAmount: 'amount' in asked ? asked.amount : null,
    depositPolicy: policy ?? DEFAULT_DEPOSIT_POLICY,
  };
}

export function isDepositPolicy(value: unknown): value is DepositPolicy {
  return (DEPOSIT_POLICIES as readonly unknown[]).includes(value);
}

/** The policy a row asks, or undefined when it asks no deposit. */
export function depositPolicyOf(row: DepositColumns): DepositPolicy | undefined {
  if (row.depositBasisPoints === null && row.depositAmount === null) return undefined;
  return isDepositPolicy(row.depositPolicy) ? row.depositPolicy : DEFAULT_DEPOSIT_POLICY;
}

/**
 * The deposit in minor units for a gross total: a share is rounded to the nearest minor unit; a
 * fixed amount is never more than the total. Zero when none is asked.
 */
export function depositAmountOf(row: DepositColumns, grossTotal: number): number {
  if (row.depositBasisPoints !== null) return Math.round((grossTotal * row.depositBasisPoints) / 10_000);
  if (row.depositAmount !== null) return Math.min(row.depositAmount, grossTotal);
  return 0;
}

/** What a row asks, as the API takes it; null for none. */
export function depositAskedOf(row: DepositColumns): DepositAsked | null {
  if (row.depositBasisPoints !== null) return { percent: row.depositBasisPoints / 100 };
  if (row.depositAmount !== null) return { amount: row.depositAmount };
  return null;
}
