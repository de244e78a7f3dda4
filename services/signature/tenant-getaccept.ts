/**
 * Each seller signs through its own GetAccept account (issue 15; seed 003's users each have
 * one): its credentials are given once (PUT /v1/settings/getaccept), checked by signing in, and
 * kept sealed on the tenant (AES-256-GCM under APP_SECRET, platform/sealing.ts) with the access
 * token GetAccept answered. Every call for the tenant's documents uses that token; it is renewed
 * before it expires (GET /refresh while it is still valid), and when GetAccept refuses it (401)
 * it is renewed once — refreshed, or signed in again if it has expired — then the call made again.
 *
 * A tenant without its own account signs through the deployment's (GETACCEPT_API_KEY: the
 * local stand-in in development, a single seller's deployment in production); with neither,
 * sending through GetAccept is refused with the reason (409).
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { AppError } from '../../domain/errors';
import type { Config } from '../../platform/config';
import { sealJson, unsealJson } from '../../platform/sealing';
import { createGetAcceptProvider, fixedToken, getAcceptRefresh, getAcceptSignIn, GetAcceptAuthError, type GetAcceptLogin, type GetAcceptToken, type TokenSource } from './getaccept';
import { ProviderError, type SignatureProvider } from './provider';

export const GETACCEPT_NOT_SET_UP = "GetAccept is not set up for this seller: give its GetAccept account's credentials (PUT /v1/settings/getaccept).";

/** What is sealed on the tenant. */
interface StoredCredentials extends GetAcceptLogin, GetAcceptToken {}

/** A token this close to its end is renewed before use, so no call starts with one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

type GetAcceptConfig = Pick<Config, 'getaccept' | 'appSecret'>;

function unsealed(config: GetAcceptConfig, sealed: string): StoredCredentials {
  return unsealJson(sealed, config.appSecret, 'getaccept-credentials') as StoredCredentials;
}

async function storedCredentials(prisma: PrismaClient, config: GetAcceptConfig, tenantId: string): Promise<StoredCredentials | undefined> {
  const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { getacceptCredentials: true } });
  return tenant.getacceptCredentials ? unsealed(config, tenant.getacceptCredentials) : undefined;
}

function store(prisma: PrismaClient, config: GetAcceptConfig, tenantId: string, credentials: StoredCredentials) {
  return prisma.tenant.update({ where: { id: tenantId }, data: { getacceptCredentials: sealJson(credentials, config.appSecret, 'getaccept-credentials') } });
}

/** What the API shows of a tenant's GetAccept account (never the password nor the token). */
export interface GetAcceptAccountView {
  /** Whose account the tenant's documents are sent through. */
  account: 'own' | 'deployment' | 'none';
  email: string | null;
  entityId: string | null;
  tokenExpiresAt: string | null;
}

function viewOf(config: GetAcceptConfig, credentials: StoredCredentials | undefined): GetAcceptAccountView {
  if (!credentials) return { account: config.getaccept.accessToken ? 'deployment' : 'none', email: null, entityId: null, tokenExpiresAt: null };
  return { account: 'own', email: credentials.email, entityId: credentials.entityId ?? null, tokenExpiresAt: new Date(credentials.expiresAt).toISOString() };
}

export async function tenantGetAcceptAccount(prisma: PrismaClient, config: GetAcceptConfig, tenantId: string): Promise<GetAcceptAccountView> {
  return viewOf(config, await storedCredentials(prisma, config, tenantId));
}

/** The seller's credentials, checked by signing in now (422 with GetAccept's words when refused), then kept sealed with the token. */
export async function setTenantGetAccept(prisma: PrismaClient, config: GetAcceptConfig, tenantId: string, login: GetAcceptLogin): Promise<GetAcceptAccountView> {
  let token: GetAcceptToken;
  try {
    token = await getAcceptSignIn(config.getaccept.apiUrl, login);
  } catch (error) {
    if (error instanceof ProviderError) throw new AppError('unavailable', `GetAccept could not be reached to check these credentials: ${error.message}`);
    if (!(error instanceof GetAcceptAuthError)) throw error;
    throw new AppError('unprocessable', `GetAccept refused these credentials: ${error.message}`, [{ path: 'password', message: error.message }]);
  }
  const credentials: StoredCredentials = { email: login.email, password: login.password, ...(login.entityId ? { entityId: login.entityId } : {}), ...token };
  await store(prisma, config, tenantId, credentials);
  return viewOf(config, credentials);
}

export async function clearTenantGetAccept(prisma: PrismaClient, tenantId: string): Promise<void> {
  await prisma.tenant.update({ where: { id: tenantId }, data: { getacceptCredentials: null } });
}

/** The tenant's token, renewed as the header comment says; each renewal is sealed back on the tenant. */
function tenantTokens(prisma: PrismaClient, config: GetAcceptConfig, tenantId: string, initial: StoredCredentials): TokenSource {
  let credentials = initial;
  const apiUrl = config.getaccept.apiUrl;
  async function renewed(): Promise<string> {
    const token = await getAcceptRefresh(apiUrl, credentials.accessToken).catch((error: unknown) => {
      // Expired (or revoked): signed in again with the seller's credentials.
      if (error instanceof GetAcceptAuthError) return getAcceptSignIn(apiUrl, credentials);
      throw error;
    });
    credentials = { ...credentials, ...token };
    await store(prisma, config, tenantId, credentials);
    return token.accessToken;
  }
  return {
    current: async () => (credentials.expiresAt - Date.now() > RENEW_BEFORE_MS ? credentials.accessToken : renewed()),
    // Another call may have renewed it meanwhile: that token is taken rather than a second renewal.
    renew: async (rejected) => (credentials.accessToken !== rejected ? credentials.accessToken : renewed()),
  };
}

/** Whether the tenant can send through GetAccept now; 409 with the reason otherwise. */
export async function requireTenantGetAccept(prisma: PrismaClient, config: GetAcceptConfig, tenantId: string): Promise<void> {
  if ((await tenantGetAcceptAccount(prisma, config, tenantId)).account === 'none') throw new AppError('conflict', GETACCEPT_NOT_SET_UP);
}

/** GetAccept as this tenant: its own account, else the deployment's key, else 409 with the reason. */
export async function getAcceptForTenant(prisma: PrismaClient, config: GetAcceptConfig, tenantId: string): Promise<SignatureProvider> {
  const credentials = await storedCredentials(prisma, config, tenantId);
  if (credentials) return createGetAcceptProvider({ apiUrl: config.getaccept.apiUrl, tokens: tenantTokens(prisma, config, tenantId, credentials) });
  if (!config.getaccept.accessToken) throw new AppError('conflict', GETACCEPT_NOT_SET_UP);
  return createGetAcceptProvider({ apiUrl: config.getaccept.apiUrl, tokens: fixedToken(config.getaccept.accessToken) });
}
