/**
 * Email and SMS templates: the document to the customer (first send and reminder differ, as
 * the seeds ask; a quote that must be signed is sent and reminded with words that ask for the
 * signature; quotes, orders and delivery notes each have theirs, so each says what it
 * carries) and the notices to the salesperson in charge, in French, English and Swedish.
 *
 * A template is, per locale, an email (a subject and a plain-text body) and an SMS text, all
 * with {{placeholders}}. Tenants override any part of any template per locale in
 * TenantSettings.templates ({ "<name>": { "<locale>": { subject?, body?, sms? } } }, the
 * subject and body together); defaults and overrides go through the same renderers, and the
 * email one escapes every value in HTML and always carries the document link in a customer
 * email, even when an override forgot {{link}}.
 */
import escapeHtml from 'escape-html';
import { brandPalette } from '../../domain/seller';
import type { AcceptanceKind } from '../../domain/acceptance';
import type { AuditEventType, Confirmation, Locale, NotifyEvent } from '../../domain/documents';
import { PURPOSE_TEMPLATES, type DigitalTemplateName } from '../signature/purpose-texts';

/** The quote's templates keep their first names; orders and delivery notes prefix theirs with the kind. */
export type CustomerTemplateName =
  | 'first_send'
  | 'reminder'
  | 'signature_request'
  | 'signature_reminder'
  | 'message'
  | `${AcceptanceKind}_${'first_send' | 'reminder'}`
  | `invoice_${'first_send' | 'reminder'}`
  | 'proof_revision'
  | 'proof_next_revision'
  | 'proof_reminder'
  | 'proof_forwarded'
  | 'proof_colleague_decided'
  | 'request_proposal'
  | ConfirmationTemplateName;
export type ConfirmationTemplateName = `confirmation_${Confirmation}`;
/**
 * A notice to the assignee is its event's (`assignee_<event>`), but where those words would not
 * be true of what happened: a quote's deposit paid or refused names the deposit, and an
 * invoice's refused card is not a service request's (charged at confirmation, hence "confirmed
 * but unpaid", the words `assignee_payment_failed` has always said).
 */
export type AssigneeTemplateName = `assignee_${NotifyEvent}` | `assignee_${'deposit_paid' | 'deposit_failed' | 'invoice_payment_failed'}`;

/** The notice that tells the assignee of `what` (an audit event type) on a document of `kind`, on their `event`'s channels. */
export function assigneeTemplateName(kind: string, event: NotifyEvent, what: AuditEventType): AssigneeTemplateName {
  if (what === 'deposit_paid' || what === 'deposit_failed') return `assignee_${what}`;
  if (kind === 'invoice' && event === 'payment_failed') return 'assignee_invoice_payment_failed';
  return `assignee_${event}`;
}
export type TemplateName = CustomerTemplateName | AssigneeTemplateName | DigitalTemplateName;

/** One template in one language. */
export interface TemplateText {
  subject: string;
  body: string;
  /** The same message as one short SMS. */
  sms: string;
}

/** What a tenant may override of a template in one language: the email (subject and body), the SMS, or both. */
export type TemplateOverride = Partial<TemplateText>;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Catalogue = Record<TemplateName, Record<Locale, TemplateText>>;

/**
 * The notice that the customer did something to the document: "{{kind}} {{number}} viewed by
 * {{customer}}", the body adding the total and the time. French takes the participle alone,
 * English says "was viewed" in the body; Swedish has a participle for the subject and the SMS,
 * and a past tense for the body.
 */
function customerDid(done: { fr: string; en: string; sv: { participle: string; past: string } }): Record<Locale, TemplateText> {
  const { fr, en, sv } = done;
  return {
    fr: { subject: `{{kind}} {{number}} ${fr} par {{customer}}`, body: `{{kind}} {{number}} ({{total}}) ${fr} par {{customer}} le {{at}}.`, sms: `{{kind}} {{number}} ${fr} par {{customer}} le {{at}}.` },
    en: { subject: `{{kind}} {{number}} ${en} by {{customer}}`, body: `{{kind}} {{number}} ({{total}}) was ${en} by {{customer}} on {{at}}.`, sms: `{{kind}} {{number}} ${en} by {{customer}} on {{at}}.` },
    sv: { subject: `{{kind}} {{number}} ${sv.participle} av {{customer}}`, body: `{{kind}} {{number}} ({{total}}) ${sv.past} av {{customer}} {{at}}.`, sms: `{{kind}} {{number}} ${sv.participle} av {{customer}} {{at}}.` },
  };
}

/** The notice followed by the customer's {{reason}}: a paragraph of the email, the end of the SMS. */
function withReason(notice: Record<Locale, TemplateText>): Record<Locale, TemplateText> {
  const add = (text: TemplateText): TemplateText => ({ ...text, body: `${text.body}\n\n{{reason}}`, sms: `${text.sms} {{reason}}` });
  return { fr: add(notice.fr), en: add(notice.en), sv: add(notice.sv) };
}

