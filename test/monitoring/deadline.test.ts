import { listingInput, uniqueId } from '../support/fixtures';
import { createTestDatabase, postgresOnly } from '../support/test-database';
import { startTestGateway } from '../support/test-gateway';
import knexFactory from 'knex';

const describeOnPostgres = postgresOnly('PGlite cannot cancel a running query');

describeOnPostgres('the request deadline', () => {
  it('when a hold waits on a listing locked by another session, then it is a 503 deadline_exceeded with Retry-After and nothing is held', async () => {
    const db = await createTestDatabase();
    // Set up through a gateway with the usual deadline: on a loaded machine 400 ms can cut short any request.
    const setup = await startTestGateway({ db });
    const t = await startTestGateway({ db, requestDeadlineMs: 400 });
    const other = knexFactory({ client: 'pg', connection: db.url, pool: { min: 1, max: 1 } });
    try {
      const [partner, inventory] = await Promise.all([setup.createKey('partner', 'tevo'), setup.createKey('inventory')]);
      const remoteId = uniqueId('listing');
      await setup.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 4 })).expect(201);
      const globalId = uniqueId('hold');

      // The lock is held until the hold answers, so an answer at all means the deadline cut the wait short.
      const answer = await other.transaction(async (trx) => {
        await trx.raw('SELECT * FROM listings WHERE remote_id = ? FOR UPDATE', [remoteId]);
        return t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: globalId, remote_id: remoteId, quantity: 1 });
      });

      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('deadline_exceeded');
      expect(answer.headers['retry-after']).toBe('1');
      expect(await db.knex('holds').where({ global_id: globalId })).toEqual([]);
      expect(await db.knex('listings').where({ remote_id: remoteId }).first()).toMatchObject({ held: 0, available: 4 });
      await setup.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: globalId, remote_id: remoteId, quantity: 1 }).expect(201);
    } finally {
      await other.destroy();
      await t.close();
      await setup.close();
      await db.close();
    }
  });
});
