/**
 * The portal's words for an order, a delivery note or a service request's price proposal:
 * the quote's (i18n.ts) with every sentence that names the document said for what it is. Statuses read the same for all
 * three kinds in fr, en and sv (devis, bon de commande and bon de livraison are masculine;
 * order and följesedel take the same Swedish forms as offert), so only these change.
 */
import { isAcceptanceKind, type AcceptanceKind } from '../../domain/acceptance';
import type { Locale } from '../../domain/documents';
import { MESSAGES, type Messages } from './i18n';

type KindWords = Pick<Messages, 'quote' | 'accept' | 'refuse' | 'decisionNotAllowed'> & {
  banner: Pick<Messages['banner'], 'cancelled' | 'draft'>;
};

/** A kind's noun in the forms the sentences take: French masculine, Swedish common gender (its title and definite form). */
interface KindNoun {
  fr: string;
  en: string;
  sv: { title: string; definite: string };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The quote's sentences, said of an order or a delivery note: only the noun changes. */
function wordsNaming(noun: KindNoun): Record<Locale, KindWords> {
  const { fr, en, sv } = noun;
  return {
    fr: {
      quote: capitalized(fr),
      accept: `Accepter le ${fr}`,
      refuse: `Refuser le ${fr}`,
      decisionNotAllowed: (status) => `Cette décision n’est plus possible\u202f: le ${fr} est ${status}.`,
      banner: { cancelled: `Ce ${fr} a été annulé`, draft: `Ce ${fr} est encore en préparation` },
    },
    en: {
      quote: capitalized(en),
      accept: `Accept the ${en}`,
      refuse: `Refuse the ${en}`,
      decisionNotAllowed: (status) => `This decision is no longer possible: the ${en} is ${status}.`,
      banner: { cancelled: `This ${en} was cancelled`, draft: `This ${en} is still being prepared` },
    },
    sv: {
      quote: sv.title,
      accept: `Godkänn ${sv.definite}`,
      refuse: `Avböj ${sv.definite}`,
      decisionNotAllowed: (status) => `Det beslutet går inte längre att fatta: ${sv.definite} är ${status}.`,
      banner: { cancelled: `${capitalized(sv.definite)} har återkallats`, draft: `${capitalized(sv.definite)} är fortfarande under arbete` },
    },
  };
}

const KIND_WORDS: Record<AcceptanceKind | 'request', Record<Locale, KindWords>> = {
  order: wordsNaming({ fr: 'bon de commande', en: 'order', sv: { title: 'Order', definite: 'ordern' } }),
  delivery_note: wordsNaming({ fr: 'bon de livraison', en: 'delivery note', sv: { title: 'Följesedel', definite: 'följesedeln' } }),
  // A request is answered on its price proposal (seed 004: "proposition de prix").
  request: {
    fr: {
      quote: 'Proposition de prix',
      accept: 'Accepter la proposition de prix',
      refuse: 'Refuser la proposition de prix',
      decisionNotAllowed: (status) => `Cette décision n’est plus possible\u202f: la demande est ${status}.`,
      banner: { cancelled: 'Cette demande a été annulée', draft: 'Cette demande est encore en préparation' },
    },
    en: {
      quote: 'Price proposal',
      accept: 'Accept the price proposal',
      refuse: 'Decline the price proposal',
      decisionNotAllowed: (status) => `This decision is no longer possible: the request is ${status}.`,
      banner: { cancelled: 'This request was cancelled', draft: 'This request is still being prepared' },
    },
    sv: {
      quote: 'Prisförslag',
      accept: 'Godkänn prisförslaget',
      refuse: 'Avböj prisförslaget',
      decisionNotAllowed: (status) => `Det beslutet går inte längre att fatta: förfrågan är ${status}.`,
      banner: { cancelled: 'Förfrågan har återkallats', draft: 'Förfrågan är fortfarande under arbete' },
    },
  },
};

/** The portal's words for a document of `kind` (a quote's for any kind without words of its own). */
export function messagesFor(locale: Locale, kind: string): Messages {
  const base = MESSAGES[locale];
  if (!isAcceptanceKind(kind) && kind !== 'request') return base;
  const words = KIND_WORDS[kind][locale];
  return { ...base, ...words, banner: { ...base.banner, ...words.banner } };
}
