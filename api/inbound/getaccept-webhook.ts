/**
 * GetAccept's webhooks in: POST /webhooks/getaccept/:tenantId?token=…
 * Verified and matched before anything is signalled (api/operations/signatures.ts); a bad
 * token answers 401, a document unknown here 404, and nothing reaches a workflow.
 */
import { Router } from 'express';
import { jsonBody } from '../json-body';
import type { AppDeps } from '../app';
import { receiveGetAcceptWebhook } from '../operations/signatures';

export function createProviderWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  router.post('/getaccept/:tenantId', ...jsonBody('1mb'), async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    await receiveGetAcceptWebhook(deps, String(req.params.tenantId), token, req.body);
    res.status(202).json({ received: true });
  });
  return router;
}
