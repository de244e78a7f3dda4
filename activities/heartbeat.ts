/**
 * Long activities beat while they run, so a worker that dies mid-run (SIGKILL, OOM) is noticed
 * within the activity's heartbeatTimeout and the work is retried on another worker at once,
 * instead of when its startToCloseTimeout (minutes) runs out. The beat is a timer, not progress:
 * one pdftoppm run may legitimately take longer than the timeout.
 */
import { Context } from '@temporalio/activity';

const BEAT_EVERY_MS = 5_000;

export function beatingWhileRunning<Input, Output>(activity: (input: Input) => Promise<Output>): (input: Input) => Promise<Output> {
  return async (input) => {
    const context = Context.current();
    context.heartbeat();
    const beat = setInterval(() => context.heartbeat(), BEAT_EVERY_MS);
    try {
      return await activity(input);
    } finally {
      clearInterval(beat);
    }
  };
}
