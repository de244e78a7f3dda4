/**
 * `Idempotency-Key` on POST (API.md), with Stripe's semantics:
 *
 * - The first request with a key claims it by inserting its row (status IN_PROGRESS) before
 *   anything runs. The primary key (scope, key) makes the claim atomic: of two concurrent
 *   duplicates exactly one inserts; the other finds the row and answers 409 "still in
 *   progress" — it never executes. A client retries that 409 and then gets the replay.
 * - When the handler finishes, its answer is stored: every 2xx and every 4xx (a refused
 *   request is an answer too, and replaying it keeps a retry from succeeding differently
 *   later). A 5xx or a crash stores nothing and releases the key, so a retry after a
 *   transient failure runs again; the operations behind POSTs tolerate that: workflow ids and
 *   decision ids are themselves idempotent, a create's row takes an id made from the key
 *   (`createdId`, api/openapi.ts), a send knows its own claim (`sendDecisionId`).
 * - The same key with another method, path or body is 422 idempotency_key_reused.
 * - Keys live 24 h. A claim is held for a lease of CLAIM_LEASE_MS that its request renews
 *   while it runs (however long an upload or a workflow's answer takes); the claim of a
 *   process that died lapses within seconds and is taken over, so a client resending after a
 *   crashed API gets its answer at once rather than 409s for minutes.
 *
 * Keys are scoped by tenant (or "operator"), so two tenants never see each other's answers.
 *
 * An answer that holds a secret shown once (an API key, a customer link's URL) is stored
 * sealed (AES-256-GCM under a key derived from APP_SECRET): a replay gets the same answer,
 * and a leaked table holds no usable secret.
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { sha256Hex } from '../platform/ids';
import { sealJson, unsealJson } from '../platform/sealing';
import { AppError } from '../domain/errors';
import { toProblem } from './errors';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Long enough for a few missed renewals and a little clock skew between API hosts. */
const CLAIM_LEASE_MS = 15_000;
const IN_PROGRESS = 0;

/** What a POST answered: replayed as is for the same key and body. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface IdempotentRequestInput {
  /** Tenant id, or "operator". */
  scope: string;
  key: string | undefined;
  method: string;
  path: string;
  body: unknown;
  /** The answer holds a secret shown once: its body is stored sealed with this secret (APP_SECRET). */
  sealWith?: string;
  /** Named by a stored problem's `instance`: a replay names the request that was answered. */
  requestId?: string;
}

type CanonicalWork = { text: string } | { value: unknown };

/**
 * JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same body.
 * Written with a work list rather than recursion: however deep a value, it cannot overflow
 * the stack (bodies are bounded to MAX_BODY_DEPTH before they get here, api/body.ts).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // Popped from the end: each container pushes its closing text first, then its members in reverse.
  const work: CanonicalWork[] = [{ value }];
  for (let item = work.pop(); item; item = work.pop()) {
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const current = item.value;
    if (current === null || typeof current !== 'object') {
      out.push(JSON.stringify(current) ?? 'null');
      continue;
    }
    const members: CanonicalWork[] = [];
    if (Array.isArray(current)) {
      current.forEach((element: unknown, index) => {
        if (index > 0) members.push({ text: ',' });
        members.push({ value: element });
      });
      work.push({ text: ']' });
      out.push('[');
    } else {
      Object.entries(current as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .forEach(([key, v], index) => members.push({ text: `${index === 0 ? '' : ','}${JSON.stringify(key)}:` }, { value: v }));
      work.push({ text: '}' });
      out.push('{');
    }
    for (const member of members.reverse()) work.push(member);
  }
  return out.join('');
}

interface SealedBody {
  sealed: string;
}

function seal(body: unknown, secret: string): SealedBody {
  return { sealed: sealJson(body, secret, 'idempotent-answer') };
}

function unseal(stored: SealedBody, secret: string): unknown {
  return unsealJson(stored.sealed, secret, 'idempotent-answer');
}

function isSealed(body: unknown): body is SealedBody {
  return typeof body === 'object' && body !== null && typeof (body as Partial<SealedBody>).sealed === 'string';
}

async function answerOf(execute: () => Promise<Answer>, requestId: string | undefined): Promise<Answer> {
  try {
    return await execute();
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { status: error.status, body: toProblem(error, requestId) };
    throw error;
  }
}

function leaseFromNow(): Date {
  return new Date(Date.now() + CLAIM_LEASE_MS);
}

/** A claim from before leases has none: it is held for one lease from its creation. */
function claimLapsed(claim: { createdAt: Date; heldUntil: Date | null }): boolean {
  return (claim.heldUntil?.getTime() ?? claim.createdAt.getTime() + CLAIM_LEASE_MS) < Date.now();
}

