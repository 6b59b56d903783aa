import { parseArgs } from 'node:util';
import { ApiKeyService } from './features/api-keys/api-key-service';
import { ApiKeyStore } from './features/api-keys/api-key-store';
import { apiKeyView, createdApiKeyView } from './features/api-keys/api-key-view';
import { loadConfig } from './platform/config';
import { createDatabase, type Database } from './platform/database';
import { migrateToLatest } from './platform/migrations';
import { Problem } from './platform/problem';
import { ROLES, type Role } from './platform/principal';

const USAGE = `Usage: npm run cli -- <command>

  migrate                                          run pending database migrations
  keys create --role <role> [--partner-id <id>] [--name <name>]
                                                   create an API key and print it (shown once)
  keys list                                        list API keys (never the keys themselves)
  keys revoke <id>                                 revoke an API key

Roles: ${ROLES.join(', ')}. The database is the gateway's: DATABASE_URL, or PGlite in PGLITE_DIR.`;

class UsageError extends Error {}

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

async function run(argv: string[], database: Database): Promise<unknown> {
  const [command, ...rest] = argv;
  await migrateToLatest(database.knex);
  if (command === 'migrate') return { migrated: true };
  if (command === 'keys') return keysCommand(rest, new ApiKeyService(database.knex, new ApiKeyStore(database.knex)));
  throw new UsageError(command ? `unknown command '${command}'` : 'a command is needed');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const config = loadConfig();
  const database = createDatabase(config.database);
  try {
    process.stdout.write(`${JSON.stringify(await run(argv, database), null, 2)}\n`);
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
    process.exit(1);
  },
);
