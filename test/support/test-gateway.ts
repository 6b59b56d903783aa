import type { Server } from 'node:http';
import pino from 'pino';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { buildGateway, Gateway } from '../../src/gateway';
import type { Role } from '../../src/platform/principal';
import { createTestDatabase, TestDatabase } from './test-database';

export type TestGateway = {
  gateway: Gateway;
  db: TestDatabase;
  http: TestAgent;
  server: Server;
  adminKey: string;
  /** Creates a key through the API and answers the secret. */
  createKey(role: Role, partnerId?: string): Promise<string>;
  close(): Promise<void>;
};

export type TestGatewayOptions = { holdTtlSeconds?: number; poolMax?: number };

/** A gateway on a fresh database, listening on a free port, checking every answer against the spec. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const db = await createTestDatabase({ poolMax: options.poolMax });
  const gateway = buildGateway({
    config: { holdTtlSeconds: options.holdTtlSeconds ?? 900 },
    db: db.knex,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    validateResponses: true,
  });
  const bootstrap = await gateway.apiKeys.ensureAdminKey(undefined);
  if (bootstrap.outcome !== 'generated') throw new Error('a fresh database should have no admin key');
  const server = gateway.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const http = supertest(server);
  let keyCount = 0;
  return {
    gateway,
    db,
    http,
    server,
    adminKey: bootstrap.key,
    async createKey(role, partnerId) {
      const response = await http
        .post('/v1/api-keys')
        .set('X-Api-Key', bootstrap.key)
        .send({ name: `${role}-${++keyCount}`, role, ...(partnerId && { partner_id: partnerId }) })
        .expect(201);
      return response.body.key as string;
    },
    async close() {
      await gateway.sweeper.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    },
  };
}
