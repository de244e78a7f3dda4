/**
 * What every activity execution goes through on the worker:
 * - its request id (the header its workflow sent: workflow-interceptors.ts) on every log line
 *   of the activity, the SDK's ("Activity completed") and ours (platform/logger.ts);
 * - a count of its outcome, `greenlight_activity_executions{outcome}` on the worker's
 *   Prometheus endpoint, through Temporal's own metric meter (labelled, as Temporal's own
 *   activity metrics are, with namespace, task_queue and activity_type);
 * - with tracing on, OpenTelemetry's span for the execution, child of the workflow's.
 */
import type { Context } from '@temporalio/activity';
import { CancelledFailure, type MetricTags } from '@temporalio/common';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withRequestId } from '../platform/request-context';
import { requestIdFromHeaders } from '../platform/request-id-header';
import type { Tracing } from '../platform/tracing';

const logRequestId: ActivityInterceptorsFactory = () => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute: (input, next) => {
        requestId = requestIdFromHeaders(input.headers);
        return withRequestId(requestId, () => next(input));
      },
    },
    outbound: { getLogAttributes: (input, next) => next(requestId ? { ...input, requestId } : input) },
  };
};

function outcomeOf(error: unknown, context: Context): 'cancelled' | 'failed' {
  return error instanceof CancelledFailure || context.cancellationSignal.aborted ? 'cancelled' : 'failed';
}

/** `activityType` → `activity_type`: the labels Temporal's own activity metrics use, so both group alike. */
function snakeCased(tags: MetricTags): MetricTags {
  return Object.fromEntries(Object.entries(tags).map(([name, value]) => [name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), value]));
}

const countOutcomes: ActivityInterceptorsFactory = (context) => ({
  outbound: { getMetricTags: (tags, next) => next(snakeCased(tags)) },
  inbound: {
    execute: async (input, next) => {
      const executions = context.metricMeter.createCounter('greenlight_activity_executions', 'executions', 'Activity executions by outcome: completed, failed (to be retried or not), cancelled');
      try {
        const result = await next(input);
        executions.add(1, { outcome: 'completed' });
        return result;
      } catch (error) {
        executions.add(1, { outcome: outcomeOf(error, context) });
        throw error;
      }
    },
  },
});

export function activityInterceptors(tracing?: Tracing): ActivityInterceptorsFactory[] {
  const traced: ActivityInterceptorsFactory[] = tracing
    ? [(context) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(context, { tracer: tracing.tracer }), outbound: new OpenTelemetryActivityOutboundInterceptor(context) })]
    : [];
  return [logRequestId, countOutcomes, ...traced];
}
