/** The external signature's activities as a worker builds them: from the configuration, or refusing clearly without one. */
import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Config } from '../../platform/config';
import { openFileStore } from '../../services/files/store';
import { createSignatureActivities, type SignatureDeps } from './activities';
import { getAcceptForTenant } from '../../services/signature/tenant-getaccept';
import type { SignatureActivities } from './types';

export type SignatureActivityDeps = Omit<SignatureDeps, 'prisma'>;

/** GetAccept as each tenant signs through it (its own account, or the deployment's), the file store for signed PDFs, the tenant rate limit. */
export function signatureDepsFromConfig(config: Pick<Config, 'getaccept' | 'filesDir' | 'appSecret'>): SignatureActivityDeps {
  return {
    providers: { getaccept: (prisma, tenantId) => getAcceptForTenant(prisma, config, tenantId) },
    files: openFileStore(config),
    rateLimit: { perMinute: config.getaccept.checksPerMinute },
  };
}

export function signatureActivities(prisma: PrismaClient, deps: SignatureActivityDeps | undefined): SignatureActivities {
  if (deps) return createSignatureActivities({ prisma, ...deps });
  const missing = (): Promise<never> => {
    throw ApplicationFailure.create({ message: 'This worker was built without a signature provider (ActivityDeps.signatures)', nonRetryable: true });
  };
  return {
    startExternalSignature: missing,
    checkExternalSignature: missing,
    cancelExternalSignature: missing,
    remindExternalSigner: missing,
    storeSignedDocument: missing,
    decideParentDocument: missing,
    withdrawDocumentSignature: missing,
    dropUnstartedSignature: missing,
  };
}
