/** Reading the local mail outbox (devtools/outbox) the way a person would: through its HTTP API. */

/** One email as `GET /emails` of the outbox returns it (contract in notes/common.md). */
export interface OutboxEmail {
  id: string;
  from: string;
  to: string[] | string;
  subject: string;
  html?: string;
  text?: string;
  links: string[];
  attachments: { filename: string; size: number }[];
  createdAt: string;
}

/** Newest first; with `after` (an email's id), only the emails received after it. */
export async function readOutbox(outboxUrl: string, after?: string): Promise<OutboxEmail[]> {
  const response = await fetch(`${outboxUrl}/emails${after === undefined ? '' : `?after=${encodeURIComponent(after)}`}`);
  if (!response.ok) throw new Error(`outbox answered ${response.status} to GET /emails`);
  const body = (await response.json()) as { data: OutboxEmail[] };
  return body.data;
}

export function recipientsOf(email: OutboxEmail): string[] {
  return Array.isArray(email.to) ? email.to : [email.to];
}
