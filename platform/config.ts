/**
 * Configuration from the environment, read once. Every value has an embedded default so
 * `make start` runs with nothing set (see README, "Configuration"). Production
 * (NODE_ENV=production) has no such defaults for what it cannot run without: a process
 * missing any of them refuses to start, naming them all (PRODUCTION_SETTINGS).
 */
import path from 'node:path';
import { durationToMs } from '../domain/durations';

/**
 * A setting missing or malformed. Its message says everything: the stack trace (always through
 * loadConfig) is left out of what the process prints when it refuses to start.
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
    this.stack = `${this.name}: ${message}`;
  }
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigurationError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

export interface ProofUploadLimits {
  /** PROOF_MAX_FILE_MB: one file. */
  maxFileBytes: number;
  /** PROOF_MAX_FILES: files in one upload. */
  maxFiles: number;
  /** PROOF_MAX_PAGES: pages in one revision. */
  maxPages: number;
  /** PROOF_MAX_MEGAPIXELS: one image, or one PDF page at the zoom width. */
  maxPixels: number;
}

export interface RenderLimits {
  /** RENDER_TIMEOUT_MS: one pdftoppm/pdfinfo run. */
  timeoutMs: number;
  /** RENDER_MEMORY_MB: address space of one pdftoppm/pdfinfo run. */
  memoryBytes: number;
}

export interface Config {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** Credentials for a Temporal that asks for them (Temporal Cloud, a server with mTLS): platform/temporal.ts. */
  temporalAuth: TemporalAuth;
  taskQueue: string;
  /**
   * The tenants this worker's sweepers (renders, webhook deliveries) look after (SWEEP_TENANTS, comma-separated);
   * every tenant when unset, as production wants. Set where workers of one database poll task
   * queues of their own (the test suite), so none starts another's work on its queue.
   */
  sweepTenants?: string[];
  /** WORKER_HEALTH_PORT: where a worker answers GET /healthz (workers/health.ts); no endpoint when unset. */
  workerHealthPort?: number;
  /**
   * WORKER_MAX_CACHED_WORKFLOWS: how many workflows a worker keeps in its sticky cache (the SDK's
   * default, sized from the heap, when unset). Documents wait for weeks: most are evicted, and a
   * decision on one replays its history first (bench/waiting-quotes.ts measures what that costs).
   */
  maxCachedWorkflows?: number;
  dataDir: string;
  publicUrl: string;
  /** Base URL the Resend SDK talks to: Resend itself, or the local outbox. */
  resendBaseUrl: string;
  resendApiKey: string;
  outboxUrl: string;
  outboxPort: number;
  mailFrom: string;
  devMode: boolean;
  /** Signs portal CSRF tokens. */
  appSecret: string;
  /** Operator token for tenant creation; without one, operator routes stay closed. */
  adminToken?: string;
  /** METRICS_TOKEN: the bearer token that scrapes the API's /metrics; without one, /metrics is open in development and closed in production. */
  metricsToken?: string;
  /**
   * WORKER_METRICS_PORT (and WORKER_METRICS_HOST, default 127.0.0.1): where a worker serves its
   * Prometheus metrics; no port, no metrics endpoint. The endpoint has no authentication: bind it
   * where only the scraper reaches it.
   */
  workerMetrics?: { host: string; port: number };
  /** Portal requests per minute, per link token and per client IP. */
  portalRateLimits: { perTokenPerMinute: number; perIpPerMinute: number };
  /**
   * RATE_LIMIT_SCOPE: the API processes that share rate-limit budgets (counted in PostgreSQL).
   * Every process of a deployment keeps the default; independent apps on one database (the
   * test suite's stacks) each set their own.
   */
  rateLimitScope: string;
  /**
   * Express "trust proxy": how many proxies sit in front of the API, so the IP kept in the
   * audit trail is the customer's and not the load balancer's. 0 when clients connect directly.
   */
  trustProxyHops: number;
  /** Uploaded originals and rendered pages (services/files/); FILES_DIR, default <DATA_DIR>/files. */
  filesDir: string;
  /** Caps on a proof upload, checked by content before anything is stored (services/render/inspect-upload.ts). */
  proofUploads: ProofUploadLimits;
  /** Bounds on the rasterizer child process, so a hostile PDF is killed, never the worker. */
  render: RenderLimits;
  /**
   * GetAccept (external signature): GETACCEPT_API_URL and GETACCEPT_API_KEY (an access token).
   * Without a key, the local stand-in (devtools/getaccept, GETACCEPT_STANDIN_PORT) answers with
   * its own key in development; production has none.
   */
  getaccept: {
    apiUrl: string;
    /** Empty in production without GETACCEPT_API_KEY: signing through GetAccept answers 503 (services/signature/registry.ts). */
    accessToken: string;
    /** True when talking to the local stand-in. */
    local: boolean;
    standInPort: number;
    /** Status checks per minute, per tenant, across all its documents (GETACCEPT_CHECKS_PER_MINUTE). */
    checksPerMinute: number;
  };
  webhooks: {
    /** Waits between delivery attempts (WEBHOOK_RETRY_DELAYS, ISO 8601 durations, comma-separated); unset: about three days of retries. */
    retryDelaysMs?: number[];
    /** How long a receiver may take to answer (WEBHOOK_TIMEOUT_MS). */
    timeoutMs: number;
  };
  /** Online payments (services/payment/): Stripe, or the local stand-in (devtools/stripe/) in development. */
  stripe: StripeConfig;
  /** SMS (services/notify/sms.ts): Twilio, or the local outbox standing in for it in development. */
  twilio: TwilioConfig;
}

