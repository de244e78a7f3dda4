/**
 * What a tenant's template override must respect, checked when the settings are saved so
 * a broken template never reaches a customer. The rules come from the catalogue itself
 * (templates.ts): the template names are its names, the placeholders a template may use
 * are those its default versions use (in any language) plus {{link}}, and a template the
 * customer receives must carry {{link}} — the seeds warn users not to break the links; we
 * make it impossible.
 */
import { DEFAULT_TEMPLATES, PLACEHOLDER, type TemplateName, type TemplateText } from './templates';

export const LINK_PLACEHOLDER = 'link';

/** Notices to the salesperson are named assignee_*; every other template goes to the customer. */
export function isCustomerTemplate(name: string): boolean {
  return !name.startsWith('assignee_');
}

function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

function allowedPlaceholders(name: TemplateName): Set<string> {
  const defaults = Object.values(DEFAULT_TEMPLATES[name]).flatMap((text) => [...placeholdersIn(text.subject), ...placeholdersIn(text.body)]);
  return new Set([...defaults, LINK_PLACEHOLDER]);
}

export interface TemplateProblem {
  /** Where in the settings body: "templates.first_send.fr.body". */
  path: string;
  message: string;
}

/** Everything wrong with a set of overrides ({ name: { locale: { subject, body } } }); empty when it can be saved. */
export function templateProblems(overrides: Record<string, Record<string, TemplateText>>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [name, byLocale] of Object.entries(overrides)) {
    if (!(name in DEFAULT_TEMPLATES)) {
      problems.push({ path: `templates.${name}`, message: `unknown template; known ones: ${Object.keys(DEFAULT_TEMPLATES).join(', ')}` });
      continue;
    }
    const allowed = allowedPlaceholders(name as TemplateName);
    for (const [locale, text] of Object.entries(byLocale)) {
      for (const field of ['subject', 'body'] as const) {
        for (const placeholder of placeholdersIn(text[field])) {
          if (!allowed.has(placeholder)) {
            problems.push({ path: `templates.${name}.${locale}.${field}`, message: `unknown placeholder {{${placeholder}}}; this template knows ${[...allowed].map((known) => `{{${known}}}`).join(', ')}` });
          }
        }
      }
      if (isCustomerTemplate(name) && !placeholdersIn(text.body).includes(LINK_PLACEHOLDER)) {
        problems.push({ path: `templates.${name}.${locale}.body`, message: `missing the {{${LINK_PLACEHOLDER}}} placeholder: the customer reaches the document through it` });
      }
    }
  }
  return problems;
}
