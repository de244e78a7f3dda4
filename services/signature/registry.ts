/**
 * Which SignatureProvider signs a document: the request's choice, else the tenant's setting
 * (`signatureProvider`, "builtin" by default), and the providers by name as the API and the
 * worker build them from the configuration.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { SIGNATURE_PROVIDER_NAMES, type SignatureProviderName } from '../../domain/digital-status';
import type { Config } from '../../platform/config';
import { createBuiltinProvider } from './builtin';
import { createGetAcceptProvider, fixedToken } from './getaccept';
import type { SignatureProvider } from './provider';

export type SignatureProviders = Record<SignatureProviderName, SignatureProvider>;

/**
 * GetAccept with the deployment's key (config.getaccept: the local stand-in's in development),
 * for what needs no seller's account (checking a webhook's token). A tenant's documents go
 * through getAcceptForTenant (tenant-getaccept.ts).
 */
export function getAcceptFromConfig(config: Pick<Config, 'getaccept'>): SignatureProvider {
  return createGetAcceptProvider({ apiUrl: config.getaccept.apiUrl, tokens: fixedToken(config.getaccept.accessToken) });
}

export function createSignatureProviders(prisma: PrismaClient, config: Pick<Config, 'getaccept'>): SignatureProviders {
  return { builtin: createBuiltinProvider(prisma), getaccept: getAcceptFromConfig(config) };
}

/** The request's provider, else the tenant's setting; a setting naming no provider we have is the built-in one. */
export function signatureProviderName(requested: SignatureProviderName | undefined, tenantSetting: string): SignatureProviderName {
  if (requested) return requested;
  return (SIGNATURE_PROVIDER_NAMES as readonly string[]).includes(tenantSetting) ? (tenantSetting as SignatureProviderName) : 'builtin';
}
