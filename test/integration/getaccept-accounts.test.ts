/**
 * Each seller signs through its own GetAccept account (issue 15): two tenants give their
 * credentials (PUT /v1/settings/getaccept, checked by signing in at the stand-in), kept sealed;
 * each one's quote is sent for signature with its own account's token, and the stand-in files
 * each document under its own account. When a seller's token expires, the next call is refused
 * (401), the token renewed once (refresh refused too: signed in again) and the call made again;
 * the other seller is untouched. A token about to expire is refreshed (GET /refresh) before use.
 */
import { GETACCEPT_STAND_IN_KEY } from '../../platform/config';
import { sealJson, unsealJson } from '../../platform/sealing';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { signingOffice, startSigningStack, type SigningOffice, type SigningStack } from '../support/getaccept';

let signing: SigningStack;

beforeAll(async () => {
  signing = await startSigningStack();
});
afterAll(async () => {
  await signing?.close();
});

const standIn = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const response = await fetch(`${signing.standIn.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  return (await response.json()) as T;
};
const callsOf = async (account: string) => (await standIn<{ byRoute: Record<string, number> }>('GET', `/_dev/calls?account=${encodeURIComponent(account)}`)).byRoute;
const accountOfDocument = async (documentId: string) => (await standIn<{ data: { id: string; external_id: string; account: string }[] }>('GET', '/_dev/documents')).data.find((row) => row.external_id === documentId);

async function sellerWithOwnAccount(name: string): Promise<{ office: SigningOffice; email: string }> {
  const office = await signingOffice(signing.stack, signing.standIn);
  const email = `${name}-${office.tenantId.slice(-6)}@getaccept.test`;
  const set = await succeeded(office.api.PUT('/v1/settings/getaccept', { body: { email, password: `secret of ${name}` } }), 200);
  expect(set).toEqual({ account: 'own', email, entityId: null, tokenExpiresAt: expect.any(String) });
  return { office, email };
}

async function sendQuote(office: SigningOffice): Promise<string> {
  const { documentId } = await office.createDocument('quote');
  await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body: { signature: { provider: 'getaccept' } } }), 202);
  await office.waitForDigitalStatus(documentId, 'sent');
  return documentId;
}

it("sends each tenant's documents with its own GetAccept account, and keeps its credentials sealed", async () => {
  const lumiere = await sellerWithOwnAccount('lumiere');
  const durand = await sellerWithOwnAccount('durand');

  // Read back without the password nor the token; stored sealed, neither readable in the row.
  expect(await succeeded(lumiere.office.api.GET('/v1/settings/getaccept'), 200)).toMatchObject({ account: 'own', email: lumiere.email });
  const row = await signing.stack.prisma.tenant.findUniqueOrThrow({ where: { id: lumiere.office.tenantId }, select: { getacceptCredentials: true } });
  expect(row.getacceptCredentials).toEqual(expect.any(String));
  expect(row.getacceptCredentials).not.toContain('lumiere');
  expect(Buffer.from(row.getacceptCredentials as string, 'base64').toString('latin1')).not.toContain('secret of lumiere');

  // Credentials GetAccept refuses are refused here, and the account kept is unchanged.
  const wrong = await lumiere.office.api.PUT('/v1/settings/getaccept', { body: { email: lumiere.email, password: 'not the password' } });
  expect(wrong.response.status).toBe(422);
  expect(wrong.error).toMatchObject({ detail: 'GetAccept refused these credentials: Wrong email or password' });

  const first = await sendQuote(lumiere.office);
  const second = await sendQuote(durand.office);
  expect(await accountOfDocument(first)).toMatchObject({ account: lumiere.email });
  expect(await accountOfDocument(second)).toMatchObject({ account: durand.email });
  // Neither went through the deployment's key (the stand-in's, development's default).
  expect((await callsOf(`key:${GETACCEPT_STAND_IN_KEY}`))['POST /documents']).toBeUndefined();
  // A tenant without its own account still signs through the deployment's (development).
  expect(await succeeded(signing.office.api.GET('/v1/settings/getaccept'), 200)).toMatchObject({ account: 'deployment', email: null });
  const third = await sendQuote(signing.office);
  expect(await accountOfDocument(third)).toMatchObject({ account: `key:${GETACCEPT_STAND_IN_KEY}` });
});

it("renews an expired token once, signing in again, and the seller's call goes through", async () => {
  const lumiere = await sellerWithOwnAccount('expiring');
  const durand = await sellerWithOwnAccount('steady');
  const documentId = await sendQuote(lumiere.office);
  const other = await sendQuote(durand.office);
  const before = await signing.stack.prisma.tenant.findUniqueOrThrow({ where: { id: lumiere.office.tenantId }, select: { getacceptCredentials: true } });
  expect(await callsOf(lumiere.email)).toMatchObject({ 'POST /auth': 1 });

  // GetAccept ends the seller's token; the signer signs meanwhile.
  expect(await standIn('POST', '/_dev/tokens/expire', { email: lumiere.email })).toEqual({ expired: 1 });
  const { id: providerId } = (await accountOfDocument(documentId)) as { id: string };
  await standIn('POST', `/_dev/documents/${providerId}/status`, { status: 'signed' });
  await succeeded(lumiere.office.checkSignature(documentId), 202);
  await lumiere.office.waitForDigitalStatus(documentId, 'signed');

  // Refused once (401), refresh refused (expired), signed in again once; the new token sealed back.
  const calls = await callsOf(lumiere.email);
  expect(calls['POST /auth']).toBe(2);
  expect(calls['GET /refresh']).toBeUndefined();
  const after = await signing.stack.prisma.tenant.findUniqueOrThrow({ where: { id: lumiere.office.tenantId }, select: { getacceptCredentials: true } });
  expect(after.getacceptCredentials).not.toBe(before.getacceptCredentials);
  // The other seller's token was never touched.
  expect(await callsOf(durand.email)).toMatchObject({ 'POST /auth': 1 });
  await eventually(async () => ((await durand.office.document(other)).digitalStatus === 'sent' ? true : undefined), { what: "the other seller's document to stay sent" });
});

it('refreshes a token about to expire before using it (GET /refresh), without signing in again', async () => {
  const seller = await sellerWithOwnAccount('refreshing');
  const { config, prisma } = signing.stack;
  // The token GetAccept gave is a minute from its end, as the seller's sealed record says.
  const { getacceptCredentials } = await prisma.tenant.findUniqueOrThrow({ where: { id: seller.office.tenantId }, select: { getacceptCredentials: true } });
  const stored = unsealJson(getacceptCredentials as string, config.appSecret, 'getaccept-credentials') as { expiresAt: number };
  await prisma.tenant.update({ where: { id: seller.office.tenantId }, data: { getacceptCredentials: sealJson({ ...stored, expiresAt: Date.now() + 60_000 }, config.appSecret, 'getaccept-credentials') } });

  const documentId = await sendQuote(seller.office);
  expect(await accountOfDocument(documentId)).toMatchObject({ account: seller.email });
  expect(await callsOf(seller.email)).toMatchObject({ 'POST /auth': 1, 'GET /refresh': 1 });
  const renewed = await succeeded(seller.office.api.GET('/v1/settings/getaccept'), 200);
  expect(Date.parse(renewed.tokenExpiresAt as string)).toBeGreaterThan(Date.now() + 3600_000);
});
