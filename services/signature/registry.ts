/**
 * Which SignatureProvider signs a document: the request's choice, else the tenant's setting
 * (`signatureProvider`, "builtin" by default), and the providers by name as the API and the
 * worker build them from the configuration.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { SIGNATURE_PROVIDER_NAMES, type SignatureProviderName } from '../../domain/digital-status';
import { AppError } from '../../domain/errors';
import type { Config } from '../../platform/config';
import { createBuiltinProvider } from './builtin';
import { createGetAcceptProvider } from './getaccept';
import type { SignatureProvider } from './provider';

export type SignatureProviders = Record<SignatureProviderName, SignatureProvider>;

/** GetAccept, or its local stand-in when no key is configured in development (config.getaccept). */
export function getAcceptFromConfig(config: Pick<Config, 'getaccept'>): SignatureProvider {
  return createGetAcceptProvider({ apiUrl: config.getaccept.apiUrl, accessToken: config.getaccept.accessToken });
}

/** Production without GETACCEPT_API_KEY has no GetAccept: a send through it is refused, naming the setting, as payments name Stripe's. */
export function requireGetAccept(config: Pick<Config, 'getaccept'>): void {
  if (!config.getaccept.accessToken) throw new AppError('unavailable', 'Digital signing through GetAccept is not configured: set GETACCEPT_API_KEY.');
}

export function createSignatureProviders(prisma: PrismaClient, config: Pick<Config, 'getaccept'>): SignatureProviders {
  return { builtin: createBuiltinProvider(prisma), getaccept: getAcceptFromConfig(config) };
}

/** The request's provider, else the tenant's setting; a setting naming no provider we have is the built-in one. */
export function signatureProviderName(requested: SignatureProviderName | undefined, tenantSetting: string): SignatureProviderName {
  if (requested) return requested;
  return (SIGNATURE_PROVIDER_NAMES as readonly string[]).includes(tenantSetting) ? (tenantSetting as SignatureProviderName) : 'builtin';
}
