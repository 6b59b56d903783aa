import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { type Config, ConfigError } from '../../platform/config';
import { StartupError } from '../../platform/startup-error';
import { parseWebhookSecretKey } from './webhook-secrets';

/** What the webhook side of a process needs: the key of the stored secrets, whether internal URLs are allowed, the time limit. */
export type WebhookSettings = { secretKey: Buffer; allowPrivateUrls: boolean; timeoutMs: number };

/** The webhook settings of a process, its key resolved (see resolveWebhookSecretKey). */
export function resolveWebhookSettings(config: Pick<Config, 'production' | 'database' | 'webhooks'>, logger?: Logger): WebhookSettings {
  return { secretKey: resolveWebhookSecretKey(config, logger), allowPrivateUrls: config.webhooks.allowPrivateUrls, timeoutMs: config.webhooks.timeoutMs };
}

/** The local key's file, beside PGlite's data in PGLITE_DIR. */
export const LOCAL_KEY_FILE = 'webhook-secret.key';
const IN_MEMORY = 'memory://';

/**
 * The key that encrypts webhook secrets: WEBHOOK_SECRET_KEY. In production it is required. Elsewhere,
 * without it, a local key is made once and kept in PGLITE_DIR (so that restarts can still decrypt), or
 * kept in memory when the data is too (`memory://`). Never logged.
 */
export function resolveWebhookSecretKey(config: Pick<Config, 'production' | 'database' | 'webhooks'>, logger?: Logger): Buffer {
  if (config.webhooks.secretKey) return config.webhooks.secretKey;
  if (config.production) {
    throw new ConfigError(
      'Invalid configuration: WEBHOOK_SECRET_KEY must be set in production (32 random bytes, base64 or hex: openssl rand -base64 32); it encrypts the webhook secrets',
    );
  }
  if (config.database.pgliteDir === IN_MEMORY) return randomBytes(32);
  const file = path.resolve(config.database.pgliteDir, LOCAL_KEY_FILE);
  const key = readOrCreateKey(file);
  logger?.warn({ file }, 'WEBHOOK_SECRET_KEY is not set: webhook secrets are encrypted with a local key kept in this file (set WEBHOOK_SECRET_KEY in production and wherever processes share a database)');
  return key;
}

function readOrCreateKey(file: string): Buffer {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written whole, then linked into place: a process starting at the same time reads the complete key or makes none.
    const draft = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  } catch (err) {
    throw new StartupError(`WEBHOOK_SECRET_KEY is not set, and the local key file ${file} cannot be written (${(err as NodeJS.ErrnoException).code}); set WEBHOOK_SECRET_KEY`);
  }
  const key = parseWebhookSecretKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new StartupError(`WEBHOOK_SECRET_KEY is not set, and the local key file ${file} does not hold a 32-byte key; restore it or set WEBHOOK_SECRET_KEY`);
  return key;
}
