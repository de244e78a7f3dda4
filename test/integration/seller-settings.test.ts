/**
 * The seller's identity in the settings (issue 14): PATCH/GET /v1/settings `seller` and
 * `timeZone`, validated, and PUT /v1/settings/logo, checked like proof images (type by
 * content, size, decoded whole, bounded dimensions) and stored resized. A refusal is a clear
 * 4xx and changes nothing.
 */
import sharp from 'sharp';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: GreenlightClient;
let apiKey: string;

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  ({ apiKey } = await stack.createTenant('Imprimerie Durand'));
  api = greenlightClient(stack.baseUrl, apiKey);
});

afterAll(async () => {
  await stack?.close();
});

const seller = {
  legalName: 'Imprimerie Durand SARL',
  address: '12 rue des Presses\n69002 Lyon',
  phone: '+33 4 78 00 00 00',
  email: 'contact@imprimerie-durand.example',
  website: 'https://imprimerie-durand.example',
  taxId: 'FR40303265045',
  companyId: 'SIRET 303 265 045 00027',
  bankDetails: 'IBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP',
  paymentTerms: 'Paiement à 30 jours. Pénalités de retard : 3 fois le taux d’intérêt légal.',
  brandColor: '#c0392b',
};

function putLogo(body: Uint8Array | string, contentType: string): Promise<Response> {
  return fetch(`${stack.baseUrl}/v1/settings/logo`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
}

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 1 } } })
    .png()
    .toBuffer();

test('the seller and the time zone are saved, read back, and cleared with null', async () => {
  const saved = await succeeded(api.PATCH('/v1/settings', { body: { seller, timeZone: 'Europe/Paris' } }));
  expect(saved).toMatchObject({ seller, timeZone: 'Europe/Paris', logo: null });
  expect(await succeeded(api.GET('/v1/settings'))).toMatchObject({ seller, timeZone: 'Europe/Paris' });

  // Other settings leave them alone.
  expect(await succeeded(api.PATCH('/v1/settings', { body: { maxReminders: 2 } }))).toMatchObject({ seller, timeZone: 'Europe/Paris' });

  const cleared = await succeeded(api.PATCH('/v1/settings', { body: { seller: null, timeZone: null } }));
  expect(cleared).toMatchObject({ seller: null, timeZone: null });
  await succeeded(api.PATCH('/v1/settings', { body: { seller, timeZone: 'Europe/Paris' } }));
});

test.each([
  ['timeZone', 'Mars/Olympus_Mons', { timeZone: 'Mars/Olympus_Mons' }],
  ['timeZone', '+01:00 (an offset follows no summer time)', { timeZone: '+01:00' }],
  ['seller.brandColor', 'red', { seller: { ...seller, brandColor: 'red' } }],
  ['seller.legalName', 'blank', { seller: { ...seller, legalName: ' ' } }],
  ['seller.website', 'javascript:', { seller: { ...seller, website: 'javascript:alert(1)' } }],
  ['seller.legalName', 'missing', { seller: { address: 'no name' } }],
])('%s %s is refused with the field named, and nothing changes', async (path, _what, body) => {
  const before = await succeeded(api.GET('/v1/settings'));
  const answer = await api.PATCH('/v1/settings', { body: body as never });
  expect(answer.response.status).toBe(400);
  expect(answer.response.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.error?.errors?.map((error) => error.path)).toContain(path);
  expect(await succeeded(api.GET('/v1/settings'))).toEqual(before);
});

test('a logo is decoded, resized to fit 800×320, served at its own public address, and shown in the settings', async () => {
  const answer = await putLogo(await png(2000, 1000), 'image/png');
  expect(answer.status).toBe(200);
  const logo = (await answer.json()) as { url: string; width: number; height: number };
  expect(logo).toMatchObject({ width: 640, height: 320, url: expect.stringMatching(/^\/assets\/logos\/[0-9a-f]{64}\.png$/) });
  expect((await succeeded(api.GET('/v1/settings'))).logo).toMatchObject(logo);

  const served = await fetch(`${stack.baseUrl}${logo.url}`);
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('image/png');
  expect(served.headers.get('cache-control')).toContain('immutable');
  expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({ format: 'png', width: 640, height: 320 });

  // A JPEG replaces it, at a new address; the old one is gone.
  const jpeg = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#0a7248' } }).jpeg().toBuffer();
  const replaced = (await (await putLogo(jpeg, 'image/jpeg')).json()) as { url: string; width: number };
  expect(replaced).toMatchObject({ width: 300, height: 100 });
  expect(replaced.url).not.toBe(logo.url);
  expect((await fetch(`${stack.baseUrl}${logo.url}`)).status).toBe(404);
});

test('a logo that is not one is refused with its reason, and the logo in place stays', async () => {
  const before = (await succeeded(api.GET('/v1/settings'))).logo;
  expect(before).not.toBeNull();
  const validPng = await png(200, 100);
  const bomb = Buffer.from(validPng);
  // The header claims 20000×20000 pixels: refused before a pixel is decoded.
  bomb.writeUInt32BE(20_000, 16);
  bomb.writeUInt32BE(20_000, 20);

  const cases: [Uint8Array | string, string, number, RegExp][] = [
    ['<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/svg+xml', 415, /not a PNG, JPEG or WebP/],
    [validPng, 'image/jpeg', 415, /image\/png, not image\/jpeg/],
    [validPng.subarray(0, validPng.length - 30), 'image/png', 422, /damaged|cannot be read/],
    [bomb, 'image/png', 422, /megapixels/],
    [Buffer.alloc(6 * 1024 * 1024, 0x89), 'image/png', 413, /larger than the 5 MB/],
    ['', 'image/png', 400, /empty/],
    ['{"logo": "x"}', 'application/json', 415, /file itself/],
  ];
  for (const [body, type, status, reason] of cases) {
    const answer = await putLogo(body, type);
    const problem = (await answer.json()) as { detail?: string };
    expect({ type, status: answer.status }).toEqual({ type, status });
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(problem.detail).toMatch(reason);
  }
  expect((await succeeded(api.GET('/v1/settings'))).logo).toEqual(before);
});

test("another tenant's logo is its own, and unknown logo addresses answer 404", async () => {
  const other = await stack.createTenant('Autre');
  const otherApi = greenlightClient(stack.baseUrl, other.apiKey);
  expect((await succeeded(otherApi.GET('/v1/settings'))).logo).toBeNull();
  expect((await fetch(`${stack.baseUrl}/assets/logos/${'0'.repeat(64)}.png`)).status).toBe(404);
  expect((await fetch(`${stack.baseUrl}/assets/logos/..%2Fsecret.png`)).status).toBe(404);
});
