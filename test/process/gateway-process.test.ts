import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SALESVU_DEMO_STORES, TESSITURA_DEMO_CREDENTIALS } from '../../simulators';
import { listingInput } from '../support/fixtures';
import { type GatewayProcess, spawnGateway } from '../support/gateway-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

/** Database settings for a gateway process: a fresh PostgreSQL clone, or a PGlite folder of its own. */
async function freshDatabase(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db: TestDatabase = await createTestDatabase();
    await db.knex.destroy();
    return { env: { DATABASE_URL: db.url as string }, dispose: () => db.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-process-'));
  return { env: { PGLITE_DIR: dir }, dispose: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function call(port: number, method: string, urlPath: string, key: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${port}${urlPath}`, {
    method,
    headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('the gateway process', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let gateway: GatewayProcess | undefined;

  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => {
    await gateway?.stop('SIGKILL');
    gateway = undefined;
    await database.dispose();
  });

  describe('when it starts on an empty database without ADMIN_API_KEY', () => {
    it('then it prints a new admin key once, and not again on the next start', async () => {
      gateway = spawnGateway(database.env);
      const port = await gateway.listening;
      const key = /^\s+(tg_[A-Za-z0-9_-]{43})$/m.exec(gateway.output())?.[1];
      expect(key).toBeDefined();
      expect((await call(port, 'GET', '/v1/api-keys', key as string)).status).toBe(200);
      expect(await gateway.stop()).toBe(0);

      gateway = spawnGateway(database.env);
      await gateway.listening;
      expect(gateway.output()).not.toMatch(/tg_[A-Za-z0-9_-]{43}/);
    });
  });

  describe('when it starts with ADMIN_API_KEY on an empty database', () => {
    it('then that key is the first admin key and nothing is printed', async () => {
      const adminKey = 'operator-chosen-admin-key-0123456789abcdef';
      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey });
      const port = await gateway.listening;

      expect((await call(port, 'GET', '/v1/api-keys', adminKey)).status).toBe(200);
      expect(gateway.output()).not.toContain(adminKey);
    });
  });

  describe('when a setting is invalid', () => {
    it.each([
      ['HOLD_TTL_SECONDS', 'soon'],
      ['PORT', '99999'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_URL', 'mysql://x'],
      ['ADMIN_API_KEY', 'short'],
    ])('then %s=%s stops start-up with a message naming it', async (name, value) => {
      gateway = spawnGateway({ ...database.env, [name]: value });

      expect(await gateway.exited).toBe(1);
      expect(gateway.output()).toContain(`Invalid configuration: ${name}`);
    });
  });

  describe('when it gets SIGTERM with a request in flight', () => {
    it('then it finishes that request, stops accepting, and exits 0 with the work committed', async () => {
      const adminKey = 'operator-chosen-admin-key-0123456789abcdef';
      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey });
      const port = await gateway.listening;
      const body = JSON.stringify(listingInput({ quantity: 3 }));
      const half = Math.floor(body.length / 2);

      const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'PUT',
            path: '/v1/listings/in-flight',
            agent: false,
            headers: { 'X-Api-Key': adminKey, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, half));
        setTimeout(() => {
          gateway?.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(half)), 300);
        }, 300);
      });

      const response = await answered;
      expect(response.status).toBe(201);
      expect(await gateway.exited).toBe(0);
      expect(gateway.output()).toContain('stopped cleanly');

      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey });
      const restarted = await gateway.listening;
      expect(await (await call(restarted, 'GET', '/v1/listings/in-flight', adminKey)).json()).toMatchObject({ quantity: 3 });
    });
  });

  describe('when it logs requests', () => {
    it('then API keys and customer data never appear, and each request is one line naming its id and caller', async () => {
      const adminKey = 'operator-chosen-admin-key-0123456789abcdef';
      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey, LOG_LEVEL: 'trace' });
      const port = await gateway.listening;
      const created = (await (await call(port, 'POST', '/v1/api-keys', adminKey, { name: 'p', role: 'partner', partner_id: 'tevo' })).json()) as { key: string };
      await call(port, 'PUT', '/v1/listings/log-test', adminKey, listingInput({ tessitura: { performance_id: 1, zone_id: 1, price_type: 1 }, salesvu: { product_id: 'p' } }));
      await call(port, 'POST', '/v1/holds', created.key, { global_id: 'log-hold', remote_id: 'log-test', quantity: 1 });
      const customer = { name: 'Grace Hopper', email: 'grace@example.com', phone: '+1 555 0199' };
      const invoiced = await fetch(`http://127.0.0.1:${port}/v1/invoices`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${created.key}`, 'Content-Type': 'application/json', 'X-Request-Id': 'trace-me' },
        body: JSON.stringify({ global_id: 'log-hold', order_id: 'o-1', customer }),
      });
      expect(invoiced.status).toBe(201);
      await call(port, 'POST', '/v1/invoices', created.key, { global_id: 'log-hold', order_id: 'o-1', customer: { ...customer, email: 'bad' } });
      // Both deliveries go through the simulators and their calls are logged too.
      for (let i = 0; i < 50 && (gateway.output().match(/"msg":"delivered"/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      await gateway.stop();

      const log = gateway.output();
      const downstreamSecrets = [TESSITURA_DEMO_CREDENTIALS.password, ...Object.values(SALESVU_DEMO_STORES)];
      for (const secret of [adminKey, created.key, customer.name, customer.email, customer.phone, ...downstreamSecrets]) {
        expect(log).not.toContain(secret);
      }
      expect(log).toContain('"msg":"delivered"');
      const traced = log.split('\n').filter((line) => line.includes('"id":"trace-me"'));
      expect(traced).toHaveLength(1);
      expect(JSON.parse(traced[0])).toMatchObject({
        msg: 'request completed',
        req: { id: 'trace-me', method: 'POST', url: '/v1/invoices' },
        res: { statusCode: 201 },
        actor: expect.stringMatching(/^p#/),
      });
    });
  });
});
