/**
 * How a tenant proves its work to a customer ("type de BAT", seed 000): a default for the
 * tenant, and per customer either an override or "use the tenant's default".
 *
 * - online: the proof workflow, the customer approves on the portal (the email links to it);
 * - email: the same workflow, and the email also carries the revision's watermarked PDF;
 *   the decision is still taken through the link;
 * - none: this customer gets no proof; creating a proof document for them is refused.
 */

export const PROOF_TYPES = ['online', 'email', 'none'] as const;
export type ProofType = (typeof PROOF_TYPES)[number];

/** A tenant that never chose gets the flow the product is built around. */
const FALLBACK_PROOF_TYPE: ProofType = 'online';

export function isProofType(value: unknown): value is ProofType {
  return typeof value === 'string' && (PROOF_TYPES as readonly string[]).includes(value);
}

/** The tenant's default as stored (null or an unknown value: the fallback). */
export function tenantProofType(defaultProofType: string | null | undefined): ProofType {
  return isProofType(defaultProofType) ? defaultProofType : FALLBACK_PROOF_TYPE;
}

/** The customer's override when it has one, else the tenant's default. */
export function resolveProofType(customerProofType: string | null | undefined, defaultProofType: string | null | undefined): ProofType {
  return isProofType(customerProofType) ? customerProofType : tenantProofType(defaultProofType);
}