export const DEFAULT_TEMPLATES: Catalogue = {
  first_send: {
    fr: {
      subject: 'Devis {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nVeuillez trouver notre devis {{number}} d’un montant de {{total}}. {{validity}}\n\nVous pouvez le consulter, le télécharger en PDF et nous répondre en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre devis {{number}} ({{total}}) est prêt. Consultez-le et répondez en ligne : {{link}}',
    },
    en: {
      subject: 'Quote {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nPlease find our quote {{number}} for {{total}}. {{validity}}\n\nYou can read it, download it as a PDF and give us your answer online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your quote {{number}} ({{total}}) is ready. Read it and answer online: {{link}}',
    },
    sv: {
      subject: 'Offert {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nHär är vår offert {{number}} på {{total}}. {{validity}}\n\nDu kan läsa den, ladda ner den som PDF och svara oss direkt på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: din offert {{number}} ({{total}}) är klar. Läs den och svara på webben: {{link}}',
    },
  },
  reminder: {
    fr: {
      subject: 'Rappel\u202f: devis {{number}} en attente de votre réponse',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nNous revenons vers vous au sujet de notre devis {{number}} d’un montant de {{total}}, toujours en attente de votre réponse. {{validity}}\n\nUn clic suffit pour le consulter et nous répondre.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : rappel, votre devis {{number}} ({{total}}) attend votre réponse : {{link}}',
    },
    en: {
      subject: 'Reminder: quote {{number}} is waiting for your answer',
      body: 'Hello {{customer}},\n\n{{message}}\n\nA quick reminder about our quote {{number}} for {{total}}, which is still waiting for your answer. {{validity}}\n\nOne click is enough to read it and answer.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: a reminder, your quote {{number}} ({{total}}) is waiting for your answer: {{link}}',
    },
    sv: {
      subject: 'Påminnelse: offert {{number}} väntar på ditt svar',
      body: 'Hej {{customer}},\n\n{{message}}\n\nVi vill påminna om vår offert {{number}} på {{total}}, som fortfarande väntar på ditt svar. {{validity}}\n\nEtt klick räcker för att läsa den och svara.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: en påminnelse, din offert {{number}} ({{total}}) väntar på ditt svar: {{link}}',
    },
  },
  signature_request: {
    fr: {
      subject: 'Devis {{number}} à signer — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nVeuillez trouver notre devis {{number}} d’un montant de {{total}}. {{validity}}\n\nPour l’accepter, signez-le en ligne\u202f: choisissez les options qui vous intéressent, indiquez votre nom et signez. Vous pouvez aussi le télécharger en PDF.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre devis {{number}} ({{total}}) est prêt à être signé en ligne : {{link}}',
    },
    en: {
      subject: 'Quote {{number}} from {{seller}}, ready to sign',
      body: 'Hello {{customer}},\n\n{{message}}\n\nPlease find our quote {{number}} for {{total}}. {{validity}}\n\nTo accept it, sign it online: choose the options you want, type your name and sign. You can also download it as a PDF.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your quote {{number}} ({{total}}) is ready for you to sign online: {{link}}',
    },
    sv: {
      subject: 'Offert {{number}} från {{seller}}, klar att signera',
      body: 'Hej {{customer}},\n\n{{message}}\n\nHär är vår offert {{number}} på {{total}}. {{validity}}\n\nFör att godkänna den signerar du den på webben: välj de tillval du vill ha, skriv ditt namn och signera. Du kan också ladda ner den som PDF.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: din offert {{number}} ({{total}}) är klar att signera på webben: {{link}}',
    },
  },
  signature_reminder: {
    fr: {
      subject: 'Rappel\u202f: devis {{number}} en attente de votre signature',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nNous revenons vers vous au sujet de notre devis {{number}} d’un montant de {{total}}, toujours en attente de votre signature. {{validity}}\n\nQuelques instants suffisent pour le signer en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : rappel, votre devis {{number}} ({{total}}) attend votre signature : {{link}}',
    },
    en: {
      subject: 'Reminder: quote {{number}} is waiting for your signature',
      body: 'Hello {{customer}},\n\n{{message}}\n\nA quick reminder about our quote {{number}} for {{total}}, which is still waiting for your signature. {{validity}}\n\nSigning it online takes a moment.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: a reminder, your quote {{number}} ({{total}}) is waiting for your signature: {{link}}',
    },
    sv: {
      subject: 'Påminnelse: offert {{number}} väntar på din signatur',
      body: 'Hej {{customer}},\n\n{{message}}\n\nVi vill påminna om vår offert {{number}} på {{total}}, som fortfarande väntar på din signatur. {{validity}}\n\nDet tar bara en stund att signera den på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: en påminnelse, din offert {{number}} ({{total}}) väntar på din signatur: {{link}}',
    },
  },
  proof_revision: {
    fr: {
      subject: 'BAT {{number}} à valider — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nLe BAT {{number}} est prêt. Vérifiez chaque page en ligne, puis approuvez-le ou demandez des modifications.\n\nRien ne sera imprimé avant votre approbation.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre BAT {{number}} est prêt. Vérifiez-le et approuvez-le en ligne : {{link}}',
    },
    en: {
      subject: 'Proof {{number}} to approve — {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nProof {{number}} is ready. Check every page online, then approve it or ask for changes.\n\nNothing is printed before you approve it.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your proof {{number}} is ready. Check it and approve it online: {{link}}',
    },
    sv: {
      subject: 'Korrektur {{number}} att godkänna — {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nKorrekturet {{number}} är klart. Granska varje sida på webben och godkänn det eller begär ändringar.\n\nInget trycks innan du har godkänt det.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: ditt korrektur {{number}} är klart. Granska och godkänn det på webben: {{link}}',
    },
  },
  // Revision 2 and later, to the customer and to each colleague the proof was forwarded to:
  // {{revision}} and {{requests}} (what it follows: REVISION_EMAIL_WORDS) from the proof's trail.
  proof_next_revision: {
    fr: {
      subject: 'Révision {{revision}} du BAT {{number}} à valider — {{seller}}',
      body: 'Bonjour {{customer}},\n\nLa révision {{revision}} du BAT {{number}} est prête. {{requests}}\n\nVérifiez chaque page en ligne, puis approuvez-la ou demandez de nouvelles modifications.\n\nRien ne sera imprimé avant l’approbation.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : la révision {{revision}} du BAT {{number}} est prête. Vérifiez-la et approuvez-la en ligne : {{link}}',
    },
    en: {
      subject: 'Revision {{revision}} of proof {{number}} to approve — {{seller}}',
      body: 'Hello {{customer}},\n\nRevision {{revision}} of proof {{number}} is ready. {{requests}}\n\nCheck every page online, then approve it or ask for further changes.\n\nNothing is printed before it is approved.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: revision {{revision}} of proof {{number}} is ready. Check it and approve it online: {{link}}',
    },
    sv: {
      subject: 'Revision {{revision}} av korrektur {{number}} att godkänna — {{seller}}',
      body: 'Hej {{customer}},\n\nRevision {{revision}} av korrekturet {{number}} är klar. {{requests}}\n\nGranska varje sida på webben och godkänn den eller begär nya ändringar.\n\nInget trycks innan den har godkänts.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: revision {{revision}} av korrektur {{number}} är klar. Granska och godkänn den på webben: {{link}}',
    },
  },
  proof_reminder: {
    fr: {
      subject: 'Rappel\u202f: BAT {{number}} en attente de validation — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nPetit rappel\u202f: le BAT {{number}} attend toujours votre réponse. Vérifiez chaque page en ligne, puis approuvez-le ou demandez des modifications.\n\nRien ne sera imprimé avant votre approbation.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : rappel, votre BAT {{number}} attend votre validation : {{link}}',
    },
    en: {
      subject: 'Reminder: proof {{number}} is waiting for your approval — {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nA quick reminder: proof {{number}} is still waiting for your answer. Check every page online, then approve it or ask for changes.\n\nNothing is printed before you approve it.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: a reminder, your proof {{number}} is waiting for your approval: {{link}}',
    },
    sv: {
      subject: 'Påminnelse: korrektur {{number}} väntar på ditt godkännande — {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nVi vill påminna om att korrekturet {{number}} fortfarande väntar på ditt svar. Granska varje sida på webben och godkänn det eller begär ändringar.\n\nInget trycks innan du har godkänt det.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: en påminnelse, ditt korrektur {{number}} väntar på ditt godkännande: {{link}}',
    },
  },
  // To a colleague the customer forwarded the proof to ({{forwarder}}: who forwarded it).
  proof_forwarded: {
    fr: {
      subject: '{{forwarder}} vous transmet le BAT {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{forwarder}} vous demande de vérifier le BAT {{number}} préparé par {{seller}}.\n\nVérifiez chaque page en ligne, puis approuvez-le ou demandez des modifications. Aucun compte n’est nécessaire\u202f: ce lien ouvre ce BAT uniquement.\n\nRien ne sera imprimé avant l’approbation.\n\nCordialement,\n{{seller}}',
      sms: '{{forwarder}} vous transmet le BAT {{number}} de {{seller}} à vérifier et approuver : {{link}}',
    },
    en: {
      subject: '{{forwarder}} forwarded proof {{number}} to you — {{seller}}',
      body: 'Hello {{customer}},\n\n{{forwarder}} asks you to check proof {{number}}, prepared by {{seller}}.\n\nCheck every page online, then approve it or ask for changes. No account is needed: this link opens this proof only.\n\nNothing is printed before it is approved.\n\nKind regards,\n{{seller}}',
      sms: '{{forwarder}} forwarded proof {{number}} from {{seller}} for you to check and approve: {{link}}',
    },
    sv: {
      subject: '{{forwarder}} har skickat korrektur {{number}} till dig — {{seller}}',
      body: 'Hej {{customer}},\n\n{{forwarder}} ber dig granska korrekturet {{number}} från {{seller}}.\n\nGranska varje sida på webben och godkänn det eller begär ändringar. Inget konto behövs: länken öppnar bara det här korrekturet.\n\nInget trycks innan det har godkänts.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{forwarder}} har skickat korrektur {{number}} från {{seller}} till dig att granska och godkänna: {{link}}',
    },
  },
  // To the customer who forwarded the proof, once the colleague decided ({{decision}}: COLLEAGUE_DECISION_WORDS).
  proof_colleague_decided: {
    fr: {
      subject: 'BAT {{number}}\u202f: réponse de {{colleague}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\nVous avez transmis le BAT {{number}} à {{colleague}}, qui {{decision}}.\n\n{{comment}}\n\nVous pouvez le consulter en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : BAT {{number}}, {{colleague}} {{decision}}. Consultez-le : {{link}}',
    },
    en: {
      subject: 'Proof {{number}}: {{colleague}} has answered — {{seller}}',
      body: 'Hello {{customer}},\n\nYou forwarded proof {{number}} to {{colleague}}, who {{decision}}.\n\n{{comment}}\n\nYou can see it online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: proof {{number}}, {{colleague}} {{decision}}. See it: {{link}}',
    },
    sv: {
      subject: 'Korrektur {{number}}: {{colleague}} har svarat — {{seller}}',
      body: 'Hej {{customer}},\n\nDu skickade korrekturet {{number}} vidare till {{colleague}}, som {{decision}}.\n\n{{comment}}\n\nDu kan se det på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: korrektur {{number}}, {{colleague}} {{decision}}. Se det: {{link}}',
    },
  },
  order_first_send: {
    fr: {
      subject: 'Bon de commande {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nVeuillez trouver notre bon de commande {{number}} d’un montant de {{total}}.\n\nVous pouvez le consulter, le télécharger en PDF, puis l’accepter ou le refuser en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre bon de commande {{number}} ({{total}}) est prêt. Acceptez-le ou refusez-le en ligne : {{link}}',
    },
    en: {
      subject: 'Order {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nPlease find our order {{number}} for {{total}}.\n\nYou can read it, download it as a PDF, then accept or refuse it online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your order {{number}} ({{total}}) is ready. Accept or refuse it online: {{link}}',
    },
    sv: {
      subject: 'Order {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nHär är vår order {{number}} på {{total}}.\n\nDu kan läsa den, ladda ner den som PDF och sedan godkänna eller avböja den på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: din order {{number}} ({{total}}) är klar. Godkänn eller avböj den på webben: {{link}}',
    },
  },
  order_reminder: {
    fr: {
      subject: 'Rappel\u202f: bon de commande {{number}} en attente de votre réponse',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nNous revenons vers vous au sujet de notre bon de commande {{number}} d’un montant de {{total}}, toujours en attente de votre réponse.\n\nUn clic suffit pour le consulter et nous répondre.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : rappel, votre bon de commande {{number}} ({{total}}) attend votre réponse : {{link}}',
    },
    en: {
      subject: 'Reminder: order {{number}} is waiting for your answer',
      body: 'Hello {{customer}},\n\n{{message}}\n\nA quick reminder about our order {{number}} for {{total}}, which is still waiting for your answer.\n\nOne click is enough to read it and answer.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: a reminder, your order {{number}} ({{total}}) is waiting for your answer: {{link}}',
    },
    sv: {
      subject: 'Påminnelse: order {{number}} väntar på ditt svar',
      body: 'Hej {{customer}},\n\n{{message}}\n\nVi vill påminna om vår order {{number}} på {{total}}, som fortfarande väntar på ditt svar.\n\nEtt klick räcker för att läsa den och svara.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: en påminnelse, din order {{number}} ({{total}}) väntar på ditt svar: {{link}}',
    },
  },
  delivery_note_first_send: {
    fr: {
      subject: 'Bon de livraison {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nVeuillez trouver notre bon de livraison {{number}}.\n\nVous pouvez le consulter, le télécharger en PDF, puis l’accepter ou le refuser en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre bon de livraison {{number}} est prêt. Acceptez-le ou refusez-le en ligne : {{link}}',
    },
    en: {
      subject: 'Delivery note {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nPlease find our delivery note {{number}}.\n\nYou can read it, download it as a PDF, then accept or refuse it online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your delivery note {{number}} is ready. Accept or refuse it online: {{link}}',
    },
    sv: {
      subject: 'Följesedel {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nHär är vår följesedel {{number}}.\n\nDu kan läsa den, ladda ner den som PDF och sedan godkänna eller avböja den på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: din följesedel {{number}} är klar. Godkänn eller avböj den på webben: {{link}}',
    },
  },
  invoice_first_send: {
    fr: {
      subject: 'Facture {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nVeuillez trouver notre facture {{number}} d’un montant de {{total}}.\n\nVous pouvez la consulter, la télécharger en PDF et, si le paiement en ligne est proposé, la régler en ligne et récupérer votre reçu.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre facture {{number}} ({{total}}) est disponible. Consultez-la et réglez-la en ligne : {{link}}',
    },
    en: {
      subject: 'Invoice {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nPlease find our invoice {{number}} for {{total}}.\n\nYou can read it, download it as a PDF and, where online payment is offered, pay it online and get your receipt.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your invoice {{number}} ({{total}}) is ready. Read and pay it online: {{link}}',
    },
    sv: {
      subject: 'Faktura {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nHär är vår faktura {{number}} på {{total}}.\n\nDu kan läsa den, ladda ner den som PDF och, om betalning på webben erbjuds, betala den där och få ditt kvitto.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: din faktura {{number}} ({{total}}) är klar. Läs och betala den på webben: {{link}}',
    },
  },
  request_proposal: {
    fr: {
      subject: 'Proposition de prix pour votre demande {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nNous vous proposons le prix de {{total}} pour votre demande {{number}}.\n\nVous pouvez l’accepter ou la refuser en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : proposition de prix de {{total}} pour votre demande {{number}}. Acceptez-la ou refusez-la en ligne : {{link}}',
    },
    en: {
      subject: 'Price proposal for your request {{number}} from {{seller}}',
      body: 'Hello {{customer}},\n\n{{message}}\n\nWe propose the price of {{total}} for your request {{number}}.\n\nYou can accept or decline it online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: price proposal of {{total}} for your request {{number}}. Accept or decline it online: {{link}}',
    },
    sv: {
      subject: 'Prisförslag för din förfrågan {{number}} från {{seller}}',
      body: 'Hej {{customer}},\n\n{{message}}\n\nVi föreslår priset {{total}} för din förfrågan {{number}}.\n\nDu kan godkänna eller avböja det på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: prisförslag på {{total}} för din förfrågan {{number}}. Godkänn eller avböj det på webben: {{link}}',
    },
  },
  invoice_reminder: {
    fr: {
      subject: 'Rappel\u202f: facture {{number}} en attente de règlement',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nSauf erreur de notre part, notre facture {{number}} d’un montant de {{total}} n’est pas encore entièrement réglée.\n\nVous pouvez la consulter et la régler en ligne en un clic.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : rappel, votre facture {{number}} ({{total}}) attend son règlement : {{link}}',
    },
    en: {
      subject: 'Reminder: invoice {{number}} is waiting for payment',
      body: 'Hello {{customer}},\n\n{{message}}\n\nUnless we are mistaken, our invoice {{number}} for {{total}} is not fully paid yet.\n\nOne click is enough to read it and pay it online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: a reminder, your invoice {{number}} ({{total}}) is waiting for payment: {{link}}',
    },
    sv: {
      subject: 'Påminnelse: faktura {{number}} väntar på betalning',
      body: 'Hej {{customer}},\n\n{{message}}\n\nOm vi inte misstar oss är vår faktura {{number}} på {{total}} ännu inte helt betald.\n\nEtt klick räcker för att läsa den och betala den på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: en påminnelse, din faktura {{number}} ({{total}}) väntar på betalning: {{link}}',
    },
  },
  delivery_note_reminder: {
    fr: {
      subject: 'Rappel\u202f: bon de livraison {{number}} en attente de votre réponse',
      body: 'Bonjour {{customer}},\n\n{{message}}\n\nNous revenons vers vous au sujet de notre bon de livraison {{number}}, toujours en attente de votre réponse.\n\nUn clic suffit pour le consulter et nous répondre.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : rappel, votre bon de livraison {{number}} attend votre réponse : {{link}}',
    },
    en: {
      subject: 'Reminder: delivery note {{number}} is waiting for your answer',
      body: 'Hello {{customer}},\n\n{{message}}\n\nA quick reminder about our delivery note {{number}}, which is still waiting for your answer.\n\nOne click is enough to read it and answer.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: a reminder, your delivery note {{number}} is waiting for your answer: {{link}}',
    },
    sv: {
      subject: 'Påminnelse: följesedel {{number}} väntar på ditt svar',
      body: 'Hej {{customer}},\n\n{{message}}\n\nVi vill påminna om vår följesedel {{number}}, som fortfarande väntar på ditt svar.\n\nEtt klick räcker för att läsa den och svara.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: en påminnelse, din följesedel {{number}} väntar på ditt svar: {{link}}',
    },
  },
  message: {
    fr: {
      subject: 'Nouveau message de {{seller}} au sujet de {{number}}',
      body: 'Bonjour {{customer}},\n\n{{seller}} vous a écrit au sujet de {{number}}\u202f:\n\n{{message}}\n\nVous pouvez lire la conversation et répondre en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} vous a écrit au sujet de {{number}}. Lisez et répondez en ligne : {{link}}',
    },
    en: {
      subject: 'New message from {{seller}} about {{number}}',
      body: 'Hello {{customer}},\n\n{{seller}} wrote to you about {{number}}:\n\n{{message}}\n\nYou can read the conversation and answer online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}} wrote to you about {{number}}. Read and answer online: {{link}}',
    },
    sv: {
      subject: 'Nytt meddelande från {{seller}} om {{number}}',
      body: 'Hej {{customer}},\n\n{{seller}} har skrivit till dig om {{number}}:\n\n{{message}}\n\nDu kan läsa konversationen och svara på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}} har skrivit till dig om {{number}}. Läs och svara på webben: {{link}}',
    },
  },
  // The customer's confirmations (activities/notify/confirmation-email.ts): what was recorded and what happens next.
  confirmation_accepted: {
    fr: {
      subject: 'Devis {{number}} accepté\u202f: merci\u202f! — {{seller}}',
      body: 'Bonjour {{customer}},\n\nNous avons bien reçu votre acceptation du devis {{number}} d’un montant de {{total}}. Merci pour votre confiance.\n\nEt maintenant\u202f? {{seller}} prépare votre commande et revient vers vous pour la suite. Le devis reste consultable en ligne à tout moment.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre acceptation du devis {{number}} ({{total}}) est bien enregistrée. Merci ! {{link}}',
    },
    en: {
      subject: 'Quote {{number}} accepted: thank you! — {{seller}}',
      body: 'Hello {{customer}},\n\nWe have received your acceptance of quote {{number}} for {{total}}. Thank you for your trust.\n\nWhat happens next: {{seller}} is preparing your order and will be in touch. You can open the quote online at any time.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your acceptance of quote {{number}} ({{total}}) is recorded. Thank you! {{link}}',
    },
    sv: {
      subject: 'Offert {{number}} godkänd: tack! — {{seller}}',
      body: 'Hej {{customer}},\n\nVi har tagit emot ditt godkännande av offert {{number}} på {{total}}. Tack för förtroendet.\n\nSå här går det vidare: {{seller}} förbereder din order och hör av sig. Du kan när som helst öppna offerten på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: ditt godkännande av offert {{number}} ({{total}}) är registrerat. Tack! {{link}}',
    },
  },
  confirmation_signed: {
    fr: {
      subject: 'Devis {{number}} signé\u202f: votre exemplaire — {{seller}}',
      body: 'Bonjour {{customer}},\n\nVotre signature du devis {{number}} d’un montant de {{total}} est bien enregistrée. Merci pour votre confiance.\n\nVous trouverez ci-joint le devis signé et son certificat de signature\u202f; ils restent téléchargeables en ligne.\n\nEt maintenant\u202f? {{seller}} prépare votre commande et revient vers vous pour la suite.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre signature du devis {{number}} ({{total}}) est enregistrée. Devis signé et certificat : {{link}}',
    },
    en: {
      subject: 'Quote {{number}} signed: your copy — {{seller}}',
      body: 'Hello {{customer}},\n\nYour signature of quote {{number}} for {{total}} is recorded. Thank you for your trust.\n\nThe signed quote and its signature certificate are attached; you can also download them online.\n\nWhat happens next: {{seller}} is preparing your order and will be in touch.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your signature of quote {{number}} ({{total}}) is recorded. Signed quote and certificate: {{link}}',
    },
    sv: {
      subject: 'Offert {{number}} signerad: ditt exemplar — {{seller}}',
      body: 'Hej {{customer}},\n\nDin signatur av offert {{number}} på {{total}} är registrerad. Tack för förtroendet.\n\nDen signerade offerten och signaturintyget finns bifogade; du kan också ladda ner dem på webben.\n\nSå här går det vidare: {{seller}} förbereder din order och hör av sig.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: din signatur av offert {{number}} ({{total}}) är registrerad. Signerad offert och intyg: {{link}}',
    },
  },
  confirmation_approved: {
    fr: {
      subject: 'BAT {{number}} approuvé\u202f: merci\u202f! — {{seller}}',
      body: 'Bonjour {{customer}},\n\nNous avons bien reçu votre approbation du BAT {{number}}. Merci\u202f!\n\nEt maintenant\u202f? Votre travail part en production\u202f; {{seller}} vous tient informé de la suite. Le BAT approuvé reste consultable en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre approbation du BAT {{number}} est enregistrée, votre travail part en production. {{link}}',
    },
    en: {
      subject: 'Proof {{number}} approved: thank you! — {{seller}}',
      body: 'Hello {{customer}},\n\nWe have received your approval of proof {{number}}. Thank you!\n\nWhat happens next: your job goes into production, and {{seller}} will keep you posted. The approved proof stays available online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your approval of proof {{number}} is recorded; your job goes into production. {{link}}',
    },
    sv: {
      subject: 'Korrektur {{number}} godkänt: tack! — {{seller}}',
      body: 'Hej {{customer}},\n\nVi har tagit emot ditt godkännande av korrekturet {{number}}. Tack!\n\nSå här går det vidare: jobbet går till produktion och {{seller}} håller dig uppdaterad. Det godkända korrekturet finns kvar på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: ditt godkännande av korrektur {{number}} är registrerat; jobbet går till produktion. {{link}}',
    },
  },
  // A quote several people decide: each is told the round's decision on their own link. {{decider}}: whose no settled it.
  confirmation_deciders_accepted: {
    fr: {
      subject: 'Devis {{number}} accepté — {{seller}}',
      body: 'Bonjour {{customer}},\n\nLa décision sur le devis {{number}} d’un montant de {{total}} est prise\u202f: les personnes appelées à le valider l’ont accepté. Merci pour votre confiance.\n\nEt maintenant\u202f? {{seller}} prépare la commande et revient vers vous pour la suite. Votre lien montre qui a décidé, et le devis reste consultable en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : le devis {{number}} ({{total}}) est accepté par les personnes appelées à le valider. {{link}}',
    },
    en: {
      subject: 'Quote {{number}} accepted — {{seller}}',
      body: 'Hello {{customer}},\n\nThe decision on quote {{number}} for {{total}} is taken: the people asked to approve it accepted it. Thank you for your trust.\n\nWhat happens next: {{seller}} is preparing the order and will be in touch. Your link shows who decided, and the quote stays available online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: quote {{number}} ({{total}}) is accepted by the people asked to approve it. {{link}}',
    },
    sv: {
      subject: 'Offert {{number}} godkänd — {{seller}}',
      body: 'Hej {{customer}},\n\nBeslutet om offert {{number}} på {{total}} är fattat: de som ombads godkänna den har godkänt den. Tack för förtroendet.\n\nSå här går det vidare: {{seller}} förbereder ordern och hör av sig. Din länk visar vem som beslutade, och offerten finns kvar på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: offert {{number}} ({{total}}) är godkänd av de som ombads godkänna den. {{link}}',
    },
  },
  confirmation_deciders_signed: {
    fr: {
      subject: 'Devis {{number}} signé\u202f: votre exemplaire — {{seller}}',
      body: 'Bonjour {{customer}},\n\nLa décision sur le devis {{number}} d’un montant de {{total}} est prise\u202f: il est validé et signé par toutes les personnes appelées à le signer. Merci pour votre confiance.\n\nVous trouverez ci-joint le devis signé et son certificat de signature, qui liste chaque signataire\u202f; ils restent téléchargeables en ligne.\n\nEt maintenant\u202f? {{seller}} prépare la commande et revient vers vous pour la suite.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : le devis {{number}} ({{total}}) est signé par tous ses signataires. Devis signé et certificat : {{link}}',
    },
    en: {
      subject: 'Quote {{number}} signed: your copy — {{seller}}',
      body: 'Hello {{customer}},\n\nThe decision on quote {{number}} for {{total}} is taken: it is approved and signed by everyone asked to sign it. Thank you for your trust.\n\nThe signed quote and its signature certificate, which lists every signer, are attached; you can also download them online.\n\nWhat happens next: {{seller}} is preparing the order and will be in touch.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: quote {{number}} ({{total}}) is signed by all its signers. Signed quote and certificate: {{link}}',
    },
    sv: {
      subject: 'Offert {{number}} signerad: ditt exemplar — {{seller}}',
      body: 'Hej {{customer}},\n\nBeslutet om offert {{number}} på {{total}} är fattat: den är godkänd och signerad av alla som ombads signera den. Tack för förtroendet.\n\nDen signerade offerten och signaturintyget, som listar varje undertecknare, finns bifogade; du kan också ladda ner dem på webben.\n\nSå här går det vidare: {{seller}} förbereder ordern och hör av sig.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: offert {{number}} ({{total}}) är signerad av alla undertecknare. Signerad offert och intyg: {{link}}',
    },
  },
  confirmation_deciders_declined: {
    fr: {
      subject: 'Devis {{number}} refusé — {{seller}}',
      body: 'Bonjour {{customer}},\n\nLa décision sur le devis {{number}} d’un montant de {{total}} est prise\u202f: {{decider}} l’a refusé, et il n’est donc pas accepté. Plus rien n’est attendu de vous.\n\nVotre lien montre où en est chacun. Pour en reparler, répondez simplement à cet email.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : le devis {{number}} ({{total}}) est refusé par {{decider}}. Plus rien n’est attendu de vous. {{link}}',
    },
    en: {
      subject: 'Quote {{number}} declined — {{seller}}',
      body: 'Hello {{customer}},\n\nThe decision on quote {{number}} for {{total}} is taken: {{decider}} declined it, so it is not accepted. Nothing more is expected from you.\n\nYour link shows where everyone stands. To talk it over, simply reply to this email.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: quote {{number}} ({{total}}) is declined by {{decider}}. Nothing more is expected from you. {{link}}',
    },
    sv: {
      subject: 'Offert {{number}} avböjd — {{seller}}',
      body: 'Hej {{customer}},\n\nBeslutet om offert {{number}} på {{total}} är fattat: {{decider}} avböjde den, så den är inte godkänd. Inget mer väntas av dig.\n\nDin länk visar var alla står. Vill du prata om det kan du svara på det här mejlet.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: offert {{number}} ({{total}}) är avböjd av {{decider}}. Inget mer väntas av dig. {{link}}',
    },
  },
  // A proof several people decide: each is told the round's decision on their own link. {{decider}}: whose change request settled it.
  confirmation_deciders_approved: {
    fr: {
      subject: 'BAT {{number}} approuvé — {{seller}}',
      body: 'Bonjour {{customer}},\n\nLa décision sur le BAT {{number}} est prise\u202f: les personnes appelées à le valider l’ont approuvé. Merci\u202f!\n\nEt maintenant\u202f? Le travail part en production\u202f; {{seller}} vous tient informé de la suite. Votre lien montre qui a décidé, et le BAT approuvé reste consultable en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : le BAT {{number}} est approuvé par les personnes appelées à le valider ; le travail part en production. {{link}}',
    },
    en: {
      subject: 'Proof {{number}} approved — {{seller}}',
      body: 'Hello {{customer}},\n\nThe decision on proof {{number}} is taken: the people asked to approve it approved it. Thank you!\n\nWhat happens next: the job goes into production, and {{seller}} will keep you posted. Your link shows who decided, and the approved proof stays available online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: proof {{number}} is approved by the people asked to approve it; the job goes into production. {{link}}',
    },
    sv: {
      subject: 'Korrektur {{number}} godkänt — {{seller}}',
      body: 'Hej {{customer}},\n\nBeslutet om korrekturet {{number}} är fattat: de som ombads godkänna det har godkänt det. Tack!\n\nSå här går det vidare: jobbet går till produktion och {{seller}} håller dig uppdaterad. Din länk visar vem som beslutade, och det godkända korrekturet finns kvar på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: korrektur {{number}} är godkänt av de som ombads godkänna det; jobbet går till produktion. {{link}}',
    },
  },
  confirmation_deciders_changes_requested: {
    fr: {
      subject: 'BAT {{number}}\u202f: modifications demandées — {{seller}}',
      body: 'Bonjour {{customer}},\n\nLa décision sur le BAT {{number}} est prise\u202f: {{decider}} a demandé des modifications, et il n’est donc pas approuvé. Plus rien n’est attendu de vous sur cette révision.\n\nEt maintenant\u202f? {{seller}} prépare la révision suivante, qui vous sera envoyée pour validation. Votre lien montre où en est chacun.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : {{decider}} a demandé des modifications du BAT {{number}}. La révision suivante vous sera envoyée. {{link}}',
    },
    en: {
      subject: 'Proof {{number}}: changes requested — {{seller}}',
      body: 'Hello {{customer}},\n\nThe decision on proof {{number}} is taken: {{decider}} asked for changes, so it is not approved. Nothing more is expected from you on this revision.\n\nWhat happens next: {{seller}} is preparing the next revision, which will be sent to you for approval. Your link shows where everyone stands.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: {{decider}} asked for changes to proof {{number}}. The next revision will be sent to you. {{link}}',
    },
    sv: {
      subject: 'Korrektur {{number}}: ändringar begärda — {{seller}}',
      body: 'Hej {{customer}},\n\nBeslutet om korrekturet {{number}} är fattat: {{decider}} har begärt ändringar, så det är inte godkänt. Inget mer väntas av dig för den här revisionen.\n\nSå här går det vidare: {{seller}} förbereder nästa revision, som skickas till dig för godkännande. Din länk visar var alla står.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: {{decider}} har begärt ändringar av korrektur {{number}}. Nästa revision skickas till dig. {{link}}',
    },
  },
  // {{amount}}: the payment; {{receipt}}: its receipt on the portal.
  confirmation_paid: {
    fr: {
      subject: 'Paiement reçu pour la facture {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\nNous avons bien reçu votre paiement de {{amount}} pour la facture {{number}}. Merci\u202f!\n\nVotre reçu\u202f: {{receipt}}\n\nLa facture et ses reçus restent consultables en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : paiement de {{amount}} reçu pour la facture {{number}}. Merci ! Votre reçu : {{receipt}} {{link}}',
    },
    en: {
      subject: 'Payment received for invoice {{number}} — {{seller}}',
      body: 'Hello {{customer}},\n\nWe have received your payment of {{amount}} for invoice {{number}}. Thank you!\n\nYour receipt: {{receipt}}\n\nThe invoice and its receipts stay available online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: payment of {{amount}} received for invoice {{number}}. Thank you! Your receipt: {{receipt}} {{link}}',
    },
    sv: {
      subject: 'Betalning mottagen för faktura {{number}} — {{seller}}',
      body: 'Hej {{customer}},\n\nVi har tagit emot din betalning på {{amount}} för faktura {{number}}. Tack!\n\nDitt kvitto: {{receipt}}\n\nFakturan och dess kvitton finns kvar på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: betalning på {{amount}} mottagen för faktura {{number}}. Tack! Ditt kvitto: {{receipt}} {{link}}',
    },
  },
  confirmation_request_confirmed: {
    fr: {
      subject: 'Votre demande {{number}} est confirmée — {{seller}}',
      body: 'Bonjour {{customer}},\n\nBonne nouvelle\u202f: {{seller}} confirme votre demande {{number}}.\n\nEt maintenant\u202f? Nous nous occupons de la suite et vous tenons informé. Le détail de votre demande reste consultable en ligne.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} : votre demande {{number}} est confirmée. {{link}}',
    },
    en: {
      subject: 'Your request {{number}} is confirmed — {{seller}}',
      body: 'Hello {{customer}},\n\nGood news: {{seller}} confirms your request {{number}}.\n\nWhat happens next: we take it from here and will keep you posted. The details of your request stay available online.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}}: your request {{number}} is confirmed. {{link}}',
    },
    sv: {
      subject: 'Din förfrågan {{number}} är bekräftad — {{seller}}',
      body: 'Hej {{customer}},\n\nGoda nyheter: {{seller}} bekräftar din förfrågan {{number}}.\n\nSå här går det vidare: vi tar hand om resten och håller dig uppdaterad. Detaljerna i din förfrågan finns kvar på webben.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}}: din förfrågan {{number}} är bekräftad. {{link}}',
    },
  },
  // {{reason}}: the seller's reason, when they gave one.
  confirmation_request_declined: {
    fr: {
      subject: 'Votre demande {{number}} — {{seller}}',
      body: 'Bonjour {{customer}},\n\n{{seller}} ne peut malheureusement pas donner suite à votre demande {{number}}.\n\n{{reason}}\n\nPour toute question, répondez simplement à cet email.\n\nCordialement,\n{{seller}}',
      sms: '{{seller}} ne peut pas donner suite à votre demande {{number}}. {{link}}',
    },
    en: {
      subject: 'Your request {{number}} — {{seller}}',
      body: 'Hello {{customer}},\n\nUnfortunately, {{seller}} cannot take on your request {{number}}.\n\n{{reason}}\n\nFor any question, simply reply to this email.\n\nKind regards,\n{{seller}}',
      sms: '{{seller}} cannot take on your request {{number}}. {{link}}',
    },
    sv: {
      subject: 'Din förfrågan {{number}} — {{seller}}',
      body: 'Hej {{customer}},\n\nTyvärr kan {{seller}} inte åta sig din förfrågan {{number}}.\n\n{{reason}}\n\nHar du frågor kan du svara på det här mejlet.\n\nMed vänliga hälsningar,\n{{seller}}',
      sms: '{{seller}} kan tyvärr inte åta sig din förfrågan {{number}}. {{link}}',
    },
  },
  // Sent by the signature provider, which adds its own signing link (services/signature/purpose-texts.ts).
  digital_quote: PURPOSE_TEMPLATES.quote,
  digital_quick_quote: PURPOSE_TEMPLATES.quick_quote,
  digital_upsell: PURPOSE_TEMPLATES.upsell,
  digital_order_confirmation: PURPOSE_TEMPLATES.order_confirmation,
  // Notices name the document for what it is ({{kind}}: "Devis", "Bon de commande", "Följesedel"),
  // first in the sentence, as its own title; devis, bon de commande and bon de livraison are all
  // masculine and offert, order and följesedel all common gender, so one participle fits every kind.
  assignee_viewed: customerDid({ fr: 'consulté', en: 'viewed', sv: { participle: 'visad', past: 'öppnades' } }),
  assignee_downloaded: customerDid({ fr: 'téléchargé', en: 'downloaded', sv: { participle: 'nedladdad', past: 'laddades ner' } }),
  assignee_decided: withReason(customerDid({ fr: '{{decision}}', en: '{{decision}}', sv: { participle: '{{decision}}', past: 'blev {{decision}}' } })),
  assignee_signed: customerDid({ fr: 'signé', en: 'signed', sv: { participle: 'signerad', past: 'signerades' } }),
  assignee_paid: {
    fr: { subject: 'Paiement reçu pour {{number}}', body: '{{customer}} a payé {{number}} ({{total}}) le {{at}}.', sms: '{{customer}} a payé {{number}} ({{total}}) le {{at}}.' },
    en: { subject: 'Payment received for {{number}}', body: '{{customer}} paid {{number}} ({{total}}) on {{at}}.', sms: '{{customer}} paid {{number}} ({{total}}) on {{at}}.' },
    sv: { subject: 'Betalning mottagen för {{number}}', body: '{{customer}} betalade {{number}} ({{total}}) {{at}}.', sms: '{{customer}} betalade {{number}} ({{total}}) {{at}}.' },
  },
  // A service request's saved card, charged when the seller confirmed it.
  assignee_payment_failed: {
    fr: { subject: 'Carte refusée pour {{number}}', body: 'La carte de {{customer}} a été refusée pour {{number}} ({{total}}) le {{at}}\u202f: la demande est confirmée mais impayée.\n\n{{reason}}', sms: 'Carte de {{customer}} refusée pour {{number}} ({{total}}) le {{at}}.' },
    en: { subject: 'Card declined for {{number}}', body: 'The card of {{customer}} was declined for {{number}} ({{total}}) on {{at}}: the request is confirmed but unpaid.\n\n{{reason}}', sms: 'Card of {{customer}} declined for {{number}} ({{total}}) on {{at}}.' },
    sv: { subject: 'Kort nekat för {{number}}', body: 'Kortet för {{customer}} nekades för {{number}} ({{total}}) {{at}}: förfrågan är bekräftad men obetald.\n\n{{reason}}', sms: 'Kortet för {{customer}} nekades för {{number}} ({{total}}) {{at}}.' },
  },
  // The customer paid on the invoice's page: nothing else changed, they may pay again.
  assignee_invoice_payment_failed: {
    fr: {
      subject: 'Carte refusée pour la facture {{number}}',
      body: 'La carte de {{customer}} a été refusée pour la facture {{number}} ({{total}}) le {{at}}\u202f: la facture reste à payer, le client peut réessayer depuis sa page.\n\n{{reason}}',
      sms: 'Carte de {{customer}} refusée pour la facture {{number}} ({{total}}) le {{at}}.',
    },
    en: {
      subject: 'Card declined for invoice {{number}}',
      body: 'The card of {{customer}} was declined for invoice {{number}} ({{total}}) on {{at}}: the invoice is still to be paid, and the customer may try again from its page.\n\n{{reason}}',
      sms: 'Card of {{customer}} declined for invoice {{number}} ({{total}}) on {{at}}.',
    },
    sv: {
      subject: 'Kort nekat för faktura {{number}}',
      body: 'Kortet för {{customer}} nekades för faktura {{number}} ({{total}}) {{at}}: fakturan är fortfarande obetald och kunden kan försöka igen från dess sida.\n\n{{reason}}',
      sms: 'Kortet för {{customer}} nekades för faktura {{number}} ({{total}}) {{at}}.',
    },
  },
  // A quote's deposit: {{deposit}} is what its page asked, {{total}} the quote's; {{closedQuote}} says
  // so when the money came for a quote already refused, cancelled or expired (empty otherwise).
  assignee_deposit_paid: {
    fr: {
      subject: 'Acompte de {{deposit}} reçu pour le devis {{number}}',
      body: '{{customer}} a payé l’acompte de {{deposit}} du devis {{number}} (total {{total}}) le {{at}}.\n\n{{closedQuote}}',
      sms: '{{customer}} a payé l’acompte de {{deposit}} du devis {{number}} le {{at}}.',
    },
    en: {
      subject: 'Deposit of {{deposit}} received for quote {{number}}',
      body: '{{customer}} paid the deposit of {{deposit}} on quote {{number}} (total {{total}}) on {{at}}.\n\n{{closedQuote}}',
      sms: '{{customer}} paid the deposit of {{deposit}} on quote {{number}} on {{at}}.',
    },
    sv: {
      subject: 'Handpenning på {{deposit}} mottagen för offert {{number}}',
      body: '{{customer}} betalade handpenningen på {{deposit}} för offert {{number}} (totalt {{total}}) {{at}}.\n\n{{closedQuote}}',
      sms: '{{customer}} betalade handpenningen på {{deposit}} för offert {{number}} {{at}}.',
    },
  },
  assignee_deposit_failed: {
    fr: {
      subject: 'Acompte refusé pour le devis {{number}}',
      body: 'La carte de {{customer}} a été refusée pour l’acompte de {{deposit}} du devis {{number}} (total {{total}}) le {{at}}\u202f: l’acompte reste à payer, le client peut réessayer depuis le devis.\n\n{{reason}}',
      sms: 'Carte de {{customer}} refusée pour l’acompte de {{deposit}} du devis {{number}} le {{at}}.',
    },
    en: {
      subject: 'Deposit declined for quote {{number}}',
      body: 'The card of {{customer}} was declined for the deposit of {{deposit}} on quote {{number}} (total {{total}}) on {{at}}: the deposit is still to be paid, and the customer may try again from the quote.\n\n{{reason}}',
      sms: 'Card of {{customer}} declined for the deposit of {{deposit}} on quote {{number}} on {{at}}.',
    },
    sv: {
      subject: 'Handpenning nekad för offert {{number}}',
      body: 'Kortet för {{customer}} nekades för handpenningen på {{deposit}} för offert {{number}} (totalt {{total}}) {{at}}: handpenningen är fortfarande obetald och kunden kan försöka igen från offerten.\n\n{{reason}}',
      sms: 'Kortet för {{customer}} nekades för handpenningen på {{deposit}} för offert {{number}} {{at}}.',
    },
  },
  assignee_message: {
    fr: { subject: 'Nouveau message de {{customer}} sur {{number}}', body: '{{customer}} a écrit au sujet de {{number}} le {{at}}.\n\n{{reason}}', sms: 'Nouveau message de {{customer}} sur {{number}}, le {{at}}.' },
    en: { subject: 'New message from {{customer}} about {{number}}', body: '{{customer}} wrote about {{number}} on {{at}}.\n\n{{reason}}', sms: 'New message from {{customer}} about {{number}}, on {{at}}.' },
    sv: { subject: 'Nytt meddelande från {{customer}} om {{number}}', body: '{{customer}} skrev om {{number}} {{at}}.\n\n{{reason}}', sms: 'Nytt meddelande från {{customer}} om {{number}}, {{at}}.' },
  },
};