/** Runs `work` while renewing the claim's lease every third of it. */
async function holdingClaim<T>(prisma: PrismaClient, claim: { scope: string; key: string }, work: () => Promise<T>): Promise<T> {
  const renewal = setInterval(() => {
    // A renewal that fails (a database blip) is made up by the next one, a lease's third later.
    prisma.idempotentRequest
      .updateMany({ where: { ...claim, status: IN_PROGRESS }, data: { heldUntil: leaseFromNow() } })
      .catch(() => undefined);
  }, CLAIM_LEASE_MS / 3);
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
  }
}

export async function withIdempotency(
  prisma: PrismaClient,
  request: IdempotentRequestInput,
  execute: () => Promise<Answer>,
): Promise<{ answer: Answer; replayed: boolean }> {
  const { scope, key, method, path } = request;
  if (!key) return { answer: await execute(), replayed: false };
  const bodyHash = sha256Hex(canonicalJson(request.body));
  const where = { scope_key: { scope, key } };

  // Two rounds: the second follows the removal of an expired or abandoned row.
  for (let round = 0; round < 2; round += 1) {
    const claim = await prisma.idempotentRequest.createMany({
      data: [{ scope, key, method, path, bodyHash, status: IN_PROGRESS, heldUntil: leaseFromNow() }],
      skipDuplicates: true,
    });
    if (claim.count === 1) {
      let answer: Answer;
      try {
        answer = await holdingClaim(prisma, { scope, key }, () => answerOf(execute, request.requestId));
      } catch (error) {
        await prisma.idempotentRequest.delete({ where });
        throw error;
      }
      const stored = request.sealWith && answer.status < 400 ? seal(answer.body, request.sealWith) : answer.body;
      await prisma.idempotentRequest.update({
        where,
        data: { status: answer.status, responseBody: stored as Prisma.InputJsonValue },
      });
      return { answer, replayed: false };
    }

    const existing = await prisma.idempotentRequest.findUnique({ where });
    if (!existing) continue;
    const expired = Date.now() - existing.createdAt.getTime() > IDEMPOTENCY_TTL_MS;
    if (expired || (existing.status === IN_PROGRESS && claimLapsed(existing))) {
      // Delete only the row we looked at, as we saw it: a fresh claim, or one renewed meanwhile, stays.
      await prisma.idempotentRequest.deleteMany({ where: { scope, key, createdAt: existing.createdAt, heldUntil: existing.heldUntil } });
      continue;
    }
    if (existing.method !== method || existing.path !== path || existing.bodyHash !== bodyHash) {
      throw new AppError(
        'idempotency_key_reused',
        `This Idempotency-Key was used for another request (${existing.method.toUpperCase()} ${existing.path}); use a new key for a new request.`,
      );
    }
    if (existing.status === IN_PROGRESS) {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed; retry in a moment to get its answer.');
    }
    const body = request.sealWith && isSealed(existing.responseBody) ? unseal(existing.responseBody, request.sealWith) : existing.responseBody;
    return { answer: { status: existing.status, body }, replayed: true };
  }
  throw new AppError('conflict', 'This Idempotency-Key is being claimed by another request; retry in a moment.');
}
