/**
 * Workflow interceptors, bundled with the workflow code (workers/create-worker.ts names this
 * module to the bundler): deterministic code that runs in the workflow sandbox and is replayed,
 * so it decides only from what the history holds — the headers of the messages received.
 *
 * - Request id: the id of the API request whose message (start, signal or update) the workflow
 *   handled last is on the workflow's log lines, and is sent on, as a header, to the activities,
 *   child workflows and signals it starts (an activity logs it: activity-interceptors.ts). A
 *   message that came from no request (a sweeper's start, another workflow's signal) clears it.
 * - Tracing: OpenTelemetry's workflow interceptors run for a workflow once a message carried a
 *   trace context (the API's client adds one when tracing is on: platform/tracing.ts): spans for
 *   the run, its messages and each activity, handed to the worker's exporter sink. Until then they
 *   are not even loaded: tracing off costs no span, no sink call and no OpenTelemetry module.
 *   The worker's one V8 context evaluates a workflow's modules afresh for each workflow it runs
 *   (each keeps its own copies, in the sticky cache, and builds them again on every replay), and
 *   OpenTelemetry is more than 100 of the bundle's 270 modules: loaded for every workflow, it
 *   was a good part of each cached workflow's memory and of each replay's start.
 */
import type { Headers } from '@temporalio/common';
import type { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { log, workflowInfo, type WorkflowInboundCallsInterceptor, type WorkflowInterceptorsFactory, type WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { requestIdFromHeaders, withRequestIdHeader } from '../platform/request-id-header';

/**
 * The header OpenTelemetry's Temporal interceptors carry a trace context in (their TRACE_HEADER,
 * test/unit/workers/workflow-interceptors.test.ts holds them equal): named here, as importing
 * it would load OpenTelemetry for every workflow.
 */
export const TRACE_HEADER = '_tracer-data';

type WorkflowTracing = { inbound: OpenTelemetryInboundInterceptor; outbound: OpenTelemetryOutboundInterceptor; internals: OpenTelemetryInternalsInterceptor };

/** OpenTelemetry's workflow interceptors, their modules loaded (once per workflow) only now. */
function startWorkflowTracing(): WorkflowTracing {
  // A require the bundler keeps in place (an import would load it with this module, for every workflow).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otel = require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof import('@temporalio/interceptors-opentelemetry/lib/workflow');
  return { inbound: new otel.OpenTelemetryInboundInterceptor(), outbound: new otel.OpenTelemetryOutboundInterceptor(), internals: new otel.OpenTelemetryInternalsInterceptor() };
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  let requestId: string | undefined;
  let tracing: WorkflowTracing | undefined;

  /**
   * A message in the history: its request is the latest, and its trace context turns tracing on.
   * The workflow's log says which request reached it (at debug: one line per request).
   */
  const received = (headers: Headers, message: { via: 'start' | 'signal' | 'update'; name: string }) => {
    requestId = requestIdFromHeaders(headers);
    if (requestId) log.debug('Request received', message);
    if (!tracing && TRACE_HEADER in headers) tracing = startWorkflowTracing();
  };
  const carryingRequestId = <Input extends { headers: Headers }>(input: Input): Input => ({ ...input, headers: withRequestIdHeader(input.headers, requestId) });

  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => {
      received(input.headers, { via: 'start', name: workflowInfo().workflowType });
      return tracing ? tracing.inbound.execute(input, next) : next(input);
    },
    handleSignal: (input, next) => {
      received(input.headers, { via: 'signal', name: input.signalName });
      return tracing ? tracing.inbound.handleSignal(input, next) : next(input);
    },
    handleUpdate: (input, next) => {
      received(input.headers, { via: 'update', name: input.name });
      return tracing ? tracing.inbound.handleUpdate(input, next) : next(input);
    },
    // A validator's refusal and a query leave no trace in the history: they change nothing here.
    validateUpdate: (input, next) => (tracing ? tracing.inbound.validateUpdate(input, next) : next(input)),
    handleQuery: (input, next) => (tracing ? tracing.inbound.handleQuery(input, next) : next(input)),
  };

  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => (tracing ? tracing.outbound.scheduleActivity(carryingRequestId(input), next) : next(carryingRequestId(input))),
    scheduleLocalActivity: (input, next) => (tracing ? tracing.outbound.scheduleLocalActivity(carryingRequestId(input), next) : next(carryingRequestId(input))),
    startChildWorkflowExecution: (input, next) =>
      tracing ? tracing.outbound.startChildWorkflowExecution(carryingRequestId(input), next) : next(carryingRequestId(input)),
    signalWorkflow: (input, next) => (tracing ? tracing.outbound.signalWorkflow(carryingRequestId(input), next) : next(carryingRequestId(input))),
    continueAsNew: (input, next) => (tracing ? tracing.outbound.continueAsNew(input, next) : next(input)),
    getLogAttributes: (input, next) => {
      const attributes = requestId ? { ...input, requestId } : input;
      return tracing ? tracing.outbound.getLogAttributes(attributes, next) : next(attributes);
    },
  };

  return {
    inbound: [inbound],
    outbound: [outbound],
    internals: [{ dispose: (input, next) => (tracing ? tracing.internals.dispose(input, next) : next(input)) }],
  };
};