/** Words the renderer adds around the template: the link button and its plain-text twin. */
export const EMAIL_WORDS: Record<
  Locale,
  { openDocument: string; linkLine: (url: string) => string; validity: (date: string) => string; reason: (text: string) => string; aSigner: string }
> = {
  fr: { openDocument: 'Accéder au document', linkLine: (url) => `Accéder au document\u202f: ${url}`, validity: (date) => `Il est valable jusqu’au ${date}.`, reason: (text) => `Motif\u202f: «\u202f${text}\u202f»`, aSigner: 'un signataire' },
  en: { openDocument: 'View the document', linkLine: (url) => `View the document: ${url}`, validity: (date) => `It is valid until ${date}.`, reason: (text) => `Reason: “${text}”`, aSigner: 'a signer' },
  sv: { openDocument: 'Öppna dokumentet', linkLine: (url) => `Öppna dokumentet: ${url}`, validity: (date) => `Den gäller till och med ${date}.`, reason: (text) => `Anledning: ”${text}”`, aSigner: 'en undertecknare' },
};

/** A quote over (refused, cancelled, expired) when its deposit came: nothing in its status takes money. */
export type ClosedQuoteStatus = 'refused' | 'cancelled' | 'expired';

/** {{closedQuote}} of a deposit's notice: the money came for a quote already over, which it does not accept; what the seller does next. */
export const DEPOSIT_ON_CLOSED_QUOTE_WORDS: Record<Locale, (status: ClosedQuoteStatus) => string> = {
  fr: (status) =>
    `Le devis était déjà ${{ refused: 'refusé', cancelled: 'annulé', expired: 'expiré' }[status]} quand l’acompte est arrivé\u202f: il n’est pas accepté pour autant. Remboursez l’acompte, ou convenez de la suite avec le client.`,
  en: (status) => `The quote was already ${status} when the deposit came: it is not accepted by it. Refund the deposit, or agree with the customer on what comes next.`,
  sv: (status) =>
    `Offerten var redan ${{ refused: 'avböjd', cancelled: 'avbruten', expired: 'utgången' }[status]} när handpenningen kom: den är inte godkänd för det. Betala tillbaka handpenningen, eller kom överens med kunden om hur ni går vidare.`,
};

