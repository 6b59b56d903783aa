import { parseArgs } from 'node:util';
import pino from 'pino';
import { ApiKeyService } from './features/api-keys/api-key-service';
import { ApiKeyStore } from './features/api-keys/api-key-store';
import { apiKeyView, createdApiKeyView } from './features/api-keys/api-key-view';
import { WebhookEndpointStore } from './features/webhooks/webhook-endpoint-store';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './features/webhooks/webhook-events';
import { resolveWebhookSettings } from './features/webhooks/webhook-secret-key';
import { type WebhookSecretRotation, WebhookService } from './features/webhooks/webhook-service';
import { createdWebhookView, rotatedWebhookView, webhookView } from './features/webhooks/webhook-view';
import { exitStatusOf, formatReport, RECONCILE_EXIT } from './features/reconciliation/reconciliation-report-text';
import { ReconciliationService } from './features/reconciliation/reconciliation-service';
import { ReconciliationStore } from './features/reconciliation/reconciliation-store';
import { reconciliationWindow } from './features/reconciliation/reconciliation-window';
import { parseDuration } from './platform/duration';
import { type Config, loadConfig } from './platform/config';
import { type Database, openDatabase } from './platform/database';
import { createLogger } from './platform/logger';
import { migrateToLatest } from './platform/migrations';
import { Problem } from './platform/problem';
import { ROLES, type Role } from './platform/principal';

const USAGE = `Usage: npm run cli -- <command>

  migrate                                          run pending database migrations
  keys create --role <role> [--partner-id <id>] [--name <name>]
                                                   create an API key and print it (shown once)
  keys list                                        list API keys (never the keys themselves)
  keys revoke <id>                                 revoke an API key
  webhooks create --partner-id <id> --url <https-url> [--events <type,...>]
                                                   register a partner's webhook endpoint and print its
                                                   signing secret (shown once); events: all by default
  webhooks list                                    list webhook endpoints (never their secrets)
  webhooks rotate-secret <id> [--previous-valid-for <seconds>]
                                                   give an endpoint a new secret (printed once); the old
                                                   one still signs for 86400 s by default, 0: not at all
  webhooks delete <id>                             delete a webhook endpoint
  reconcile [--since <30m|24h|7d> | --from <time> [--to <time>]] [--json]
                                                   compare the sales delivered in the window (default the
                                                   last 24 h; at most 31 days) with Tessitura and SalesVu
                                                   and print every mismatch; exit status 0: all agree,
                                                   1: a mismatch, 3: a system could not be asked (or the
                                                   run failed); needs TESSITURA_URL and SALESVU_URL

Roles: ${ROLES.join(', ')}. Webhook events: ${WEBHOOK_EVENT_TYPES.join(', ')}.
The database is the gateway's: DATABASE_URL, or PGlite in PGLITE_DIR; webhook secrets are encrypted with
WEBHOOK_SECRET_KEY (outside production, without it, the local key in PGLITE_DIR).`;

class UsageError extends Error {}

/** A command's own output and exit status; other commands' results are printed as JSON, exit status 0. */
class Printed {
  constructor(
    readonly text: string,
    readonly status: number,
  ) {}
}

