/**
 * What a tenant's template override must respect, checked when the settings are saved so
 * a broken template never reaches a customer. The rules come from the catalogue itself
 * (templates.ts): the template names are its names, the placeholders a template may use
 * are those its default versions use (in any language, email or SMS) plus {{link}}, and a
 * template the customer receives must carry {{link}}, in its email body and in its SMS — the
 * seeds warn users not to break the links; we make it impossible. The signature provider's
 * templates (digital_*) are the exception: the provider adds its own signing link, so they
 * neither need nor know {{link}}.
 */
import { DEFAULT_TEMPLATES, PLACEHOLDER, type TemplateName, type TemplateOverride, type TemplateText } from './templates';

const LINK_PLACEHOLDER = 'link';

/** Notices to the salesperson are named assignee_*; every other template goes to the customer. */
function isCustomerTemplate(name: string): boolean {
  return !name.startsWith('assignee_');
}

/** Sent by us with our portal link: every customer template but the signature provider's (digital_<purpose>). */
function carriesOurLink(name: string): boolean {
  return isCustomerTemplate(name) && !name.startsWith('digital_');
}

const TEMPLATE_PARTS = ['subject', 'body', 'sms'] as const satisfies readonly (keyof TemplateText)[];
/** The parts that take the customer to the document, so each must carry the link. */
const LINKED_PARTS: readonly (keyof TemplateText)[] = ['body', 'sms'];

function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

function allowedPlaceholders(name: TemplateName): Set<string> {
  const defaults = Object.values(DEFAULT_TEMPLATES[name]).flatMap((text) => TEMPLATE_PARTS.flatMap((part) => placeholdersIn(text[part])));
  return new Set([...defaults, ...(carriesOurLink(name) ? [LINK_PLACEHOLDER] : [])]);
}

export interface TemplateProblem {
  /** Where in the settings body: "templates.first_send.fr.body". */
  path: string;
  message: string;
}

/** Everything wrong with a set of overrides ({ name: { locale: { subject?, body?, sms? } } }); empty when it can be saved. */
export function templateProblems(overrides: Record<string, Record<string, TemplateOverride>>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [name, byLocale] of Object.entries(overrides)) {
    if (!(name in DEFAULT_TEMPLATES)) {
      problems.push({ path: `templates.${name}`, message: `unknown template; known ones: ${Object.keys(DEFAULT_TEMPLATES).join(', ')}` });
      continue;
    }
    const allowed = allowedPlaceholders(name as TemplateName);
    for (const [locale, text] of Object.entries(byLocale)) {
      for (const part of TEMPLATE_PARTS) {
        const written = text[part];
        if (written === undefined) continue;
        for (const placeholder of placeholdersIn(written)) {
          if (!allowed.has(placeholder)) {
            problems.push({ path: `templates.${name}.${locale}.${part}`, message: `unknown placeholder {{${placeholder}}}; this template knows ${[...allowed].map((known) => `{{${known}}}`).join(', ')}` });
          }
        }
        if (carriesOurLink(name) && LINKED_PARTS.includes(part) && !placeholdersIn(written).includes(LINK_PLACEHOLDER)) {
          problems.push({ path: `templates.${name}.${locale}.${part}`, message: `missing the {{${LINK_PLACEHOLDER}}} placeholder: the customer reaches the document through it` });
        }
      }
    }
  }
  return problems;
}