/** The outcome of a decision, as the assignee's notice says it (past participle). */
export const DECISION_WORDS: Record<
  Locale,
  Record<'accepted' | 'refused' | 'put_on_hold' | 'withdrawn' | 'approved' | 'changes_requested' | 'proposal_accepted' | 'proposal_declined', string>
> = {
  // A service request's price proposal answered (demande: feminine).
  fr: {
    accepted: 'accepté',
    refused: 'refusé',
    put_on_hold: 'mis en attente',
    withdrawn: 'de nouveau ouvert (réponse retirée)',
    approved: 'approuvé',
    changes_requested: 'renvoyé pour modifications',
    proposal_accepted: 'acceptée au prix proposé',
    proposal_declined: 'dont le prix proposé a été refusé',
  },
  en: {
    accepted: 'accepted',
    refused: 'refused',
    put_on_hold: 'put on hold',
    withdrawn: 'open again (answer withdrawn)',
    approved: 'approved',
    changes_requested: 'sent back for changes',
    proposal_accepted: 'accepted at the proposed price',
    proposal_declined: 'declined at the proposed price',
  },
  sv: {
    accepted: 'accepterad',
    refused: 'avböjd',
    put_on_hold: 'pausad',
    withdrawn: 'öppen igen (svaret återtaget)',
    approved: 'godkänd',
    changes_requested: 'skickad tillbaka för ändringar',
    proposal_accepted: 'accepterad till föreslaget pris',
    proposal_declined: 'avböjd till föreslaget pris',
  },
};

