/**
 * What the API's Temporal client adds to every call: the request id as a header (so the
 * workflow and its activities log it), the count of decisions by outcome (api/metrics.ts), and
 * OpenTelemetry spans whose context travels in the headers when tracing is on.
 */
import type { WorkflowClientInterceptor, WorkflowStartUpdateOutput } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { currentRequestId } from '../platform/request-context';
import { withRequestIdHeader } from '../platform/request-id-header';
import type { Tracing } from '../platform/tracing';
import { DECISION_REJECTED } from '../domain/errors';
import { apiMetrics } from './metrics';

const sendRequestId: WorkflowClientInterceptor = {
  startWithDetails: (input, next) => next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) }),
  signal: (input, next) => next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) }),
  signalWithStart: (input, next) => next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) }),
  startUpdate: (input, next) => next({ ...input, headers: withRequestIdHeader(input.headers, currentRequestId()) }),
  startUpdateWithStart: (input, next) => {
    const requestId = currentRequestId();
    return next({ ...input, workflowStartHeaders: withRequestIdHeader(input.workflowStartHeaders, requestId), updateHeaders: withRequestIdHeader(input.updateHeaders, requestId) });
  },
};

/** Workflow ids read `<kind>-<id>` (quote-…, proof-…, subscription-…). */
function workflowKind(workflowId: string): string {
  return /^([a-z_]+)-/.exec(workflowId)?.[1] ?? 'other';
}

/** Taken: the workflow's validator let it in. Rejected: the validator refused it, or no workflow runs to take it. */
function decisionOutcome(output: WorkflowStartUpdateOutput): 'taken' | 'rejected' | 'failed' {
  const failure = output.outcome?.failure;
  if (!failure) return 'taken';
  return failure.applicationFailureInfo?.type === DECISION_REJECTED ? 'rejected' : 'failed';
}

const countDecisions: WorkflowClientInterceptor = {
  startUpdate: async (input, next) => {
    const labels = { kind: workflowKind(input.workflowExecution.workflowId), decision: input.updateName };
    try {
      const output = await next(input);
      apiMetrics.decisions.inc({ ...labels, outcome: decisionOutcome(output) });
      return output;
    } catch (error) {
      apiMetrics.decisions.inc({ ...labels, outcome: error instanceof WorkflowNotFoundError ? 'rejected' : 'failed' });
      throw error;
    }
  },
};

export function apiClientInterceptors(tracing?: Tracing): WorkflowClientInterceptor[] {
  return [sendRequestId, countDecisions, ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] : [])];
}
