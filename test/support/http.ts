/** A thin JSON client for the back-office API and the portal, as an integrator's code would call them. */

export interface JsonAnswer<T = unknown> {
  status: number;
  body: T;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  get<T = unknown>(path: string): Promise<JsonAnswer<T>> {
    return this.call<T>('GET', path);
  }

  post<T = unknown>(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
    return this.call<T>('POST', path, body, headers);
  }

  patch<T = unknown>(path: string, body: unknown): Promise<JsonAnswer<T>> {
    return this.call<T>('PATCH', path, body);
  }

  delete<T = unknown>(path: string): Promise<JsonAnswer<T>> {
    return this.call<T>('DELETE', path);
  }

  /** Like post, but a non-2xx answer is an error: for the steps a test builds on rather than checks. */
  async create<T = unknown>(path: string, body: unknown): Promise<T> {
    const answer = await this.post<T>(path, body);
    if (answer.status >= 300) throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Any method; a JSON answer comes back parsed, any other as text. */
  async call<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await readBody(response)) as T };
  }
}

/** A customer's JSON post to the portal (no CSRF field needed for JSON, API.md "Customer side"). */
export async function postPortalDecision<T = { status: string; decisionId: string }>(
  linkUrl: string,
  decision: 'accept' | 'refuse' | 'hold',
  body: Record<string, unknown> = {},
): Promise<JsonAnswer<T>> {
  const response = await fetch(`${linkUrl}/${decision}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await readBody(response)) as T };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') && text ? JSON.parse(text) : text;
}