/**
 * What a later revision follows, as proof_next_revision's {{requests}} says it: the change
 * request on the revision sent before it, its comment and each pin as a line (those the seller
 * marked done say so); or, when none was made (the seller sent a new one unasked), the
 * revision it replaces.
 */
export const REVISION_EMAIL_WORDS: Record<
  Locale,
  { follows: (date: string) => string; pin: (pin: number, page: number, comment: string) => string; done: string; replaces: (revision: number) => string }
> = {
  fr: {
    follows: (date) => `Elle fait suite aux modifications demandées le ${date}\u202f:`,
    pin: (pin, page, comment) => `Repère ${pin}, page ${page}\u202f: ${comment}`,
    done: ' (traité)',
    replaces: (revision) => `Elle remplace la révision ${revision}.`,
  },
  en: {
    follows: (date) => `It follows the changes requested on ${date}:`,
    pin: (pin, page, comment) => `Pin ${pin}, page ${page}: ${comment}`,
    done: ' (done)',
    replaces: (revision) => `It replaces revision ${revision}.`,
  },
  sv: {
    follows: (date) => `Den följer de ändringar som begärdes ${date}:`,
    pin: (pin, page, comment) => `Markering ${pin}, sida ${page}: ${comment}`,
    done: ' (åtgärdad)',
    replaces: (revision) => `Den ersätter revision ${revision}.`,
  },
};

