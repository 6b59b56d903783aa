import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { copyPgliteTemplate } from '../support/pglite-template';

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli.ts');

jest.setTimeout(60_000);

describe('the offline CLI (npm run cli)', () => {
  let env: Record<string, string>;
  let db: TestDatabase | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      db = await createTestDatabase();
      // Webhook secrets: a configured key here, the local key in PGLITE_DIR on PGlite.
      env = { DATABASE_URL: db.url as string, WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') };
    } else {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-cli-'));
      copyPgliteTemplate(dir);
      env = { PGLITE_DIR: dir };
    }
  });
  afterAll(async () => {
    await db?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout) };
  };

  it('when keys are created, listed and revoked, then it does what the API does, showing each secret once', () => {
    const created = cli('keys', 'create', '--role', 'partner', '--partner-id', 'tevo', '--name', 'tevo-production');
    expect(created.status).toBe(0);
    const key = created.json();
    expect(key).toMatchObject({ name: 'tevo-production', role: 'partner', partner_id: 'tevo', key: expect.stringMatching(/^tg_/) });

    const listed = cli('keys', 'list');
    expect(listed.json()).toEqual([expect.objectContaining({ id: key.id, revoked_at: null })]);
    expect(listed.stdout).not.toContain(key.key);

    const revoked = cli('keys', 'revoke', key.id);
    expect(revoked.json()).toMatchObject({ id: key.id, revoked_at: expect.any(String) });
  });

  it('when a webhook endpoint is registered, listed and deleted, then it does what the API does, showing the secret once', () => {
    expect(cli('keys', 'create', '--role', 'partner', '--partner-id', 'vivid').status).toBe(0);

    const created = cli('webhooks', 'create', '--partner-id', 'vivid', '--url', 'https://hooks.vivid.example/in', '--events', 'sale.recorded,sale.failed');
    expect(created.status).toBe(0);
    const endpoint = created.json();
    expect(endpoint).toEqual({
      id: expect.any(String),
      partner_id: 'vivid',
      url: 'https://hooks.vivid.example/in',
      events: ['sale.recorded', 'sale.failed'],
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      created_at: expect.any(String),
    });
    if (dir) expect(fs.existsSync(path.join(dir, 'webhook-secret.key'))).toBe(true);

    const listed = cli('webhooks', 'list');
    expect(listed.json()).toEqual([{ ...endpoint, secret: undefined, deleted_at: null }]);
    expect(listed.stdout).not.toContain(endpoint.secret);

    const twice = cli('webhooks', 'create', '--partner-id', 'vivid', '--url', 'https://hooks.vivid.example/v2');
    expect({ status: twice.status, stderr: twice.stderr }).toEqual({ status: 2, stderr: expect.stringContaining('webhook_exists') });
    const refused = cli('webhooks', 'create', '--partner-id', 'vivid', '--url', 'https://169.254.169.254/');
    expect({ status: refused.status, stderr: refused.stderr }).toEqual({ status: 2, stderr: expect.stringContaining('webhook_url_refused') });

    const rotated = cli('webhooks', 'rotate-secret', endpoint.id, '--previous-valid-for', '3600');
    expect(rotated.json()).toEqual({ ...endpoint, secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/), previous_secret_expires_at: expect.any(String) });
    expect(rotated.json().secret).not.toBe(endpoint.secret);

    const deleted = cli('webhooks', 'delete', endpoint.id);
    expect(deleted.json()).toMatchObject({ id: endpoint.id, deleted_at: expect.any(String) });
    expect(cli('webhooks', 'create', '--partner-id', 'vivid', '--url', 'https://hooks.vivid.example/v2').status).toBe(0);
  });

  it('when the arguments are wrong, then it says how to call it and exits 2', () => {
    for (const args of [
      ['keys', 'create', '--role', 'partner'],
      ['keys', 'create', '--role', 'root'],
      ['keys', 'revoke'],
      ['dance'],
      ['webhooks', 'create', '--partner-id', 'tevo'],
      ['webhooks', 'create', '--partner-id', 'tevo', '--url', 'https://hooks.tevo.example/in', '--events', 'sale.refunded'],
      ['webhooks', 'delete'],
      ['webhooks', 'delete', 'not-a-uuid'],
      ['webhooks', 'rotate-secret'],
      ['webhooks', 'rotate-secret', '00000000-0000-4000-8000-000000000000', '--previous-valid-for', '604801'],
      ['webhooks', 'rotate-secret', '00000000-0000-4000-8000-000000000000', '--previous-valid-for', '1h'],
      ['webhooks', 'rename'],
    ]) {
      const run = cli(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('Usage: npm run cli');
    }
    const unknown = cli('keys', 'revoke', '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('api_key_not_found');
  });
});
