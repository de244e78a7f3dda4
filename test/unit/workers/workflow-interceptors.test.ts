import { TRACE_HEADER as OPENTELEMETRY_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { TRACE_HEADER } from '../../../workers/workflow-interceptors';

describe('the workflow interceptors', () => {
  it("look for a trace context under the header OpenTelemetry's Temporal interceptors write it to", () => {
    expect(TRACE_HEADER).toBe(OPENTELEMETRY_TRACE_HEADER);
  });
});