async function keysCommand(args: string[], apiKeys: ApiKeyService): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string' }, 'partner-id': { type: 'string' }, name: { type: 'string' } },
  });
  const [action, id] = positionals;
  switch (action) {
    case 'create': {
      const role = values.role as Role;
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      if ((role === 'partner') !== (values['partner-id'] !== undefined)) {
        throw new UsageError('--partner-id is required for partner keys and only for them');
      }
      const name = values.name ?? (role === 'partner' ? `${values['partner-id']}-partner` : `${role}-cli`);
      const { record, key } = await apiKeys.create({ name, role, partner_id: values['partner-id'] });
      return createdApiKeyView(record, key);
    }
    case 'list':
      return (await apiKeys.list()).map(apiKeyView);
    case 'revoke':
      if (!id) throw new UsageError('keys revoke needs the key id');
      return apiKeyView(await apiKeys.revoke(id));
    default:
      throw new UsageError(`unknown keys action '${action ?? ''}'`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function webhookEvents(list: string | undefined): WebhookEventType[] | undefined {
  if (list === undefined) return undefined;
  const events = [...new Set(list.split(',').map((event) => event.trim()))];
  const unknown = events.filter((event) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(event));
  if (unknown.length > 0 || events.length === 0) throw new UsageError(`--events must name some of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  return events as WebhookEventType[];
}

const MAX_PREVIOUS_SECRET_SECONDS = 604_800;

function previousSecretValidity(seconds: string | undefined): WebhookSecretRotation {
  if (seconds === undefined) return {};
  if (!/^\d{1,6}$/.test(seconds) || Number(seconds) > MAX_PREVIOUS_SECRET_SECONDS) {
    throw new UsageError(`--previous-valid-for must be a whole number of seconds from 0 to ${MAX_PREVIOUS_SECRET_SECONDS}`);
  }
  return { previous_secret_valid_for_seconds: Number(seconds) };
}

async function webhooksCommand(args: string[], webhooks: WebhookService): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'partner-id': { type: 'string' }, url: { type: 'string' }, events: { type: 'string' }, 'previous-valid-for': { type: 'string' } },
  });
  const [action, id] = positionals;
  const endpointId = () => {
    if (!id || !UUID.test(id)) throw new UsageError(`webhooks ${action} needs the endpoint id (a UUID)`);
    return id;
  };
  switch (action) {
    case 'create': {
      const partnerId = values['partner-id'];
      if (!partnerId || !values.url) throw new UsageError('webhooks create needs --partner-id and --url');
      const { endpoint, secret } = await webhooks.create({ partner_id: partnerId, url: values.url, events: webhookEvents(values.events) });
      return createdWebhookView(endpoint, secret);
    }
    case 'list':
      return (await webhooks.list()).map(webhookView);
    case 'rotate-secret':
      return rotatedWebhookView(await webhooks.rotateSecret(endpointId(), previousSecretValidity(values['previous-valid-for'])));
    case 'delete':
      return webhookView(await webhooks.delete(endpointId()));
    default:
      throw new UsageError(`unknown webhooks action '${action ?? ''}'`);
  }
}

/** `--since 24h`, or `--from` (and `--to`): the last 24 hours by default. */
function reconcileWindow(values: { since?: string; from?: string; to?: string }, now: Date) {
  if (values.since !== undefined && (values.from !== undefined || values.to !== undefined)) throw new UsageError('--since cannot go with --from or --to');
  for (const name of ['from', 'to'] as const) {
    if (values[name] !== undefined && Number.isNaN(Date.parse(values[name]))) throw new UsageError(`--${name} must be a time such as 2026-12-01T00:00:00Z`);
  }
  if (values.since === undefined) return reconciliationWindow(values, now);
  const sinceMs = parseDuration(values.since);
  if (sinceMs === undefined) throw new UsageError('--since must be a duration such as 30m, 24h or 7d');
  return reconciliationWindow({ from: new Date(now.getTime() - sinceMs), to: now }, now);
}

/** Reconciliation against the configured Tessitura and SalesVu (never simulators: see docs/downstream.md). */
async function reconcileCommand(args: string[], database: Database, config: Config): Promise<Printed> {
  let values: { since?: string; from?: string; to?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { since: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const window = reconcileWindow(values, new Date());
  const { tessitura, salesvu, timeoutMs } = config.downstream;
  if (!tessitura || !salesvu) {
    throw new UsageError('reconcile asks the venue\'s systems: set TESSITURA_URL (with its credentials) and SALESVU_URL (with SALESVU_STORE_KEYS)');
  }
  // The report is the output; the log (errors only) goes to stderr.
  const logger = createLogger('error', pino.destination({ dest: 2, sync: true }));
  const reconciliation = new ReconciliationService(new ReconciliationStore(database.knex), { tessitura, salesvu, timeoutMs }, logger);
  const report = await reconciliation.run(window, { actor: 'system:cli' });
  return new Printed(values.json ? JSON.stringify(report, null, 2) : formatReport(report), exitStatusOf(report));
}

function webhookService(database: Database, config: Config): WebhookService {
  const settings = resolveWebhookSettings(config);
  return new WebhookService(new WebhookEndpointStore(database.knex, settings.secretKey), new ApiKeyStore(database.knex), settings.allowPrivateUrls);
}

async function run(argv: string[], database: Database, config: Config): Promise<unknown> {
  const [command, ...rest] = argv;
  await migrateToLatest(database.knex);
  if (command === 'migrate') return { migrated: true };
  if (command === 'keys') return keysCommand(rest, new ApiKeyService(database.knex, new ApiKeyStore(database.knex)));
  if (command === 'webhooks') return webhooksCommand(rest, webhookService(database, config));
  if (command === 'reconcile') return reconcileCommand(rest, database, config);
  throw new UsageError(command ? `unknown command '${command}'` : 'a command is needed');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const result = await run(argv, database, config);
    if (result instanceof Printed) {
      process.stdout.write(`${result.text}\n`);
      return result.status;
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    else if (err instanceof Problem) process.stderr.write(`${err.code}: ${err.detail}\n`);
    else throw err;
    return 2;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    // A reconciliation that failed to run is incomplete (3), never a mismatch (1).
    process.exit(process.argv[2] === 'reconcile' ? RECONCILE_EXIT.incomplete : 1);
  },
);
