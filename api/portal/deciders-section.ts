/**
 * Where the decision stands, on the page of a document several people decide (domain/deciders.ts):
 * each decider by name, role and step, and whether they approved, declined, are awaited or come
 * later; the reader's own line is marked. Never anyone's link or address. Read from the trail the
 * workflow writes (its decider_approved and decider_declined since the document was last sent)
 * and the deciders the seller named, counted by the same rules the workflow applies.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { castVote, roundProgress, startRound, type DeciderPlan, type DeciderProgress } from '../../domain/deciders';
import type { Locale } from '../../domain/documents';
import { html, type SafeHtml } from './html';

interface DecidersWords {
  heading: string;
  you: string;
  step: (step: number) => string;
  roles: Record<DeciderProgress['role'], string>;
  states: Record<DeciderProgress['state'], string>;
}

export const DECIDERS_WORDS: Record<Locale, DecidersWords> = {
  fr: {
    heading: 'Où en est la décision',
    you: 'vous',
    step: (step) => `Étape ${step}`,
    roles: { approver: 'approbateur', signer: 'signataire', reviewer: 'relecteur' },
    states: { approved: 'a approuvé', declined: 'a refusé', awaited: 'réponse attendue', not_yet_invited: 'sera invité à l’étape suivante', not_needed: 'n’a plus à répondre', reviewing: 'commente' },
  },
  en: {
    heading: 'Where the decision stands',
    you: 'you',
    step: (step) => `Step ${step}`,
    roles: { approver: 'approver', signer: 'signer', reviewer: 'reviewer' },
    states: { approved: 'approved', declined: 'declined', awaited: 'awaited', not_yet_invited: 'invited at the next step', not_needed: 'no longer needed', reviewing: 'comments' },
  },
  sv: {
    heading: 'Så långt har beslutet kommit',
    you: 'du',
    step: (step) => `Steg ${step}`,
    roles: { approver: 'godkännare', signer: 'undertecknare', reviewer: 'granskare' },
    states: { approved: 'har godkänt', declined: 'har avböjt', awaited: 'svar väntas', not_yet_invited: 'bjuds in i nästa steg', not_needed: 'behöver inte svara', reviewing: 'kommenterar' },
  },
};

/** Each decider's standing, from the trail since the document was last sent (a proof's new revision asks again). */
export async function deciderStanding(prisma: PrismaClient, document: { id: string; deciders: unknown }): Promise<DeciderProgress[] | undefined> {
  if (!document.deciders) return undefined;
  const plan = document.deciders as DeciderPlan;
  const lastSent = await prisma.auditEvent.findFirst({ where: { documentId: document.id, type: 'sent' }, orderBy: { seq: 'desc' }, select: { seq: true } });
  const votes = await prisma.auditEvent.findMany({
    where: { documentId: document.id, type: { in: ['decider_approved', 'decider_declined'] }, seq: { gt: lastSent?.seq ?? 0 } },
    orderBy: { seq: 'asc' },
    select: { type: true, at: true, data: true },
  });
  const round = votes.reduce(
    (counted, vote) => castVote(counted, String((vote.data as { deciderId?: string } | null)?.deciderId), vote.type === 'decider_approved' ? 'yes' : 'no', vote.at.getTime()),
    startRound(plan),
  );
  return roundProgress(round);
}

export function decidersSection(locale: Locale, standing: DeciderProgress[], readerId: string | null): SafeHtml {
  const t = DECIDERS_WORDS[locale];
  const steps = [...new Set(standing.map((decider) => decider.step))];
  const byStep = steps.map(
    (step) => html`<li><p class="label">${t.step(step)}</p><ul>${standing
      .filter((decider) => decider.step === step)
      .map(
        (decider) =>
          html`<li class="decider ${decider.state}" data-decider="${decider.id}"><strong>${decider.name}</strong>${decider.id === readerId ? html` (${t.you})` : null} — ${t.roles[decider.role]}: ${t.states[decider.state]}</li>`,
      )}</ul></li>`,
  );
  return html`<section class="sheet deciders" aria-labelledby="deciders-heading"><h2 id="deciders-heading">${t.heading}</h2><ol class="steps">${byStep}</ol></section>`;
}
