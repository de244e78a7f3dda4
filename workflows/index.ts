/** Every workflow the worker runs (its workflowsPath): one per document kind. */
export { quoteWorkflow } from './quote';
export { messageNotificationWorkflow } from './conversation';
export { factWorkflow } from './fact';
export { webhookDeliveryWorkflow } from './webhook-delivery';
export { acceptanceWorkflow } from './acceptance';
export { proofRevisionWorkflow } from './proof-revision';
export { proofZoomWorkflow } from './proof-zoom';
export { proofWorkflow } from './proof';
export { signatureWorkflow } from './signature';
export { invoiceWorkflow } from './invoice';
export { requestWorkflow } from './request';
export { subscriptionWorkflow } from './subscription';
export { conversionWorkflow } from './conversion';
export { subscribeWorkflow } from './subscribe';
