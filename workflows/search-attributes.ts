/**
 * The custom search attributes operators filter on in the Temporal UI (registered on the dev
 * server by the start scripts), shared by the workflows that keep them current and by api/
 * that sets them at start. From @temporalio/common: the workflow package does not re-export
 * defineSearchAttributeKey, and common is the deterministic core the workflow package is built on.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { DocumentKind } from '../domain/documents';

export const GreenlightTenant = defineSearchAttributeKey('GreenlightTenant', SearchAttributeType.KEYWORD);
export const GreenlightKind = defineSearchAttributeKey('GreenlightKind', SearchAttributeType.KEYWORD);
export const GreenlightStatus = defineSearchAttributeKey('GreenlightStatus', SearchAttributeType.KEYWORD);
export const GreenlightCustomer = defineSearchAttributeKey('GreenlightCustomer', SearchAttributeType.KEYWORD);

/** What operators filter workflows by: a document's kind, a service request, or a subscription. */
export type StoryKind = DocumentKind | 'request' | 'subscription';

/** Every search attribute of a document, as a workflow start sets them and each transition refreshes them. */
export function documentSearchAttributes(document: {
  tenantId: string;
  kind: StoryKind;
  customerId: string;
  status: string;
}): SearchAttributePair[] {
  return [
    { key: GreenlightTenant, value: document.tenantId },
    { key: GreenlightKind, value: document.kind },
    { key: GreenlightStatus, value: document.status },
    { key: GreenlightCustomer, value: document.customerId },
  ];
}