export interface TwilioConfig {
  /** TWILIO_API_URL: where the Twilio SDK sends its requests; unset: Twilio itself, or the local outbox in development. */
  apiUrl: string;
  /** TWILIO_ACCOUNT_SID (AC…); empty in production without one: sending by SMS answers 503 naming it. */
  accountSid: string;
  /** TWILIO_AUTH_TOKEN. */
  authToken: string;
  /** TWILIO_FROM: the number (E.164) or alphanumeric sender id texts come from. */
  from: string;
}

/**
 * Temporal's own variable names, as its CLI and @temporalio/envconfig read them: one set of
 * settings reaches Temporal from Greenlight and from an operator's shell alike.
 */
export interface TemporalAuth {
  /** TEMPORAL_API_KEY: sent as a bearer token; the SDK then connects with TLS unless TEMPORAL_TLS=false. */
  apiKey?: string;
  /**
   * On with TEMPORAL_TLS=true or any TEMPORAL_TLS_* setting, off with TEMPORAL_TLS=false;
   * unset, a plain connection (or TLS with an API key).
   */
  tls?: false | TemporalTls;
}

export interface TemporalTls {
  /** TEMPORAL_TLS_SERVER_NAME: the name the server's certificate is checked against, when not the address's host. */
  serverName?: string;
  /** TEMPORAL_TLS_SERVER_CA_CERT_PATH: a private CA's certificate (PEM); the system's roots otherwise. */
  serverCaCertPath?: string;
  /** TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (PEM): mutual TLS. */
  clientCertPair?: { certPath: string; keyPath: string };
}

function temporalAuthFromEnv(env: NodeJS.ProcessEnv): TemporalAuth {
  const certPath = env.TEMPORAL_TLS_CLIENT_CERT_PATH || undefined;
  const keyPath = env.TEMPORAL_TLS_CLIENT_KEY_PATH || undefined;
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new ConfigurationError('TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH go together (mutual TLS): set both or neither.');
  }
  const tls: TemporalTls = {
    ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverName: env.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(env.TEMPORAL_TLS_SERVER_CA_CERT_PATH ? { serverCaCertPath: env.TEMPORAL_TLS_SERVER_CA_CERT_PATH } : {}),
    ...(certPath && keyPath ? { clientCertPair: { certPath, keyPath } } : {}),
  };
  // As envconfig reads it: "true" or "1" is on, any other value off.
  const switchedOn = env.TEMPORAL_TLS ? ['true', '1'].includes(env.TEMPORAL_TLS.toLowerCase()) : undefined;
  const on = switchedOn ?? Object.keys(tls).length > 0;
  return {
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
    ...(switchedOn === false ? { tls: false as const } : on ? { tls } : {}),
  };
}

export interface StripeConfig {
  /** STRIPE_API_URL: where the Stripe SDK sends its requests; unset: Stripe itself, or the local stand-in in development. */
  apiUrl: string;
  /** STRIPE_SECRET_KEY: an sk_test_/sk_live_ key; a placeholder for the stand-in in development. */
  secretKey: string;
  /** STRIPE_WEBHOOK_SECRET: the endpoint's signing secret (whsec_…) that verifies Stripe's webhooks. */
  webhookSecret: string;
  /**
   * STRIPE_CONNECT_WEBHOOK_SECRET: the signing secret of the Connect endpoint (events of the
   * sellers' connected accounts), when it is another endpoint than STRIPE_WEBHOOK_SECRET's; empty: none.
   */
  connectWebhookSecret: string;
  /**
   * Whether a tenant without a connected account is paid on the platform's own account: in
   * development (the stand-in, `make start`'s demo tenant) unless STRIPE_CONNECT_REQUIRED=true;
   * never in production, where its payments are refused (409, services/payment/accounts.ts).
   */
  platformServesUnconnected: boolean;
  /** STRIPE_STANDIN_PORT: the local stand-in's port (development). */
  standInPort: number;
  /** Development without STRIPE_API_URL: `make start` runs the stand-in (devtools/stripe/). */
  local: boolean;
}

