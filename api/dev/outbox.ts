/**
 * GET /dev/outbox (development only): the emails and SMS the local outbox received, newest
 * first, with the links found in each message — JSON for scripts and tests, a small page for
 * people (a text shown whole, under the number it went to).
 */
import escapeHtml from 'escape-html';
import { rowFields } from '../../platform/rows';
import type { Request, Response } from 'express';
import type { Config } from '../../platform/config';
import { AppError } from '../../domain/errors';

interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms';
  from: string;
  to: string | string[];
  subject: string;
  html?: string;
  text?: string;
  links: string[];
  attachments?: { filename: string; size: number }[];
  createdAt: string;
}

async function fetchOutbox(outboxUrl: string): Promise<OutboxMessage[]> {
  let response: globalThis.Response;
  try {
    response = await fetch(`${outboxUrl}/emails`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
  } catch {
    throw new AppError('unavailable', `The local outbox at ${outboxUrl} is not running (npm run outbox).`);
  }
  if (!response.ok) throw new AppError('unavailable', `The local outbox answered ${response.status}.`);
  const { data } = (await response.json()) as { data: OutboxMessage[] };
  return [...data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

function recipients(to: string | string[]): string {
  return Array.isArray(to) ? to.join(', ') : to;
}

function renderPage(messages: OutboxMessage[]): string {
  const rows = messages
    .map(
      (message) => `<article>
  <h2>${message.channel === 'sms' ? `SMS from ${escapeHtml(message.from)}` : escapeHtml(message.subject)}</h2>
  <p class="meta">To ${escapeHtml(recipients(message.to))} · ${escapeHtml(message.createdAt)}${
        message.attachments?.length ? ` · ${message.attachments.map((a) => escapeHtml(a.filename)).join(', ')}` : ''
      }</p>
  <ul>${message.links.map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`).join('')}</ul>
  ${message.text ? `<details${message.channel === 'sms' ? ' open' : ''}><summary>Text</summary><pre>${escapeHtml(message.text)}</pre></details>` : ''}
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outbox · Greenlight</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}article{border-bottom:1px solid #ddd;padding:1rem 0}h2{font-size:1.1rem;margin:0}.meta{color:#555;margin:.25rem 0}pre{white-space:pre-wrap}</style>
</head><body><h1>Outbox</h1><p>${messages.length} message(s), newest first.</p>
${rows || '<p>Nothing sent yet.</p>'}
</body></html>`;
}

export function outboxHandler(config: Pick<Config, 'outboxUrl'>) {
  return async (req: Request, res: Response): Promise<void> => {
    const messages = await fetchOutbox(config.outboxUrl);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({
        data: messages.map((message) => ({
          ...rowFields(message, ['id', 'channel', 'from', 'to', 'subject', 'links', 'createdAt']),
          html: message.html ?? null,
          text: message.text ?? null,
          attachments: message.attachments ?? [],
        })),
      });
      return;
    }
    res.type('html').send(renderPage(messages));
  };
}
