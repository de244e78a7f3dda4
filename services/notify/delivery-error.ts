/**
 * Why a message did not go out, as a value: the channel, the provider's code, and whether
 * trying again can help (see activities/failures.ts for what activities make of it).
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    readonly channel: 'email' | 'sms',
    /** The provider's error code ("validation_error", "rate_limit_exceeded", ...). */
    readonly code: string,
    readonly statusCode: number | null,
    message: string,
    readonly retryable: boolean,
  ) {
    super(`${channel} not sent (${code}${statusCode ? `, HTTP ${statusCode}` : ''}): ${message}`);
  }
}