/**
 * What production cannot run without: each would otherwise fall back to a development default
 * (a local address, the mail outbox, a guessable secret, a sender nobody verified). Online
 * payments (STRIPE_*) and GetAccept (GETACCEPT_API_KEY) are features a deployment may leave
 * out: what needs them answers 503 naming the setting.
 */
const PRODUCTION_SETTINGS: { name: string; what: string; isSet(env: NodeJS.ProcessEnv): boolean }[] = [
  { name: 'DATABASE_URL', what: "PostgreSQL's connection URL", isSet: (env) => Boolean(env.DATABASE_URL) },
  { name: 'TEMPORAL_ADDRESS', what: "the Temporal frontend's host:port", isSet: (env) => Boolean(env.TEMPORAL_ADDRESS) },
  { name: 'PUBLIC_URL', what: 'where customers reach the portal (the links in emails)', isSet: (env) => Boolean(env.PUBLIC_URL) },
  // Signs CSRF fields and derives emailed link tokens: a guessable value would make links guessable.
  { name: 'APP_SECRET', what: 'a long random string (signs portal forms and link tokens)', isSet: (env) => Boolean(env.APP_SECRET || env.ADMIN_TOKEN) },
  { name: 'RESEND_API_KEY', what: "Resend's API key (emails)", isSet: (env) => Boolean(env.RESEND_API_KEY) },
  { name: 'MAIL_FROM', what: 'the sender of every email, on a domain verified at Resend', isSet: (env) => Boolean(env.MAIL_FROM) },
];

/** One message naming every production setting that is missing, or nothing to say. */
function refuseHalfConfiguredProduction(env: NodeJS.ProcessEnv): void {
  const missing = PRODUCTION_SETTINGS.filter((setting) => !setting.isSet(env));
  if (missing.length === 0) return;
  const width = Math.max(...missing.map((setting) => setting.name.length));
  throw new ConfigurationError(
    [
      `Greenlight will not start in production (NODE_ENV=production) without ${missing.length === 1 ? 'this setting' : `these ${missing.length} settings`}:`,
      ...missing.map((setting) => `  ${setting.name.padEnd(width)}  ${setting.what}`),
    ].join('\n'),
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const devMode = env.NODE_ENV !== 'production';
  if (!devMode) refuseHalfConfiguredProduction(env);
  const port = intFromEnv(env, 'PORT', 3000);
  const outboxPort = intFromEnv(env, 'OUTBOX_PORT', 3025);
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');
  const outboxUrl = env.OUTBOX_URL ?? `http://127.0.0.1:${outboxPort}`;
  const realResend = Boolean(env.RESEND_API_KEY);
  // Production was refused above without one of the first two.
  const appSecret = env.APP_SECRET || env.ADMIN_TOKEN || 'greenlight-dev-secret';
  return {
    port,
    databaseUrl: env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/greenlight',
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalAuth: temporalAuthFromEnv(env),
    taskQueue: env.TASK_QUEUE ?? 'greenlight',
    ...(env.SWEEP_TENANTS !== undefined ? { sweepTenants: env.SWEEP_TENANTS.split(',').filter(Boolean) } : {}),
    ...(env.WORKER_HEALTH_PORT ? { workerHealthPort: intFromEnv(env, 'WORKER_HEALTH_PORT', 0) } : {}),
    ...(env.WORKER_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: intFromEnv(env, 'WORKER_MAX_CACHED_WORKFLOWS', 0) } : {}),
    dataDir,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    resendBaseUrl: env.RESEND_BASE_URL ?? (realResend ? 'https://api.resend.com' : outboxUrl),
    resendApiKey: env.RESEND_API_KEY || 're_local_outbox',
    outboxUrl,
    outboxPort,
    mailFrom: env.MAIL_FROM ?? 'Greenlight <documents@greenlight.local>',
    devMode,
    appSecret,
    ...(env.ADMIN_TOKEN ? { adminToken: env.ADMIN_TOKEN } : {}),
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    ...(env.WORKER_METRICS_PORT ? { workerMetrics: { host: env.WORKER_METRICS_HOST || '127.0.0.1', port: intFromEnv(env, 'WORKER_METRICS_PORT', 0) } } : {}),
    portalRateLimits: {
      perTokenPerMinute: intFromEnv(env, 'PORTAL_RATE_LIMIT_PER_TOKEN', 60),
      perIpPerMinute: intFromEnv(env, 'PORTAL_RATE_LIMIT_PER_IP', 600),
    },
    rateLimitScope: env.RATE_LIMIT_SCOPE || 'greenlight',
    trustProxyHops: intFromEnv(env, 'TRUST_PROXY_HOPS', 0, 0),
    filesDir: path.resolve(env.FILES_DIR ?? path.join(dataDir, 'files')),
    proofUploads: {
      maxFileBytes: intFromEnv(env, 'PROOF_MAX_FILE_MB', 200) * 1024 * 1024,
      maxFiles: intFromEnv(env, 'PROOF_MAX_FILES', 50),
      maxPages: intFromEnv(env, 'PROOF_MAX_PAGES', 200),
      maxPixels: intFromEnv(env, 'PROOF_MAX_MEGAPIXELS', 60) * 1_000_000,
    },
    render: {
      timeoutMs: intFromEnv(env, 'RENDER_TIMEOUT_MS', 120_000),
      memoryBytes: intFromEnv(env, 'RENDER_MEMORY_MB', 1024) * 1024 * 1024,
    },
    getaccept: getAcceptConfig(env, devMode),
    webhooks: {
      ...(env.WEBHOOK_RETRY_DELAYS ? { retryDelaysMs: env.WEBHOOK_RETRY_DELAYS.split(',').map((delay) => durationToMs(delay.trim())) } : {}),
      timeoutMs: intFromEnv(env, 'WEBHOOK_TIMEOUT_MS', 15_000),
    },
    stripe: stripeConfig(env, devMode),
    twilio: twilioConfig(env, devMode, outboxUrl),
  };
}

