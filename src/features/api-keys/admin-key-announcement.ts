import type { Logger } from 'pino';
import type { AdminKeyBootstrap } from './api-key-service';

/** Why `ADMIN_API_KEY` did nothing, and how to change the admin key instead; never the key itself. */
export const IGNORED_ADMIN_API_KEY_MESSAGE =
  'ADMIN_API_KEY was ignored because an admin key already exists: it only becomes the first admin key. ' +
  'To rotate the admin key, create a new admin key (POST /v1/api-keys with "role": "admin", or ' +
  'npm run cli -- keys create --role admin), revoke the old one (DELETE /v1/api-keys/{id}, or ' +
  'npm run cli -- keys revoke <id>), then unset ADMIN_API_KEY.';

/**
 * Tells the operator what start-up did about the admin key: a generated key is printed once (to stdout,
 * outside the JSON log), an `ADMIN_API_KEY` that was not used is a warning.
 */
export function announceAdminKey(
  bootstrap: AdminKeyBootstrap,
  logger: Logger,
  print: (text: string) => void = (text) => process.stdout.write(text),
): void {
  if (bootstrap.outcome === 'environment-key-ignored') {
    logger.warn({ setting: 'ADMIN_API_KEY' }, IGNORED_ADMIN_API_KEY_MESSAGE);
    return;
  }
  if (bootstrap.outcome !== 'generated') return;
  print(
    [
      '',
      '  No admin API key existed, so one was created. It is shown this once; store it now:',
      '',
      `    ${bootstrap.key}`,
      '',
      '  Use it as X-Api-Key to create partner, inventory, staff and monitor keys (POST /v1/api-keys).',
      '',
    ].join('\n') + '\n',
  );
}
