import { z } from 'zod';
import { estimateKeyEntropyBits, MIN_KEY_ENTROPY_BITS } from '../features/api-keys/key-entropy';
import type { ConfiguredPartnerLimits } from '../features/holds/partner-limits';
import { parseWebhookSecretKey } from '../features/webhooks/webhook-secrets';
import type { HttpTimeouts } from './http-server';
import type { ConcurrencyLimit } from './key-concurrency';
import type { RateLimitSettings } from './rate-limits';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL');
/** Tessitura's Basic user part is `username:usergroup:location`, so none of the three may hold a colon. */
const basicAuthPart = z.string().min(1).regex(/^[^:]*$/, 'must not contain ":"');

/** An operator's own admin key: long, and random enough that it cannot be guessed (see key-entropy.ts). */
const adminApiKey = z
  .string()
  .min(32, 'must be at least 32 characters')
  .max(256)
  .refine((key) => key.length < 32 || estimateKeyEntropyBits(key) >= MIN_KEY_ENTROPY_BITS, {
    message: `is too predictable (under ${MIN_KEY_ENTROPY_BITS} bits by the gateway's estimate: it repeats itself, follows a pattern or uses few characters); use a random key, e.g. openssl rand -base64 32`,
  });

const jsonObject = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  }).pipe(schema);

/** Tessitura's ids are int32. */
const tessituraId = z.number().int().positive().max(2 ** 31 - 1);

const partnerMapping = z
  .object({
    // The buyer of record, how it pays, and the mode of sale and source (promotion code) its sales are reported under.
    tessitura: z
      .object({
        constituent_id: tessituraId,
        payment_method_id: tessituraId,
        mode_of_sale_id: tessituraId,
        source_id: tessituraId,
        // The on-account method a return's credit is applied to, when the sales' method is not one.
        return_payment_method_id: tessituraId.optional(),
      })
      .strict()
      .optional(),
    salesvu: z.object({ store_id: z.string().min(1) }).strict().optional(),
  })
  .strict();

/** 32 bytes, as 64 hex digits or base64; the message never repeats the value. */
const webhookSecretKey = z.string().transform((text, ctx) => {
  const key = parseWebhookSecretKey(text);
  if (!key) ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)' });
  return key ?? z.NEVER;
});

const partnerLimit = z
  .object({ max_hold_quantity: positiveInt(10_000).optional(), max_held_tickets: positiveInt(100_000_000).optional() })
  .strict();

/** Past KEY_CONCURRENCY, this many more of one key's requests may wait; more are refused. */
const MAX_WAITING_PER_KEY = 1_000;

/** Requests per `RATE_LIMIT_WINDOW_SECONDS`: per key by role, and per address without a valid key. */
const DEFAULT_RATE_LIMITS = { partner: 10_000, inventory: 2_000, staff: 2_000, monitor: 1_000, admin: 2_000, anonymous: 1_000 };
const rateLimits = z
  .object(Object.fromEntries(Object.keys(DEFAULT_RATE_LIMITS).map((name) => [name, positiveInt(10_000_000).optional()])))
  .strict();

