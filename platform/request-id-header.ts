/**
 * The API request id as a Temporal header, so a workflow and the activities it runs log the
 * id of the request that led to them: the API's client sets it (api/temporal-interceptors.ts),
 * the workflow interceptors carry it to activities (workers/workflow-interceptors.ts), the
 * activity interceptor logs it (workers/activity-interceptors.ts). Headers are recorded in
 * the workflow's history, so a replay reads the same ids. Imports nothing but Temporal's
 * common code: the workflow bundle includes this file.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';

const REQUEST_ID_HEADER = 'greenlight-request-id';

export function withRequestIdHeader(headers: Headers, requestId: string | undefined): Headers {
  return requestId ? { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } : headers;
}

export function requestIdFromHeaders(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  const requestId: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof requestId === 'string' ? requestId : undefined;
}
