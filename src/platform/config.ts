import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const environmentSchema = z.object({
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
});

export type Config = {
  port: number;
  database: { url?: string; poolMax: number; pgliteDir: string };
  holdTtlSeconds: number;
  adminApiKey?: string;
  logLevel: (typeof LOG_LEVELS)[number];
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
  };
}
