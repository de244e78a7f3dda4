/**
 * The configuration as each process reads it at start (platform/config.ts): production refuses
 * to start half-configured and names every missing setting at once; development runs with
 * nothing set; GetAccept's local stand-in and the outbox standing in for Twilio are development
 * defaults only; Temporal's
 * credentials come from Temporal's own variables.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError, loadConfig } from '../../platform/config';
import { temporalConnectionOptions } from '../../platform/temporal';

const PRODUCTION: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://greenlight:secret@db.internal:5432/greenlight',
  TEMPORAL_ADDRESS: 'temporal.internal:7233',
  PUBLIC_URL: 'https://documents.example.com',
  APP_SECRET: 'a-long-random-production-secret',
  RESEND_API_KEY: 're_live_example',
  MAIL_FROM: 'Print Shop <documents@example.com>',
};

function refusal(env: NodeJS.ProcessEnv): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('loadConfig started without refusing');
}

describe('production settings', () => {
  it('refuses to start with nothing set, naming every missing setting in one message', () => {
    const { message, stack } = refusal({ NODE_ENV: 'production' });
    expect(message.split('\n')).toEqual([
      'Greenlight will not start in production (NODE_ENV=production) without these 6 settings:',
      expect.stringMatching(/^ {2}DATABASE_URL +PostgreSQL/),
      expect.stringMatching(/^ {2}TEMPORAL_ADDRESS +the Temporal frontend/),
      expect.stringMatching(/^ {2}PUBLIC_URL +where customers reach the portal/),
      expect.stringMatching(/^ {2}APP_SECRET +a long random string/),
      expect.stringMatching(/^ {2}RESEND_API_KEY +Resend's API key/),
      expect.stringMatching(/^ {2}MAIL_FROM +the sender of every email/),
    ]);
    // What the process prints is the message, not a trace through loadConfig.
    expect(stack).toBe(`ConfigurationError: ${message}`);
  });

  it.each(Object.keys(PRODUCTION).filter((name) => name !== 'NODE_ENV'))('names %s alone when only it is missing', (name) => {
    const { message } = refusal({ ...PRODUCTION, [name]: '' });
    expect(message).toMatch(/without this setting:\n {2}\S+ {2}/);
    expect(message.split('\n').slice(1).map((line) => line.trim().split(' ')[0])).toEqual([name]);
  });

  it('starts with every required setting, without Stripe or GetAccept', () => {
    const config = loadConfig(PRODUCTION);
    expect(config).toMatchObject({ devMode: false, databaseUrl: PRODUCTION.DATABASE_URL, publicUrl: PRODUCTION.PUBLIC_URL, resendBaseUrl: 'https://api.resend.com' });
  });

  it('starts in development with nothing set', () => {
    expect(loadConfig({})).toMatchObject({ devMode: true, temporalAddress: '127.0.0.1:7233', appSecret: 'greenlight-dev-secret' });
  });
});

describe('GetAccept', () => {
  it('talks to the local stand-in in development without a key', () => {
    expect(loadConfig({}).getaccept).toMatchObject({ local: true, apiUrl: 'http://127.0.0.1:3031/v1', accessToken: 'ga_local_stand_in' });
  });

  it('has no GetAccept in production without a key: no stand-in, an empty token', () => {
    expect(loadConfig(PRODUCTION).getaccept).toMatchObject({ local: false, apiUrl: 'https://api.getaccept.com/v1', accessToken: '' });
  });

  it("uses GetAccept with production's key", () => {
    expect(loadConfig({ ...PRODUCTION, GETACCEPT_API_KEY: 'ga_live' }).getaccept).toMatchObject({ local: false, apiUrl: 'https://api.getaccept.com/v1', accessToken: 'ga_live' });
  });
});

describe('Twilio (SMS)', () => {
  it('talks to the local outbox, standing in for Twilio, in development without an account', () => {
    expect(loadConfig({ OUTBOX_PORT: '3999' }).twilio).toEqual({ apiUrl: 'http://127.0.0.1:3999', accountSid: 'AC00000000000000000000000000000000', authToken: 'local-outbox', from: '+15005550006' });
  });

  it('has no SMS in production without an account: an empty account SID', () => {
    expect(loadConfig(PRODUCTION).twilio).toMatchObject({ apiUrl: 'https://api.twilio.com', accountSid: '' });
  });

  it("uses Twilio with production's account, or the address TWILIO_API_URL names", () => {
    const account = { TWILIO_ACCOUNT_SID: 'AC0123', TWILIO_AUTH_TOKEN: 'secret', TWILIO_FROM: '+33700000000' };
    expect(loadConfig({ ...PRODUCTION, ...account }).twilio).toEqual({ apiUrl: 'https://api.twilio.com', accountSid: 'AC0123', authToken: 'secret', from: '+33700000000' });
    expect(loadConfig({ ...PRODUCTION, ...account, TWILIO_API_URL: 'http://twilio-mock:4010/' }).twilio.apiUrl).toBe('http://twilio-mock:4010');
  });

  it('refuses an account without its token or sender, naming them', () => {
    expect(refusal({ ...PRODUCTION, TWILIO_ACCOUNT_SID: 'AC0123' }).message).toBe('TWILIO_ACCOUNT_SID is set without TWILIO_AUTH_TOKEN and TWILIO_FROM: SMS could not be sent.');
  });
});

describe("Temporal's connection settings", () => {
  const address = { TEMPORAL_ADDRESS: 'example.tmprl.cloud:7233' };

  it('connects plainly with nothing set', () => {
    expect(temporalConnectionOptions(loadConfig(address))).toEqual({ address: 'example.tmprl.cloud:7233' });
  });

  it('sends TEMPORAL_API_KEY, leaving TLS to the SDK (on with a key), or off with TEMPORAL_TLS=false', () => {
    expect(temporalConnectionOptions(loadConfig({ ...address, TEMPORAL_API_KEY: 'key-1' }))).toEqual({ address: 'example.tmprl.cloud:7233', apiKey: 'key-1' });
    expect(temporalConnectionOptions(loadConfig({ ...address, TEMPORAL_API_KEY: 'key-1', TEMPORAL_TLS: 'false' }))).toEqual({
      address: 'example.tmprl.cloud:7233',
      apiKey: 'key-1',
      tls: false,
    });
  });

  it('turns TLS on with TEMPORAL_TLS=true, or with any TEMPORAL_TLS_* setting, reading the certificates it names', () => {
    expect(temporalConnectionOptions(loadConfig({ ...address, TEMPORAL_TLS: 'true' }))).toEqual({ address: 'example.tmprl.cloud:7233', tls: {} });

    const dir = mkdtempSync(path.join(tmpdir(), 'greenlight-tls-'));
    const files = { ca: path.join(dir, 'ca.pem'), crt: path.join(dir, 'client.pem'), key: path.join(dir, 'client.key') };
    writeFileSync(files.ca, 'CA CERTIFICATE');
    writeFileSync(files.crt, 'CLIENT CERTIFICATE');
    writeFileSync(files.key, 'CLIENT KEY');
    const options = temporalConnectionOptions(
      loadConfig({
        ...address,
        TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: files.ca,
        TEMPORAL_TLS_CLIENT_CERT_PATH: files.crt,
        TEMPORAL_TLS_CLIENT_KEY_PATH: files.key,
      }),
    );
    expect(options.tls).toEqual({
      serverNameOverride: 'frontend.internal',
      serverRootCACertificate: Buffer.from('CA CERTIFICATE'),
      clientCertPair: { crt: Buffer.from('CLIENT CERTIFICATE'), key: Buffer.from('CLIENT KEY') },
    });
  });

  it('refuses a client certificate without its key', () => {
    expect(refusal({ ...address, TEMPORAL_TLS_CLIENT_CERT_PATH: '/etc/temporal/client.pem' }).message).toMatch(/TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together/);
  });
});

describe('the Node.js running us', () => {
  // make test, make start and CI run everything on Node 24 LTS (scripts/install-node.sh, the Makefile's PATH).
  it('is Node 24 or later, as package.json engines require', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });
});