const environmentSchema = z
  .object({
    PORT: port.default(8080),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_MAX: positiveInt(200).default(20),
    PGLITE_DIR: z.string().min(1).default('./data'),
    HOLD_TTL_SECONDS: positiveInt(86_400).default(900),
    ADMIN_API_KEY: adminApiKey.optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    TESSITURA_URL: httpUrl.optional(),
    TESSITURA_USERNAME: basicAuthPart.optional(),
    TESSITURA_USERGROUP: basicAuthPart.optional(),
    TESSITURA_LOCATION: basicAuthPart.optional(),
    TESSITURA_PASSWORD: z.string().min(1).optional(),
    SALESVU_URL: httpUrl.optional(),
    SALESVU_STORE_KEYS: jsonObject(z.record(z.string(), z.string().min(1))).optional(),
    PARTNER_MAPPINGS: jsonObject(z.record(z.string(), partnerMapping)).optional(),
    DOWNSTREAM_TIMEOUT_MS: positiveInt(120_000).default(10_000),
    DELIVERY_MAX_ATTEMPTS: positiveInt(1_000).default(10),
    DELIVERY_BACKOFF_BASE_MS: positiveInt(3_600_000).default(1_000),
    DELIVERY_BACKOFF_MAX_MS: positiveInt(86_400_000).default(300_000),
    DELIVERY_LEASE_MS: positiveInt(3_600_000).default(120_000),
    DISPATCHER: z.enum(['on', 'off']).default('on'),
    DISPATCHER_CONCURRENCY: positiveInt(1_000).default(64),
    DISPATCHER_INITIAL_CONCURRENCY: positiveInt(1_000).default(8),
    DISPATCHER_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(2_000),
    PII_RETENTION_DAYS: positiveInt(3_650).default(30),
    NODE_ENV: z.string().optional(),
    REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(4_500),
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    PARTNER_LIMITS: jsonObject(z.record(z.string().min(1), partnerLimit)).optional(),
    RATE_LIMITS: jsonObject(rateLimits).optional(),
    KEY_CONCURRENCY: positiveInt(1_000).default(8),
    KEY_BATCH_CONCURRENCY: positiveInt(100).default(1),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt(3_600).default(10),
    WEBHOOK_SECRET_KEY: webhookSecretKey.optional(),
    WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).default('false'),
    WEBHOOK_TIMEOUT_MS: positiveInt(60_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    if (env.TESSITURA_URL) {
      for (const name of ['TESSITURA_USERNAME', 'TESSITURA_USERGROUP', 'TESSITURA_LOCATION', 'TESSITURA_PASSWORD'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required with TESSITURA_URL' });
      }
    }
    // A claim must outlast any send (a sale is at most ten calls), or a second dispatcher could resume it mid-send.
    if (env.DELIVERY_LEASE_MS < 10 * env.DOWNSTREAM_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['DELIVERY_LEASE_MS'], message: 'must be at least 10 x DOWNSTREAM_TIMEOUT_MS' });
    }
    // A webhook is one request; a database hiccup around it must not let the lease run out mid-send.
    if (env.DELIVERY_LEASE_MS < 2 * env.WEBHOOK_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['DELIVERY_LEASE_MS'], message: 'must be at least 2 x WEBHOOK_TIMEOUT_MS' });
    }
    if (env.DISPATCHER_INITIAL_CONCURRENCY > env.DISPATCHER_CONCURRENCY) {
      ctx.addIssue({ code: 'custom', path: ['DISPATCHER_INITIAL_CONCURRENCY'], message: 'must be at most DISPATCHER_CONCURRENCY' });
    }
    // Node refuses a server whose headers may take longer than the whole request.
    if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['HEADERS_TIMEOUT_MS'], message: 'must be at most REQUEST_TIMEOUT_MS' });
    }
    if (env.SALESVU_URL && !env.SALESVU_STORE_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['SALESVU_STORE_KEYS'], message: 'is required with SALESVU_URL' });
    }
  });

export type PartnerMapping = z.infer<typeof partnerMapping>;

export type TessituraSettings = { url: string; username: string; userGroup: string; location: string; password: string };
export type SalesVuSettings = { url: string; storeKeys: Record<string, string> };

