/**
 * French typography in every French text the customer reads (issue 14): a narrow no-break
 * space (U+202F) before ? ! : ; and inside « », typographic apostrophes. The catalogues are
 * walked whole — every string, every sentence a function makes — so a new string written the
 * typewriter's way fails here. SMS texts are left out: a U+202F would force UCS-2 and halve
 * what one SMS part holds.
 */
import { MESSAGES, PROOF_MESSAGES } from '../../../api/portal/i18n';
import { messagesFor } from '../../../api/portal/kind-words';
import { CHAIN_WORDS } from '../../../api/portal/chain-and-conversation';
import { SIGNING_MESSAGES } from '../../../api/portal/sign-form';
import { FORWARD_WORDS } from '../../../api/portal/forward-section';
import { COLLEAGUE_DECISION_WORDS, DECISION_WORDS, DEFAULT_TEMPLATES, EMAIL_WORDS, REVISION_EMAIL_WORDS } from '../../../services/notify/templates';
import { PURPOSE_TEMPLATES } from '../../../services/signature/purpose-texts';
import { QUOTE_LABELS, DOCUMENT_TITLES } from '../../../services/render/labels';
import { consentSentence } from '../../../domain/signature';

/** Every text a catalogue holds or makes, with where it is; functions are called with sample words. */
function texts(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return texts((value as (...args: unknown[]) => unknown)('X', 'Y', 'Z'), `${path}()`);
  if (Array.isArray(value)) return value.flatMap((item, index) => texts(item, `${path}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => (key === 'sms' ? [] : texts(child, `${path}.${key}`)));
  }
  return [];
}

const FRENCH: [string, unknown][] = [
  ['portal', MESSAGES.fr],
  ['proof page', PROOF_MESSAGES.fr],
  ...(['quote', 'order', 'delivery_note', 'invoice', 'request'] as const).map((kind): [string, unknown] => [`portal ${kind}`, messagesFor('fr', kind)]),
  ['chain and conversation', CHAIN_WORDS.fr],
  ['signing', SIGNING_MESSAGES.fr],
  ['forwarding', FORWARD_WORDS.fr],
  ['email words', EMAIL_WORDS.fr],
  ['decision words', DECISION_WORDS.fr],
  ['revision email words', REVISION_EMAIL_WORDS.fr],
  ['colleague decision words', COLLEAGUE_DECISION_WORDS.fr],
  ['email templates', Object.fromEntries(Object.entries(DEFAULT_TEMPLATES).map(([name, byLocale]) => [name, byLocale.fr]))],
  ['signature provider templates', Object.fromEntries(Object.entries(PURPOSE_TEMPLATES).map(([name, byLocale]) => [name, byLocale.fr]))],
  ['PDF labels', QUOTE_LABELS.fr],
  ['PDF titles', DOCUMENT_TITLES.fr],
  ['consent', consentSentence('fr', { number: 'DEV-1', seller: 'Imprimerie' })],
];

const RULES: [string, RegExp][] = [
  ['a plain or no-break space before ? ! : ;', /[ \u00a0][?!:;](?=\s|$)/],
  ['no space before ? ! ;', /[\p{L}\p{N})»}][?!;](?=\s|$)/u],
  ['a typewriter apostrophe', /\p{L}'\p{L}/u],
  ['« or » without its narrow space', /«(?!\u202f)|(?<!\u202f)»/],
];

test.each(FRENCH)('French %s follows French typography', (_name, catalogue) => {
  const found = texts(catalogue, '').flatMap(([path, text]) => RULES.filter(([, rule]) => rule.test(text)).map(([what]) => `${path}: ${what} in "${text}"`));
  expect(found).toEqual([]);
});

test('the rules catch what they are for', () => {
  const caught = (text: string) => RULES.filter(([, rule]) => rule.test(text)).map(([what]) => what);
  expect(caught('Merci ! Votre devis')).toEqual(['a plain or no-break space before ? ! : ;']);
  expect(caught('Merci! Votre devis')).toEqual(['no space before ? ! ;']);
  expect(caught("Valable jusqu'au")).toEqual(['a typewriter apostrophe']);
  expect(caught('« oui »')).toEqual(['« or » without its narrow space']);
  expect(caught('Merci\u202f! «\u202foui\u202f» jusqu’au https://x.test')).toEqual([]);
});
