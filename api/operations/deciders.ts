/**
 * A send's deciders (domain/deciders.ts), checked and resolved before the document's workflow
 * starts: each names a contact of the document's customer (with an email address) or an
 * address, and gets their id in the order given. Bad input is a 422 naming the field; nothing
 * is claimed before.
 */
import { deciderPlanProblem, providerSigningProblem, rulesOfSteps, type Decider, type DeciderPlan, type DeciderRole, type StepRule } from '../../domain/deciders';
import { AppError } from '../../domain/errors';
import type { AppDeps } from '../app';
import type { TenantCaller } from '../auth';

type NamedDecider = ({ contactId: string } | { email: string }) & { name?: string; role: DeciderRole; step?: number };

export interface DecidersRequest {
  deciders?: NamedDecider[];
  rule?: StepRule | StepRule[];
}

function refused(message: string, path: string): AppError {
  return new AppError('unprocessable', message, [{ path, message }]);
}

/** The plan a send asks for, undefined when it names no deciders. */
export async function resolveDeciders(
  deps: AppDeps,
  caller: TenantCaller,
  document: { kind: string; customerId: string },
  request: DecidersRequest & { channel?: string; requireSignature?: boolean; to?: unknown },
  external: boolean,
): Promise<DeciderPlan | undefined> {
  const { deciders, rule } = request;
  if (!deciders) {
    if (rule !== undefined) throw refused('A rule settles the steps of deciders; name them in "deciders".', 'rule');
    return undefined;
  }
  if (document.kind !== 'quote' && document.kind !== 'proof') throw refused('Quotes and proofs are decided by several people; this document is not.', 'deciders');
  if (request.to !== undefined) throw refused('Deciders are invited instead of "to"; name the recipient among them.', 'to');
  if (request.channel === 'sms') throw refused('Deciders are invited by email.', 'channel');
  // Signers sign a quote on the portal (the built-in signature); a send that names none signs nothing.
  const signer = deciders.findIndex((decider) => decider.role === 'signer');
  if (signer >= 0 && document.kind !== 'quote') throw refused('Only quotes are signed; a proof is approved.', `deciders.${signer}.role`);
  if (signer >= 0 && request.requireSignature === false) throw refused('Signers sign: send with requireSignature, or name approvers.', 'requireSignature');
  if (signer < 0 && request.requireSignature) throw refused('A signature is asked: name the signers among the deciders (role "signer").', 'requireSignature');
  // Through an external provider (GetAccept), the signers are its recipients, in signing order (their
  // steps, in which they may be one each), asked once the approvers and reviewers before them agreed
  // on the portal; on the portal itself, signers sign in the last step.
  const problem = external ? providerSigningProblem(deciders, rule) : deciderPlanProblem(deciders, rule);
  if (problem) throw refused(`The deciders' steps do not hold: ${problem.message}.`, problem.path);

  const resolved: Decider[] = [];
  for (const [index, decider] of deciders.entries()) {
    const base = { id: `d${index + 1}`, role: decider.role, step: decider.step ?? 1 };
    if ('email' in decider) {
      resolved.push({ ...base, email: decider.email, ...(decider.name ? { name: decider.name } : {}) });
      continue;
    }
    const contact = await deps.prisma.contact.findFirst({ where: { id: decider.contactId, tenantId: caller.tenantId, customerId: document.customerId } });
    if (!contact) throw refused(`No contact ${decider.contactId} for this customer.`, `deciders.${index}.contactId`);
    if (!contact.email) throw refused('The contact has no email address.', `deciders.${index}.contactId`);
    resolved.push({ ...base, email: contact.email, name: decider.name ?? contact.name, contactId: contact.id });
  }
  const addresses = resolved.map((decider) => decider.email.toLowerCase());
  const repeated = addresses.findIndex((address, index) => addresses.indexOf(address) !== index);
  if (repeated >= 0) throw refused(`${resolved[repeated]?.email} is named twice: each decider has one link and one say.`, `deciders.${repeated}`);
  const steps = Math.max(...resolved.map((decider) => decider.step));
  return { deciders: resolved, rules: rulesOfSteps(rule, steps) };
}

/**
 * Whether the document's own recipient (its contact, else its customer) is none of the deciders
 * and has an address: then they are told the round's decision too (workflows/decider-invitations.ts),
 * as they would have been told their own.
 */
export function informsContact(plan: DeciderPlan, document: { contactId: string | null; contact: { email: string | null } | null; customer: { email: string | null } }): boolean {
  const email = (document.contact ?? document.customer).email?.toLowerCase();
  if (!email) return false;
  return !plan.deciders.some((decider) => (document.contactId !== null && decider.contactId === document.contactId) || decider.email.toLowerCase() === email);
}