export type Config = {
  port: number;
  database: { url?: string; poolMax: number; pgliteDir: string };
  holdTtlSeconds: number;
  adminApiKey?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  downstream: {
    /** Unset: the gateway starts its Tessitura simulator on loopback. */
    tessitura?: TessituraSettings;
    /** Unset: the gateway starts its SalesVu simulator on loopback. */
    salesvu?: SalesVuSettings;
    /** By partner_id; `*` applies to partners without an entry of their own. Unset: none. */
    partners?: Record<string, PartnerMapping>;
    timeoutMs: number;
  };
  deliveries: {
    dispatcher: boolean;
    /** The most deliveries one dispatcher sends at once to one downstream system (its adaptive limit's ceiling). */
    concurrency: number;
    /** Where that adaptive limit starts. */
    initialConcurrency: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    leaseMs: number;
  };
  piiRetentionDays: number;
  /** NODE_ENV=production: downstream systems must be configured, never simulated. */
  production: boolean;
  /** A request that would take longer is answered 503 deadline_exceeded, its database work rolled back. */
  requestDeadlineMs: number;
  /** A client that has not sent its headers, or its whole request, within these gets 408 and is disconnected. */
  httpTimeouts: HttpTimeouts;
  /** How often a dispatcher looks for due deliveries (retries coming due) when nothing wakes it sooner. */
  dispatcherPollMs: number;
  rateLimits: RateLimitSettings;
  /** One key's requests at once (more wait their turn), and its batches at once (more are refused). */
  keyConcurrency: { requests: ConcurrencyLimit; batches: ConcurrencyLimit };
  /** By partner_id; `*` applies to partners without an entry of their own. Unset: the built-in limits. */
  partnerLimits?: ConfiguredPartnerLimits;
  webhooks: {
    /** Encrypts webhook secrets. Unset: required in production, else a local key (see resolveWebhookSecretKey). */
    secretKey?: Buffer;
    /** Webhook URLs may be http and reach loopback and private addresses (tests, the local demo). */
    allowPrivateUrls: boolean;
    /** A receiver's whole exchange (resolving, connecting, its answer) must end within this. */
    timeoutMs: number;
  };
};

export class ConfigError extends Error {}

/** Reads and validates the environment once; a bad value throws naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, pgliteDir: e.PGLITE_DIR },
    holdTtlSeconds: e.HOLD_TTL_SECONDS,
    adminApiKey: e.ADMIN_API_KEY,
    logLevel: e.LOG_LEVEL,
    downstream: {
      tessitura: e.TESSITURA_URL
        ? {
            url: e.TESSITURA_URL.replace(/\/+$/, ''),
            username: e.TESSITURA_USERNAME as string,
            userGroup: e.TESSITURA_USERGROUP as string,
            location: e.TESSITURA_LOCATION as string,
            password: e.TESSITURA_PASSWORD as string,
          }
        : undefined,
      salesvu: e.SALESVU_URL ? { url: e.SALESVU_URL, storeKeys: e.SALESVU_STORE_KEYS ?? {} } : undefined,
      partners: e.PARTNER_MAPPINGS,
      timeoutMs: e.DOWNSTREAM_TIMEOUT_MS,
    },
    deliveries: {
      dispatcher: e.DISPATCHER === 'on',
      concurrency: e.DISPATCHER_CONCURRENCY,
      initialConcurrency: e.DISPATCHER_INITIAL_CONCURRENCY,
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      backoffBaseMs: e.DELIVERY_BACKOFF_BASE_MS,
      backoffMaxMs: e.DELIVERY_BACKOFF_MAX_MS,
      leaseMs: e.DELIVERY_LEASE_MS,
    },
    piiRetentionDays: e.PII_RETENTION_DAYS,
    production: e.NODE_ENV === 'production',
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    httpTimeouts: { headersMs: e.HEADERS_TIMEOUT_MS, requestMs: e.REQUEST_TIMEOUT_MS },
    dispatcherPollMs: e.DISPATCHER_POLL_MS,
    rateLimits: rateLimitSettings(e.RATE_LIMIT_WINDOW_SECONDS, e.RATE_LIMITS ?? {}),
    partnerLimits: e.PARTNER_LIMITS,
    keyConcurrency: {
      requests: { maxInFlight: e.KEY_CONCURRENCY, maxWaiting: MAX_WAITING_PER_KEY },
      batches: { maxInFlight: e.KEY_BATCH_CONCURRENCY, maxWaiting: 0 },
    },
    webhooks: { secretKey: e.WEBHOOK_SECRET_KEY, allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS === 'true', timeoutMs: e.WEBHOOK_TIMEOUT_MS },
  };
}

/** The limits per window, each the configured one or its default. */
function rateLimitSettings(windowSeconds: number, configured: Record<string, number | undefined>): RateLimitSettings {
  const limit = (name: keyof typeof DEFAULT_RATE_LIMITS) => configured[name] ?? DEFAULT_RATE_LIMITS[name];
  return {
    windowMs: windowSeconds * 1_000,
    perRole: { partner: limit('partner'), inventory: limit('inventory'), staff: limit('staff'), monitor: limit('monitor'), admin: limit('admin') },
    perAddress: limit('anonymous'),
  };
}
