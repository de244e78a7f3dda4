/**
 * The request a piece of work is done for, carried through async calls (AsyncLocalStorage):
 * the API runs each request inside it (api/request-id.ts), the worker each activity that a
 * request led to (workers/activity-interceptors.ts). The logger stamps every line with it and
 * the API's Temporal client sends it on to the workflow as a header.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function withRequestId<T>(requestId: string | undefined, work: () => T): T {
  return requestId ? requestContext.run({ requestId }, work) : work();
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