/** What a colleague did with a forwarded proof, as the sentence "…, who {{decision}}" ends. */
export const COLLEAGUE_DECISION_WORDS: Record<Locale, Record<'approved' | 'changes_requested', string> & { comment: (text: string) => string }> = {
  fr: { approved: 'l’a approuvé', changes_requested: 'a demandé des modifications', comment: (text) => `Commentaire\u202f: «\u202f${text}\u202f»` },
  en: { approved: 'approved it', changes_requested: 'asked for changes', comment: (text) => `Comment: “${text}”` },
  sv: { approved: 'har godkänt det', changes_requested: 'har begärt ändringar', comment: (text) => `Kommentar: ”${text}”` },
};

const hasText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * The tenant's version of a template where it has a usable one, else ours, part by part: a
 * tenant that rewrote only the email keeps our SMS, and the other way round.
 */
export function pickTemplate(name: TemplateName, locale: Locale, overrides: unknown): TemplateText {
  const override = (overrides as Record<string, Record<string, TemplateOverride | undefined> | undefined> | null)?.[name]?.[locale];
  const ours = DEFAULT_TEMPLATES[name][locale];
  const email = typeof override?.subject === 'string' && hasText(override.body) ? { subject: override.subject, body: override.body } : ours;
  return { subject: email.subject, body: email.body, sms: hasText(override?.sms) ? override.sms : ours.sms };
}

