/** Every workflow the worker runs (its workflowsPath): one per document kind. */
export { quoteWorkflow } from './quote';
