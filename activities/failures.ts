/**
 * How activity errors reach the workflow. Workflows retry activities for as long as it
 * takes (an outage delays a quote, never loses it), so an error that no retry can cure
 * must say so: a message the provider refused for good (bad address, invalid payload) or
 * a typed AppError of the 4xx family (the document is gone, it cannot be rendered) ends
 * the activity at once as a non-retryable failure named after its code. Everything else
 * (database or network trouble) is thrown as is and retried.
 */
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../domain/errors';
import { DeliveryError } from '../services/notify/delivery-error';

function asActivityFailure(error: unknown): unknown {
  if (error instanceof DeliveryError && !error.retryable) {
    return ApplicationFailure.create({ message: error.message, type: `DeliveryRejected.${error.channel}`, nonRetryable: true, cause: error });
  }
  if (error instanceof AppError && error.status < 500) {
    return ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: true, cause: error });
  }
  return error;
}

/** The same activity, its hopeless errors marked so. */
export function failingClearly<Input, Output>(activity: (input: Input) => Promise<Output>): (input: Input) => Promise<Output> {
  return async (input) => {
    try {
      return await activity(input);
    } catch (error) {
      throw asActivityFailure(error);
    }
  };
}
