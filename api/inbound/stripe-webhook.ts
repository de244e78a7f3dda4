/**
 * POST /webhooks/stripe: Stripe's events, verified before anything else (DESIGN.md §6). The
 * raw body is kept as received, since the signature covers those exact bytes. A bad or
 * missing signature (or one older than five minutes) is a 400 and signals nothing; a verified
 * event is handed to the payment operations and answered 200 — also when it is a replay or
 * about nothing of ours, so Stripe stops retrying it. Any other failure is a 500: Stripe
 * retries, and the workflow counts each payment once.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { WebhookSignatureError } from '../../services/payment/provider';
import { AppError } from '../../domain/errors';
import type { AppDeps } from '../app';
import { sendProblem } from '../errors';
import { handlePaymentEvent, paymentProviderFor } from '../operations/payments';

export function stripeWebhookHandlers(deps: AppDeps): RequestHandler[] {
  const readRaw = express.raw({ type: () => true, limit: '1mb' });
  const receive = async (req: Request, res: Response) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let event;
    try {
      event = paymentProviderFor(deps.config).parseWebhook(body, req.get('stripe-signature'));
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      sendProblem(res, new AppError('validation_failed', `Webhook signature verification failed: ${error.message}`));
      return;
    }
    const outcome = await handlePaymentEvent(deps, event);
    res.json({ received: true, outcome });
  };
  return [readRaw, receive];
}