export const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;

/** Replaces placeholders in plain text; unknown ones stay visible so the author sees the typo. */
function fillText(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Placeholders whose value is a URL of ours: the portal link, a payment's receipt. */
const LINK_VALUES = new Set(['link', 'receipt']);

/** The same, for HTML: literal text and values escaped, links as anchors. */
function fillHtml(template: string, values: Record<string, string>): string {
  let html = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    html += escapeHtml(template.slice(last, match.index));
    const name = match[1] ?? '';
    const value = values[name];
    if (value === undefined) html += escapeHtml(match[0]);
    else if (LINK_VALUES.has(name) && value) html += `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>`;
    else html += escapeHtml(value).replace(/\n/g, '<br>');
    last = (match.index ?? 0) + match[0].length;
  }
  return html + escapeHtml(template.slice(last));
}

/** Blank lines separate paragraphs; an empty placeholder must not leave a hole. */
function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
}

/** Who the email is from, at its top: the seller's logo (an absolute address mail clients load) or its name, in its colour. */
export interface EmailBrand {
  name: string;
  logo?: { url: string; width: number; height: number };
  /** A validated #rrggbb. */
  color?: string;
}

const DEFAULT_ACCENT = { accent: '#1f6f43', accentInk: '#ffffff', accentText: '#1f6f43' };

