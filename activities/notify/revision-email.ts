/**
 * A proof revision's email, beyond what every document email says: which revision it is
 * ({{revision}}) and what it follows ({{requests}}: the change request on the revision sent
 * before it, its comment and each pin — those the seller marked done saying so — dated; or the
 * revision it replaces when none was made),
 * read from the proof's trail (services/db/proof-trail.ts) — the same facts the customer's page
 * and the seller's API show. Templates that do not name them (the first revision's) ignore them.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Locale } from '../../domain/documents';
import { readProofTrail } from '../../services/db/proof-trail';
import { formatDate } from '../../services/locale-format';
import { readerTimeZone } from '../../domain/seller';
import { REVISION_EMAIL_WORDS } from '../../services/notify/templates';

export async function revisionEmailValues(prisma: PrismaClient, tenantId: string, documentId: string, revision: number): Promise<(locale: Locale) => Record<string, string>> {
  const [trail, settings] = await Promise.all([
    readProofTrail(prisma, tenantId, documentId),
    prisma.tenantSettings.findUnique({ where: { tenantId }, select: { timeZone: true } }),
  ]);
  const timeZone = readerTimeZone(settings?.timeZone);
  // The revision sent before this one (a revision that never rendered was never sent).
  const previous = Math.max(0, ...trail.sentRevisions.filter((sent) => sent < revision));
  const request = trail.changeRequests.findLast((candidate) => candidate.revision === previous);
  return (locale) => {
    const words = REVISION_EMAIL_WORDS[locale];
    const requests = request
      ? [words.follows(formatDate(request.at, locale, timeZone)), request.comment, ...request.pins.map((pin, index) => words.pin(index + 1, pin.page, pin.comment) + (pin.resolution?.resolved ? words.done : ''))].join('\n– ')
      : previous
        ? words.replaces(previous)
        : '';
    return { revision: String(revision), requests };
  };
}
