/** The back-office API: every /v1 route from one table, and the OpenAPI document made from it. */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { buildOpenApiDocument, jsonRoute, mountRoutes, type Route } from '../openapi';
import { openApiDocumentSchema } from '../schemas';
import { apiKeyRoutes } from './api-keys';
import { customerRoutes } from './customers';
import { documentRoutes } from './documents';
import { linkRoutes } from './links';
import { quoteSignatureRoutes } from './quote-signatures';
import { requestRoutes } from './requests';
import { settingsRoutes } from './settings';
import { paymentAccountRoutes } from './payment-accounts';
import { getAcceptAccountRoutes } from './getaccept-account';
import { signatureRoutes } from './signatures';
import { subscriptionRoutes } from './subscriptions';
import { tenantRoutes } from './tenants';
import { userRoutes } from './users';
import { webhookEvents, webhookRoutes } from './webhooks';

const resourceRoutes: Route[] = [...tenantRoutes, ...apiKeyRoutes, ...userRoutes, ...customerRoutes, ...settingsRoutes, ...paymentAccountRoutes, ...getAcceptAccountRoutes, ...documentRoutes, ...linkRoutes, ...quoteSignatureRoutes, ...signatureRoutes, ...webhookRoutes, ...requestRoutes, ...subscriptionRoutes];

/** Public: integrators read the contract before they hold a key. */
const openApiRoute = jsonRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tag: 'Meta',
  summary: 'This document (OpenAPI 3.1)',
  auth: 'public',
  response: { status: 200, description: 'The OpenAPI document', schema: openApiDocumentSchema },
  handle: async () => openApiDocument,
});

export const backofficeRoutes: readonly Route[] = [...resourceRoutes, openApiRoute];
export const openApiDocument = buildOpenApiDocument(backofficeRoutes, webhookEvents);

export function createBackofficeRouter(deps: AppDeps): Router {
  const router = Router();
  mountRoutes(router, deps, backofficeRoutes);
  return router;
}
