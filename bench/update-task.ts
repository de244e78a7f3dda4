/**
 * The workflow task that took a workflow's (first) update, read from its history: the benches
 * that split a decision's round trip into its parts (bench/accept-split.ts,
 * bench/waiting-quotes.ts) both start from it.
 */
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface UpdateTask {
  /** Index of the update's acceptance in the history: the events before it. */
  accepted: number;
  /** Index of the task's scheduled event. */
  scheduled: number;
  /** When the task was scheduled, picked by a worker and completed (ms since the epoch). */
  scheduledMs: number;
  startedMs: number;
  completedMs: number;
}

function eventMs(event: HistoryEvent): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
}

export function updateTaskOf(events: HistoryEvent[]): UpdateTask {
  const accepted = events.findIndex((event) => event.workflowExecutionUpdateAcceptedEventAttributes);
  if (accepted < 0) throw new Error('the history holds no accepted update');
  const before = (attributes: keyof HistoryEvent, from: number) => {
    let index = from;
    while (!events[index]?.[attributes]) index -= 1;
    return index;
  };
  const completed = before('workflowTaskCompletedEventAttributes', accepted);
  const started = before('workflowTaskStartedEventAttributes', completed);
  const scheduled = before('workflowTaskScheduledEventAttributes', started);
  const at = (index: number) => eventMs(events[index] as HistoryEvent);
  return { accepted, scheduled, scheduledMs: at(scheduled), startedMs: at(started), completedMs: at(completed) };
}
