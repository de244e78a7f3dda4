/**
 * OpenTelemetry tracing, on only when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT for traces alone): spans
 * go by OTLP/HTTP to that collector, in batches. Without one, nothing is created: no provider,
 * no interceptor, no span. The standard OTEL_* variables (OTEL_SERVICE_NAME,
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_SCHEDULE_DELAY, …) apply.
 *
 * The tracer is handed to Temporal's interceptors (@temporalio/interceptors-opentelemetry), which
 * carry the trace context from the API's client to the workflow and its activities in Temporal
 * headers. They need two process-wide pieces, registered here: a context manager, so a span is
 * the parent of what runs inside it, and a propagator (OTEL_PROPAGATORS, by default W3C trace
 * context) to write and read the headers. Without them every process would start traces of its own.
 */
import { diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { logger } from './logger';

export interface Tracing {
  tracer: Tracer;
  /** Where workflow spans, made in the workflow sandbox and handed out through a sink, are sent. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Sends the spans still buffered. */
  shutdown(): Promise<void>;
}

export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  // An unreachable collector is worth a warning; OpenTelemetry says nothing unless asked.
  const diagnostics = logger.child({ component: 'opentelemetry' });
  diag.setLogger(
    {
      error: (message) => diagnostics.error(message),
      warn: (message) => diagnostics.warn(message),
      info: (message) => diagnostics.info(message),
      debug: (message) => diagnostics.debug(message),
      verbose: (message) => diagnostics.trace(message),
    },
    DiagLogLevel.WARN,
  );
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME || serviceName });
  // The exporter reads the endpoint (appending /v1/traces) and headers from the environment itself.
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  return { tracer: provider.getTracer('greenlight'), spanProcessor, resource, shutdown: () => provider.shutdown() };
}