/**
 * Development without an account talks to the local outbox, which answers Twilio's Messages API
 * (devtools/outbox); production without one sends no SMS, and what would answers 503 naming it.
 */
function twilioConfig(env: NodeJS.ProcessEnv, devMode: boolean, outboxUrl: string): TwilioConfig {
  const local = devMode && !env.TWILIO_ACCOUNT_SID;
  const missing = env.TWILIO_ACCOUNT_SID ? ['TWILIO_AUTH_TOKEN', 'TWILIO_FROM'].filter((name) => !env[name]) : [];
  if (missing.length) throw new ConfigurationError(`TWILIO_ACCOUNT_SID is set without ${missing.join(' and ')}: SMS could not be sent.`);
  return {
    apiUrl: (env.TWILIO_API_URL || (local ? outboxUrl : 'https://api.twilio.com')).replace(/\/$/, ''),
    accountSid: env.TWILIO_ACCOUNT_SID || (local ? TWILIO_LOCAL_ACCOUNT : ''),
    authToken: env.TWILIO_AUTH_TOKEN || (local ? 'local-outbox' : ''),
    from: env.TWILIO_FROM || (local ? '+15005550006' : ''),
  };
}

/** The local outbox's account: any basic auth is taken there, this one says where it comes from. */
export const TWILIO_LOCAL_ACCOUNT = 'AC00000000000000000000000000000000';

/**
 * Development talks to the local stand-in with fixed placeholder secrets; production talks to
 * Stripe and must be given its keys (a guessable webhook secret would let anyone mark an
 * invoice paid).
 */
function stripeConfig(env: NodeJS.ProcessEnv, devMode: boolean): StripeConfig {
  const standInPort = intFromEnv(env, 'STRIPE_STANDIN_PORT', 3026);
  const secretKey = env.STRIPE_SECRET_KEY || (devMode ? 'sk_test_greenlight_local' : '');
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET || (devMode ? 'whsec_greenlight_local' : '');
  const local = devMode && !env.STRIPE_API_URL;
  return {
    apiUrl: (env.STRIPE_API_URL || (local ? `http://127.0.0.1:${standInPort}` : 'https://api.stripe.com')).replace(/\/$/, ''),
    secretKey,
    webhookSecret,
    connectWebhookSecret: env.STRIPE_CONNECT_WEBHOOK_SECRET || '',
    platformServesUnconnected: devMode && env.STRIPE_CONNECT_REQUIRED !== 'true',
    standInPort,
    local,
  };
}

/** The local stand-in's key: any Bearer token is taken there, this one says where it comes from. */
export const GETACCEPT_STAND_IN_KEY = 'ga_local_stand_in';

/**
 * Development without a key talks to the local stand-in; production without one has no
 * GetAccept at all (an empty token): signing through it is refused, naming the setting.
 */
function getAcceptConfig(env: NodeJS.ProcessEnv, devMode: boolean): Config['getaccept'] {
  const standInPort = intFromEnv(env, 'GETACCEPT_STANDIN_PORT', 3031);
  const key = env.GETACCEPT_API_KEY;
  const local = devMode && !key;
  return {
    apiUrl: (env.GETACCEPT_API_URL || (local ? `http://127.0.0.1:${standInPort}/v1` : 'https://api.getaccept.com/v1')).replace(/\/$/, ''),
    accessToken: key || (local ? GETACCEPT_STAND_IN_KEY : ''),
    local,
    standInPort,
    checksPerMinute: intFromEnv(env, 'GETACCEPT_CHECKS_PER_MINUTE', 60),
  };
}
