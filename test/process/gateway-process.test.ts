import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SALESVU_DEMO_STORES, TESSITURA_DEMO_CREDENTIALS } from '../../simulators';
import { eventually } from '../support/eventually';
import { freePort } from '../support/external-downstream';
import { listingInput } from '../support/fixtures';
import { freshDatabase, type GatewayProcess, spawnGateway } from '../support/gateway-process';

jest.setTimeout(60_000);

function call(port: number, method: string, urlPath: string, key: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${port}${urlPath}`, {
    method,
    headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** What a new connection to the port meets: 'accepted' (then closed at once), or the error's code. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
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

    it('then a restart with another ADMIN_API_KEY keeps the first and warns that it ignored the new one', async () => {
      const adminKey = 'operator-chosen-admin-key-0123456789abcdef';
      const otherKey = 'another-operator-key-9876543210fedcba';
      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey });
      await gateway.listening;
      expect(await gateway.stop()).toBe(0);

      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: otherKey });
      const port = await gateway.listening;

      expect(gateway.output()).toMatch(/"level":40,[^\n]*"msg":"ADMIN_API_KEY was ignored because an admin key already exists/);
      expect(gateway.output()).not.toContain(otherKey);
      expect((await call(port, 'GET', '/v1/api-keys', otherKey)).status).toBe(401);
      expect((await call(port, 'GET', '/v1/api-keys', adminKey)).status).toBe(200);
    });
  });

  describe('when a setting is invalid', () => {
    it.each([
      ['HOLD_TTL_SECONDS', 'soon'],
      ['PORT', '99999'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_URL', 'mysql://x'],
      ['ADMIN_API_KEY', 'short'],
      ['ADMIN_API_KEY', 'a'.repeat(32)],
    ])('then %s=%s stops start-up with a message naming it', async (name, value) => {
      gateway = spawnGateway({ ...database.env, [name]: value });

      expect(await gateway.exited).toBe(1);
      expect(gateway.output()).toContain(`Invalid configuration: ${name}`);
    });
  });

  describe('when start-up cannot go on', () => {
    /** What an operator reads: one line naming the cause and the setting to change, no stack trace. */
    async function expectRefusal(started: GatewayProcess, line: string): Promise<void> {
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(line);
      expect(started.output()).not.toMatch(/^\s+at /m);
    }

    it('then a port in use is named with PORT, and no admin key is created until a run serves', async () => {
      const busy = net.createServer();
      await new Promise<void>((resolve) => busy.listen(0, resolve));
      const { port } = busy.address() as net.AddressInfo;
      try {
        gateway = spawnGateway({ ...database.env, PORT: String(port) });
        await expectRefusal(gateway, `port ${port} is in use; set PORT`);
        expect(gateway.output()).not.toMatch(/tg_[A-Za-z0-9_-]{43}/);
      } finally {
        await new Promise((resolve) => busy.close(resolve));
      }

      gateway = spawnGateway(database.env);
      await gateway.listening;
      expect(gateway.output()).toMatch(/^\s+tg_[A-Za-z0-9_-]{43}$/m);
    }, 120_000);

    it('then an unreachable DATABASE_URL is named, without its password', async () => {
      const port = await freePort();
      gateway = spawnGateway({ DATABASE_URL: `postgres://gateway:not-a-real-secret@127.0.0.1:${port}/gateway` });
      await expectRefusal(gateway, `DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:${port}/gateway`);
      expect(gateway.output()).not.toContain('not-a-real-secret');
    });

    it('then a PGLITE_DIR that cannot be written is named', async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-file-')), 'a-file');
      fs.writeFileSync(file, '');
      gateway = spawnGateway({ PGLITE_DIR: path.join(file, 'data') });
      await expectRefusal(gateway, `PGLITE_DIR: cannot write to ${path.join(file, 'data')}`);
    });

    it('then a PGLITE_DIR in use by another process is named', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-busy-'));
      fs.writeFileSync(path.join(dir, 'gateway.lock'), String(process.pid));
      gateway = spawnGateway({ PGLITE_DIR: dir });
      await expectRefusal(gateway, `PGLITE_DIR: the PGlite data folder ${dir} is in use by process ${process.pid}`);
    });
  });

  describe('when NODE_ENV=production and the real downstream systems are not configured', () => {
    it.each(['production', 'gateway'] as const)('then the %s entry point refuses to start, naming the settings, and starts no simulator', async (entryPoint) => {
      gateway = spawnGateway({ ...database.env, NODE_ENV: 'production' }, entryPoint);

      expect(await gateway.exited).toBe(1);
      expect(gateway.output()).toContain('Invalid configuration: TESSITURA_URL, SALESVU_URL, PARTNER_MAPPINGS must be set');
      expect(gateway.output()).not.toContain('deliveries go to the local');
    });
  });

  describe('when it gets SIGTERM with a request in flight', () => {
    it('then it finishes that request, stops accepting, and exits 0 with the work committed', async () => {
      const adminKey = 'operator-chosen-admin-key-0123456789abcdef';
      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey });
      const port = await gateway.listening;
      const body = JSON.stringify(listingInput({ quantity: 3 }));
      const half = Math.floor(body.length / 2);

      let request!: http.ClientRequest;
      const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
        request = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'PUT',
            path: '/v1/listings/in-flight',
            agent: false,
            // The gateway answers 100 Continue once it has read the headers: from then on the request is in flight.
            headers: { 'X-Api-Key': adminKey, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        request.on('error', reject);
      });
      await once(request, 'continue');
      request.write(body.slice(0, half));

      gateway.child.kill('SIGTERM');
      // Once a new connection is refused, the gateway is shutting down, with the request still waiting for its body.
      expect(await eventually(() => connectOutcome(port), (outcome) => outcome === 'ECONNREFUSED', 30_000)).toBe('ECONNREFUSED');
      request.end(body.slice(half));

      const response = await answered;
      expect(response.status).toBe(201);
      expect(await gateway.exited).toBe(0);
      expect(gateway.output()).toContain('stopped cleanly');

      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey });
      const restarted = await gateway.listening;
      expect(await (await call(restarted, 'GET', '/v1/listings/in-flight', adminKey)).json()).toMatchObject({ quantity: 3 });
      // The answer given while shutting down was added to the SLO's table on the way out.
      const slo = (await (await call(restarted, 'GET', '/v1/slo?window=1h', adminKey)).json()) as { endpoints: unknown[] };
      expect(slo.endpoints).toContainEqual(expect.objectContaining({ operation: 'upsertListing', count: 1 }));
    });
  });

  describe('when npm start runs without configuration', () => {
    it("then the demo partner's events reach a local webhook sink, signed", async () => {
      const adminKey = 'operator-chosen-admin-key-0123456789abcdef';
      gateway = spawnGateway({ ...database.env, ADMIN_API_KEY: adminKey });
      const port = await gateway.listening;
      const sink = /"events":"(http:\/\/127\.0\.0\.1:\d+\/events)"/.exec(gateway.output())?.[1] as string;
      expect(sink).toBeDefined();
      const partner = (await (await call(port, 'POST', '/v1/api-keys', adminKey, { name: 'p', role: 'partner', partner_id: 'tevo' })).json()) as { key: string };
      await call(port, 'PUT', '/v1/listings/demo-sink', adminKey, listingInput({ tessitura: { performance_id: 1, zone_id: 1, price_type: 1 }, salesvu: { product_id: 'p' } }));
      await call(port, 'POST', '/v1/holds', partner.key, { global_id: 'demo-sink-hold', remote_id: 'demo-sink', quantity: 1 });
      expect((await call(port, 'POST', '/v1/invoices', partner.key, { global_id: 'demo-sink-hold', order_id: 'o-1' })).status).toBe(201);

      type Sunk = { signature_valid: boolean; event: { type: string; data: { global_id: string } } };
      const received = await eventually(async () => (await (await fetch(sink)).json()) as Sunk[], (events) => events.length > 0, 30_000);

      expect(received).toEqual([
        expect.objectContaining({ signature_valid: true, event: expect.objectContaining({ type: 'sale.recorded', data: expect.objectContaining({ global_id: 'demo-sink-hold' }) }) }),
      ]);
      expect(gateway.output()).not.toContain('whsec_');
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
      const deliveredLines = async () => (gateway?.output().match(/"msg":"delivered"/g) ?? []).length;
      await eventually(deliveredLines, (lines) => lines >= 2, 30_000);
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
