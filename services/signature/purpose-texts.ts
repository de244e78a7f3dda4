/**
 * The words of the provider's email (or SMS) to the signer, one template per flavour of the
 * seed's "Digital Signering": offert, snabboffert, merförsäljning, orderbekräftelse. The
 * provider adds its own signing link and button, so these carry no {{link}}. They are
 * Greenlight's defaults in the template catalogue (services/notify/templates.ts) under
 * `digital_<purpose>`, which a tenant overrides like any other template.
 *
 * Data only: the catalogue imports it, and purpose-templates.ts renders it.
 */
import type { Locale } from '../../domain/documents';
import type { SignaturePurpose } from '../../domain/digital-status';
import type { TemplateText } from '../notify/templates';

/** The catalogue's name of a purpose's template: "digital_quote", "digital_order_confirmation". */
export type DigitalTemplateName = `digital_${SignaturePurpose}`;

export function digitalTemplateName(purpose: SignaturePurpose): DigitalTemplateName {
  return `digital_${purpose}`;
}

export const PURPOSE_TEMPLATES: Record<SignaturePurpose, Record<Locale, TemplateText>> = {
  quote: {
    sv: {
      subject: 'Offert {{number}} från {{seller}} att signera',
      body: 'Hej {{customer}},\n\n{{message}}\n\nHär är vår offert {{number}} på {{total}}. Läs igenom den och signera digitalt om du vill gå vidare.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: offert {{number}} ({{total}}) att signera digitalt.',
    },
    en: {
      subject: 'Quote {{number}} from {{seller}} to sign',
      body: 'Hello {{customer}},\n\n{{message}}\n\nHere is our quote {{number}} for {{total}}. Read it through and sign it digitally to go ahead.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: quote {{number}} ({{total}}) to sign digitally.',
    },
    fr: {
      subject: 'Devis {{number}} de {{seller}} à signer',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nVoici notre devis {{number}} d’un montant de {{total}}. Lisez-le et signez-le en ligne pour le valider.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : devis {{number}} ({{total}}) à signer en ligne.',
    },
  },
  quick_quote: {
    sv: {
      subject: 'Snabboffert {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nSom vi pratade om: snabboffert {{number}} på {{total}}. Signera så sätter vi igång.\n\n{{seller}}',
      sms: '{{seller}}: snabboffert {{number}} ({{total}}). Signera så sätter vi igång.',
    },
    en: {
      subject: 'Quick quote {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nAs discussed: quick quote {{number}} for {{total}}. Sign it and we start.\n\n{{seller}}',
      sms: '{{seller}}: quick quote {{number}} ({{total}}). Sign it and we start.',
    },
    fr: {
      subject: 'Devis express {{number}} de {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nComme convenu\u202f: devis express {{number}} de {{total}}. Signez-le et nous commençons.\n\n{{seller}}',
      sms: '{{seller}} : devis express {{number}} ({{total}}). Signez et nous commençons.',
    },
  },
  upsell: {
    sv: {
      subject: 'Tilläggsförsäljning {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nUtöver din pågående order föreslår vi {{number}} på {{total}}. Signera digitalt om du vill lägga till det.\n\n{{seller}}',
      sms: '{{seller}}: tillägg {{number}} ({{total}}) till din order. Signera för att lägga till.',
    },
    en: {
      subject: 'An addition to your order: {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nIn addition to your current order we suggest {{number}} for {{total}}. Sign it digitally to add it.\n\n{{seller}}',
      sms: '{{seller}}: addition {{number}} ({{total}}) to your order. Sign to add it.',
    },
    fr: {
      subject: 'Un complément à votre commande\u202f: {{number}} de {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nEn complément de votre commande en cours, nous vous proposons {{number}} pour {{total}}. Signez-le en ligne pour l’ajouter.\n\n{{seller}}',
      sms: '{{seller}} : complément {{number}} ({{total}}) à votre commande. Signez pour l’ajouter.',
    },
  },
  order_confirmation: {
    sv: {
      subject: 'Orderbekräftelse {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nTack för din order. Här är orderbekräftelse {{number}} på {{total}}: signera den digitalt för att bekräfta.\n\n{{seller}}',
      sms: '{{seller}}: orderbekräftelse {{number}} ({{total}}). Signera för att bekräfta.',
    },
    en: {
      subject: 'Order confirmation {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nThank you for your order. Here is order confirmation {{number}} for {{total}}: sign it digitally to confirm.\n\n{{seller}}',
      sms: '{{seller}}: order confirmation {{number}} ({{total}}). Sign to confirm.',
    },
    fr: {
      subject: 'Confirmation de commande {{number}} de {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nMerci pour votre commande. Voici la confirmation {{number}} de {{total}}\u202f: signez-la en ligne pour la confirmer.\n\n{{seller}}',
      sms: '{{seller}} : confirmation de commande {{number}} ({{total}}). Signez pour confirmer.',
    },
  },
};
