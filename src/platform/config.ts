import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL');
/** Tessitura's Basic user part is `username:usergroup:location`, so none of the three may hold a colon. */
const basicAuthPart = z.string().min(1).regex(/^[^:]*$/, 'must not contain ":"');

const jsonObject = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  }).pipe(schema);

const partnerMapping = z
  .object({
    tessitura: z
      .object({ constituent_id: z.number().int().positive(), payment_method_id: z.number().int().positive() })
      .strict()
      .optional(),
    salesvu: z.object({ store_id: z.string().min(1) }).strict().optional(),
  })
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
    ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').max(256).optional(),
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
    DISPATCHER_CONCURRENCY: positiveInt(256).default(8),
    PII_RETENTION_DAYS: positiveInt(3_650).default(30),
    REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(4_500),
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
    /** Deliveries one dispatcher sends at once. */
    concurrency: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    leaseMs: number;
  };
  piiRetentionDays: number;
  /** A request that would take longer is answered 503 deadline_exceeded, its database work rolled back. */
  requestDeadlineMs: number;
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
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      backoffBaseMs: e.DELIVERY_BACKOFF_BASE_MS,
      backoffMaxMs: e.DELIVERY_BACKOFF_MAX_MS,
      leaseMs: e.DELIVERY_LEASE_MS,
    },
    piiRetentionDays: e.PII_RETENTION_DAYS,
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
  };
}