function brandHeader(brand: EmailBrand, accentText: string): string {
  const name = escapeHtml(brand.name);
  if (!brand.logo) return `<p style="margin:0 0 24px;font-size:18px;font-weight:700;color:${accentText}">${name}</p>`;
  const height = Math.min(48, brand.logo.height);
  const width = Math.round((brand.logo.width * height) / brand.logo.height);
  return `<p style="margin:0 0 24px"><img src="${escapeHtml(brand.logo.url)}" alt="${name}" width="${width}" height="${height}" style="display:block;border:0;max-width:100%;height:auto"></p>`;
}

function layout(locale: Locale, innerHtml: string, brand: EmailBrand | undefined, accent: string): string {
  const palette = brand?.color ? brandPalette(brand.color) : DEFAULT_ACCENT;
  return [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"></head>`,
    '<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif">',
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;color:#1a1c21;font-size:15px;line-height:1.55${brand ? `;border-top:4px solid ${accent}` : ''}">`,
    brand ? brandHeader(brand, palette.accentText) : '',
    innerHtml,
    '</div></body></html>',
  ].join('');
}

export interface RenderOptions {
  locale: Locale;
  values: Record<string, string>;
  /** Customer emails: the portal link, always present as a button and in the text. */
  link?: string;
  /** Customer emails: the seller's name and logo at the top, its colour on the button. */
  brand?: EmailBrand;
}

export function renderEmail(template: TemplateText, options: RenderOptions): RenderedEmail {
  const values = { ...options.values, ...(options.link ? { link: options.link } : {}) };
  // Runs of spaces and line breaks fold into one space; the no-break ones French typography puts before ? ! : ; stay.
  const subject = fillText(template.subject, values).replace(/[^\S\u00a0\u202f]+/g, ' ').trim();
  const bodyParagraphs = paragraphs(template.body);

  const textParagraphs = bodyParagraphs.map((paragraph) => fillText(paragraph, values).trim()).filter(Boolean);
  const htmlParagraphs = bodyParagraphs
    .filter((paragraph) => fillText(paragraph, values).trim())
    .map((paragraph) => `<p style="margin:0 0 16px">${fillHtml(paragraph, values).replace(/\n/g, '<br>')}</p>`);

  const palette = options.brand?.color ? brandPalette(options.brand.color) : DEFAULT_ACCENT;
  if (options.link) {
    const words = EMAIL_WORDS[options.locale];
    const href = escapeHtml(options.link);
    htmlParagraphs.push(
      `<p style="margin:24px 0"><a href="${href}" style="display:inline-block;background:${palette.accent};color:${palette.accentInk};text-decoration:none;padding:12px 22px;border-radius:6px;font-weight:600">${escapeHtml(words.openDocument)}</a></p>`,
    );
    if (!textParagraphs.some((paragraph) => paragraph.includes(options.link as string))) {
      textParagraphs.push(words.linkLine(options.link));
    }
  }
  return { subject, html: layout(options.locale, htmlParagraphs.join('\n'), options.brand, palette.accent), text: `${textParagraphs.join('\n\n')}\n` };
}

/** The SMS text: plain, on as few characters as it can (an empty placeholder leaves no double space). */
export function renderSms(template: TemplateText, values: Record<string, string>): string {
  return fillText(template.sms, values).replace(/\s+/g, ' ').trim();
}
