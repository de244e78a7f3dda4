/**
 * Where the decision stands, on the page of a document several people decide (domain/deciders.ts):
 * each decider by name, role and step, and whether they approved, declined, are awaited or come
 * later; the reader's own line is marked; then what the deciders commented (a reviewer's words,
 * which decide nothing), by name. Never anyone's link or address. Read from the trail the
 * workflow writes (its decider_approved, decider_declined and commented since the document was
 * last sent) and the deciders the seller named, counted by the same rules the workflow applies.
 * One section for quotes and proofs, and the words of a reviewer's comment form with it.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { castVote, findDecider, roundProgress, startRound, type DeciderPlan, type DeciderProgress, type DecisionRound } from '../../domain/deciders';
import type { Locale } from '../../domain/documents';
import { html, type SafeHtml } from './html';

interface DecidersWords {
  heading: string;
  you: string;
  step: (step: number) => string;
  roles: Record<DeciderProgress['role'], string>;
  states: Record<DeciderProgress['state'], string>;
  comments: string;
  /** The round met, the quote accepted once its deposit is paid (accept_when_paid): nothing left to decide. */
  depositAwaited: string;
  /** A reviewer's comment form: what it does, its field, its button. */
  commentHint: string;
  yourComment: string;
  sendComment: string;
}

export const DECIDERS_WORDS: Record<Locale, DecidersWords> = {
  fr: {
    heading: 'Où en est la décision',
    you: 'vous',
    step: (step) => `Étape ${step}`,
    roles: { approver: 'approbateur', signer: 'signataire', reviewer: 'relecteur' },
    states: { approved: 'a approuvé', declined: 'a refusé', awaited: 'réponse attendue', not_yet_invited: 'sera invité à l’étape suivante', not_needed: 'n’a plus à répondre', reviewing: 'commente' },
    comments: 'Commentaires',
    depositAwaited: 'Les personnes qui décident ont donné leur accord\u202f: le devis est accepté une fois l’acompte payé.',
    commentHint: 'Votre commentaire est lu par toutes les personnes qui décident\u202f; il n’accepte ni ne refuse rien.',
    yourComment: 'Votre commentaire',
    sendComment: 'Envoyer le commentaire',
  },
  en: {
    heading: 'Where the decision stands',
    you: 'you',
    step: (step) => `Step ${step}`,
    roles: { approver: 'approver', signer: 'signer', reviewer: 'reviewer' },
    states: { approved: 'approved', declined: 'declined', awaited: 'awaited', not_yet_invited: 'invited at the next step', not_needed: 'no longer needed', reviewing: 'comments' },
    comments: 'Comments',
    depositAwaited: 'The deciders agreed: the quote is accepted once its deposit is paid.',
    commentHint: 'Everyone deciding reads your comment; it accepts or refuses nothing.',
    yourComment: 'Your comment',
    sendComment: 'Send the comment',
  },
  sv: {
    heading: 'Så långt har beslutet kommit',
    you: 'du',
    step: (step) => `Steg ${step}`,
    roles: { approver: 'godkännare', signer: 'undertecknare', reviewer: 'granskare' },
    states: { approved: 'har godkänt', declined: 'har avböjt', awaited: 'svar väntas', not_yet_invited: 'bjuds in i nästa steg', not_needed: 'behöver inte svara', reviewing: 'kommenterar' },
    comments: 'Kommentarer',
    depositAwaited: 'Alla som beslutar har godkänt: offerten godkänns när handpenningen är betald.',
    commentHint: 'Alla som beslutar läser din kommentar; den varken godkänner eller avböjer något.',
    yourComment: 'Din kommentar',
    sendComment: 'Skicka kommentaren',
  },
};

/** A decider's comment, by name and role: never their link or address. */
export interface DeciderComment {
  deciderId: string;
  name: string;
  role: DeciderProgress['role'];
  comment: string;
}

/** Where the decision stands, and what the deciders commented meanwhile. */
export interface DecidersStanding {
  progress: DeciderProgress[];
  comments: DeciderComment[];
  /** The round counted as the workflow counts it: once it has an outcome, nobody votes or comments any more. */
  round: DecisionRound;
}

/** Each decider's standing and comments, from the trail since the document was last sent (a proof's new revision asks again). */
export async function deciderStanding(prisma: PrismaClient, document: { id: string; deciders: unknown }): Promise<DecidersStanding | undefined> {
  const read = await roundAsWritten(prisma, document);
  if (!read) return undefined;
  const { plan, round, written } = read;
  const comments = written.flatMap((event) => {
    const decider = event.type === 'commented' ? findDecider(plan, event.data.deciderId) : undefined;
    return decider && event.data.comment ? [{ deciderId: decider.id, name: decider.name ?? decider.email, role: decider.role, comment: event.data.comment }] : [];
  });
  return { progress: roundProgress(round), comments, round };
}

/** The round as the trail has it (its votes since the document was last sent); undefined without deciders. */
export async function deciderRound(prisma: PrismaClient, document: { id: string; deciders: unknown }): Promise<DecisionRound | undefined> {
  return (await roundAsWritten(prisma, document))?.round;
}

async function roundAsWritten(prisma: PrismaClient, document: { id: string; deciders: unknown }) {
  if (!document.deciders) return undefined;
  const plan = document.deciders as DeciderPlan;
  const lastSent = await prisma.auditEvent.findFirst({ where: { documentId: document.id, type: 'sent' }, orderBy: { seq: 'desc' }, select: { seq: true } });
  const events = await prisma.auditEvent.findMany({
    where: { documentId: document.id, type: { in: ['decider_approved', 'decider_declined', 'commented'] }, seq: { gt: lastSent?.seq ?? 0 } },
    orderBy: { seq: 'asc' },
    select: { type: true, at: true, data: true },
  });
  const written = events.map((event) => ({ ...event, data: (event.data ?? {}) as { deciderId?: string; comment?: string } }));
  const round = written
    .filter((vote) => vote.type !== 'commented')
    .reduce((counted, vote) => castVote(counted, String(vote.data.deciderId), vote.type === 'decider_approved' ? 'yes' : 'no', vote.at.getTime()), startRound(plan));
  return { plan, round, written };
}

export function decidersSection(locale: Locale, { progress: standing, comments }: DecidersStanding, readerId: string | null, depositAwaited = false): SafeHtml {
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
  const commented = comments.length
    ? html`<h3>${t.comments}</h3><ul class="comments">${comments.map(
        (said) => html`<li class="comment" data-decider="${said.deciderId}"><strong>${said.name}</strong>${said.deciderId === readerId ? html` (${t.you})` : null} — ${t.roles[said.role]}<p>${said.comment}</p></li>`,
      )}</ul>`
    : null;
  const awaited = depositAwaited ? html`<p class="deposit-awaited">${t.depositAwaited}</p>` : null;
  return html`<section class="sheet deciders" aria-labelledby="deciders-heading"><h2 id="deciders-heading">${t.heading}</h2>${awaited}<ol class="steps">${byStep}</ol>${commented}</section>`;
}
