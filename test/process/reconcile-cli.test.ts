import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  SALESVU_DEMO_STORES,
  type SalesVuSimulator,
  startSalesVuSimulator,
  startTessituraSimulator,
  TESSITURA_DEMO_CREDENTIALS,
  type TessituraSimulator,
} from '../../simulators';
import { createDatabase } from '../../src/platform/database';
import { migrateToLatest } from '../../src/platform/migrations';
import { invoicedSale, saleKeys, settledStory } from '../support/sales';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { DEMO_PARTNERS, startTestGateway, type TestGateway } from '../support/test-gateway';
import { copyPgliteTemplate } from '../support/pglite-template';

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli.ts');

jest.setTimeout(120_000);

/** The CLI in a process of its own; asynchronously, since the simulators it asks run in this one. */
function cli(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run cli -- reconcile', () => {
  let tessitura: TessituraSimulator;
  let salesvu: SalesVuSimulator;
  let dir: string | undefined;
  let postgres: TestDatabase | undefined;
  /** The database's settings for the CLI (DATABASE_URL or PGLITE_DIR). */
  let databaseEnv: Record<string, string>;
  let downstreamEnv: Record<string, string>;
  let salesVuOrderId: number;
  let globalId: string;

  /** A test gateway on the CLI's database; on PGlite it must be closed before the CLI opens the directory. */
  async function withGateway<T>(work: (t: TestGateway) => Promise<T>): Promise<T> {
    const database = postgres ?? (() => {
      const pglite = createDatabase({ pgliteDir: dir as string, poolMax: 1 });
      return { knex: pglite.knex, engine: 'pglite' as const, close: pglite.close };
    })();
    await migrateToLatest(database.knex);
    const downstream = {
      tessitura: { url: tessitura.url, ...TESSITURA_DEMO_CREDENTIALS },
      salesvu: { url: salesvu.url, storeKeys: SALESVU_DEMO_STORES },
      partners: DEMO_PARTNERS,
      timeoutMs: 2_000,
    };
    const t = await startTestGateway({ db: database, downstream });
    try {
      return await work(t);
    } finally {
      await t.close();
      if (!postgres) await database.close();
    }
  }

  beforeAll(async () => {
    [tessitura, salesvu] = await Promise.all([startTessituraSimulator(), startSalesVuSimulator()]);
    if (process.env.DATABASE_URL) {
      postgres = await createTestDatabase();
      databaseEnv = { DATABASE_URL: postgres.url as string };
    } else {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-reconcile-'));
      copyPgliteTemplate(dir);
      databaseEnv = { PGLITE_DIR: dir };
    }
    downstreamEnv = {
      TESSITURA_URL: tessitura.url,
      TESSITURA_USERNAME: TESSITURA_DEMO_CREDENTIALS.username,
      TESSITURA_USERGROUP: TESSITURA_DEMO_CREDENTIALS.userGroup,
      TESSITURA_LOCATION: TESSITURA_DEMO_CREDENTIALS.location,
      TESSITURA_PASSWORD: TESSITURA_DEMO_CREDENTIALS.password,
      SALESVU_URL: salesvu.url,
      SALESVU_STORE_KEYS: JSON.stringify(SALESVU_DEMO_STORES),
    };
    await withGateway(async (t) => {
      const keys = await saleKeys(t);
      ({ globalId } = await invoicedSale(t, keys));
      const story = await settledStory(t, keys, globalId);
      expect(story.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
      salesVuOrderId = (story.deliveries.find((d) => d.target === 'salesvu')?.acknowledgment as { order_id: number }).order_id;
    });
  });
  afterAll(async () => {
    await Promise.all([tessitura?.close(), salesvu?.close()]);
    await postgres?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when everything agrees, then it says so and exits 0', async () => {
    const run = await cli({ ...databaseEnv, ...downstreamEnv }, 'reconcile', '--since', '24h');

    expect(run.stdout).toContain('Checked 1 sale and 0 returns against Tessitura and SalesVu.');
    expect(run.stdout).toContain('Result: everything agrees (exit status 0).');
    expect(run.status).toBe(0);
  });

  it('when a system lost an order, then the mismatch is listed with its kind, exit status 1, and every gateway\'s /metrics shows the run', async () => {
    salesvu.drift.loseOrder(salesVuOrderId);

    const run = await cli({ ...databaseEnv, ...downstreamEnv }, 'reconcile', '--since', '7d');
    expect(run.stdout).toMatch(new RegExp(`missing_order +salesvu +hold ${globalId}, order ${salesVuOrderId}`));
    expect(run.stdout).toContain('Result: 1 mismatch found (exit status 1).');
    expect(run.status).toBe(1);

    const json = await cli({ ...databaseEnv, ...downstreamEnv }, 'reconcile', '--from', new Date(Date.now() - 3_600_000).toISOString(), '--json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ checked: { sales: 1, returns: 0 }, mismatches: [{ kind: 'missing_order', target: 'salesvu', global_id: globalId }], unchecked: [] });

    const metrics = await withGateway(async (t) => (await t.http.get('/metrics').set('X-Api-Key', t.adminKey).expect(200)).text);
    expect(metrics).toMatch(/^ticket_gateway_reconciliation_mismatches\{kind="missing_order"\} 1$/m);
  });

  it('when a system cannot be reached, then its deliveries are named as not checked and it exits 3', async () => {
    tessitura.faults.goDown();
    salesvu.faults.goDown();
    try {
      const run = await cli({ ...databaseEnv, ...downstreamEnv }, 'reconcile', '--since', '30m');
      expect(run.stdout).toMatch(/tessitura +unreachable +1 delivery/);
      expect(run.stdout).toContain('the check is incomplete (exit status 3)');
      expect(run.status).toBe(3);
    } finally {
      tessitura.faults.comeUp();
      salesvu.faults.comeUp();
    }
  });

  it('when the window or the systems are not given right, then it says why and exits 2', async () => {
    for (const args of [['--since', '24 hours'], ['--since', '24h', '--from', '2026-12-01T00:00:00Z'], ['--from', 'yesterday'], ['--loud']]) {
      const run = await cli({ ...databaseEnv, ...downstreamEnv }, 'reconcile', ...args);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toContain('Usage: npm run cli');
    }
    const tooLong = await cli({ ...databaseEnv, ...downstreamEnv }, 'reconcile', '--since', '32d');
    expect({ status: tooLong.status, stderr: tooLong.stderr }).toEqual({ status: 2, stderr: expect.stringContaining('window_too_long') });

    const unconfigured = await cli(databaseEnv, 'reconcile');
    expect({ status: unconfigured.status, stderr: unconfigured.stderr }).toEqual({ status: 2, stderr: expect.stringContaining('TESSITURA_URL') });
  });
});
