/**
 * The one table from failures to answers (api/errors.ts): a database that could not serve a
 * request in time is a 503 to retry, as Temporal out of reach is, never a 500.
 */
import { Prisma } from '../../../generated/prisma/client';
import { knownAppError, toProblem } from '../../../api/errors';

const prismaError = (code: string) => new Prisma.PrismaClientKnownRequestError(`Prisma ${code}`, { code, clientVersion: '7.10.1' });

it.each([
  ['P2028', 'a transaction out of time (queued on a lock behind a burst)'],
  ['P2024', 'no pooled connection free in time'],
])('Prisma %s, %s, answers 503 unavailable', (code) => {
  const problem = toProblem(knownAppError(prismaError(code))!, 'request-1');
  expect(problem).toEqual(expect.objectContaining({ status: 503, type: 'https://greenlight.dev/problems/unavailable', detail: 'The database is busy; retry in a moment.' }));
});

it('leaves any other database failure a fault (500, logged as one)', () => {
  expect(knownAppError(prismaError('P2010'))).toBeUndefined();
});
