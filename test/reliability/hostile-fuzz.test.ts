import fc from 'fast-check';
import { listingInput, uniqueId } from '../support/fixtures';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { databaseFingerprint } from './support/database-fingerprint';
import { seedFuzzTargets } from './support/fuzz-targets';
import { type FuzzKeys, hostileRequests, type ValidRequest } from './support/hostile-requests';
import { IMPOSSIBLE_TIMESTAMPS, INFINITE_INTEGERS, OUT_OF_RANGE_TIMESTAMPS } from './support/hostile-values';
import { bodyIsValid, type Operation, parameterIsValid, specOperations } from './support/openapi-operations';
import { refusalComplaints, send } from './support/refusal-check';

/** Fixed, so that a failure replays (operation i runs with FUZZ_SEED + i); override FUZZ_SEED to explore. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 30);
/** Operations with a body have more ways to be wrong: twice the runs. */
const runsFor = (op: Operation) => (op.body ? 2 : 1) * RUNS_PER_OPERATION;
const OTHER_METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

const operations = specOperations();

jest.setTimeout(120_000);

describe('hostile input fuzz: every operation of the spec, with requests derived from its schemas', () => {
  let t: TestGateway;
  let keys: FuzzKeys;
  let valid: Record<string, ValidRequest>;
  const answers = new Map<string, number>();

  beforeAll(async () => {
    t = await startTestGateway();
    ({ keys, valid } = await seedFuzzTargets(t, operations));
  });
  afterAll(async () => {
    if (process.env.FUZZ_VERBOSE) console.info([...answers].sort().map(([answer, n]) => `${n}\t${answer}`).join('\n'));
    await t.close();
  });

  const urlOf = (op: Operation, request: ValidRequest) =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.path[name]));

  it('when the fuzz starts, then each operation has a valid request to mutate, for a role it admits', () => {
    for (const op of operations) {
      const request = valid[op.operationId];
      const pathValid = op.parameters.filter((p) => p.in === 'path').every((p) => parameterIsValid(p, request.path[p.name]));
      const bodyValid = !op.body || bodyIsValid(op.body.schema, request.body);
      const roleAdmitted = !op.secured || op.roles.includes(request.role);
      const name = op.operationId;
      expect({ name, pathValid, bodyValid, roleAdmitted }).toEqual({ name, pathValid: true, bodyValid: true, roleAdmitted: true });
    }
  });

  it.each(operations.map((op, index) => [`${op.method.toUpperCase()} ${op.path}`, op, SEED + index] as const))(
    'when %s gets hostile requests, then each is answered with a documented 4xx problem and the database is unchanged',
    async (_name, op, seed) => {
      const before = await databaseFingerprint(t.db.knex);
      const property = fc.asyncProperty(hostileRequests(op, valid[op.operationId], keys), async (request) => {
        const response = await send(t.http, request);
        const answer = `${op.operationId} ${request.kind} ${response.status}`;
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
        expect(refusalComplaints(op, request, response)).toEqual([]);
        expect(await databaseFingerprint(t.db.knex)).toEqual(before);
      });
      await fc.assert(property, { seed, numRuns: runsFor(op) });
    },
  );

  it('when a path is called with a method the spec does not give it, then it is a 405 problem and nothing changes', async () => {
    const before = await databaseFingerprint(t.db.knex);
    for (const path of new Set(operations.map((op) => op.path))) {
      const url = path.replace(/\{\w+\}/g, 'x');
      for (const method of OTHER_METHODS.filter((m) => !operations.some((op) => op.path === path && op.method === m))) {
        const response = await t.http[method](url).set('X-Api-Key', t.adminKey).send({ global_id: 'x' });
        const answer = { method, url, status: response.status, code: response.body.code };
        expect(answer).toEqual({ method, url, status: 405, code: 'method_not_allowed' });
      }
    }
    expect(await databaseFingerprint(t.db.knex)).toEqual(before);
  });

  it('when the unmutated requests are finally sent, then every one succeeds (the refusals came from the mutations)', async () => {
    for (const op of operations) {
      const request = valid[op.operationId];
      const call = t.http[op.method](urlOf(op, request));
      if (op.secured) call.set('X-Api-Key', keys[request.role]);
      const response = await (request.body === undefined ? call : call.send(request.body as object));
      const outcome = response.status < 300 ? 'success' : `${response.status} ${response.body.code}`;
      expect({ op: op.operationId, outcome }).toEqual({ op: op.operationId, outcome: 'success' });
    }
  });

  describe('what the fuzz found (500s, fixed since): each stays a regression test', () => {
    const listingOccurringAt = (occursAt: string) =>
      listingInput({ event: { id: 'evt-dated', name: 'Dated', venue: 'Main Stage', occurs_at: occursAt } });
    const putListingOccurringAt = (occursAt: string) =>
      t.http.put(`/v1/listings/${uniqueId('dated')}`).set('X-Api-Key', keys.inventory).send(listingOccurringAt(occursAt));
    const refusedAsInvalid = (response: { status: number; body: { code?: string } }) =>
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'validation_failed' });

    it.each([...IMPOSSIBLE_TIMESTAMPS, ...OUT_OF_RANGE_TIMESTAMPS])(
      'when a listing event occurs_at is %s (no such instant, or one PostgreSQL cannot store), then it is a 400 validation_failed',
      async (occursAt) => {
        const before = await databaseFingerprint(t.db.knex);
        refusedAsInvalid(await putListingOccurringAt(occursAt));
        expect(await databaseFingerprint(t.db.knex)).toEqual(before);
      },
    );

    it.each([...IMPOSSIBLE_TIMESTAMPS, ...OUT_OF_RANGE_TIMESTAMPS])(
      'when holds are searched with created_from=%s, then it is a 400 validation_failed',
      async (createdFrom) => {
        refusedAsInvalid(await t.http.get('/v1/holds').query({ created_from: createdFrom }).set('X-Api-Key', keys.staff));
      },
    );

    it.each(INFINITE_INTEGERS)('when a delivery id is %s, then it is a 400 validation_failed', async (id) => {
      refusedAsInvalid(await t.http.post(`/v1/deliveries/${id}/retry`).set('X-Api-Key', keys.staff));
    });

    it('when an API key id is a urn:uuid: URN, then it is a 400 validation_failed', async () => {
      refusedAsInvalid(await t.http.delete('/v1/api-keys/urn:uuid:3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b').set('X-Api-Key', t.adminKey));
    });

    it.each(OUT_OF_RANGE_TIMESTAMPS)(
      'when one item of a batch occurs_at %s, then that item alone is refused and the other is stored',
      async (occursAt) => {
        const good = { remote_id: uniqueId('batch-good'), ...listingInput() };
        const far = { remote_id: uniqueId('batch-far'), ...listingOccurringAt(occursAt) };

        const response = await t.http.post('/v1/listings/batch').set('X-Api-Key', keys.inventory).send({ listings: [good, far] });

        expect(response.status).toBe(200);
        expect(response.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400]);
        await t.http.get(`/v1/listings/${good.remote_id}`).set('X-Api-Key', keys.inventory).expect(200);
      },
    );
  });
});
