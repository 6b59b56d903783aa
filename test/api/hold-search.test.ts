import { listingInput, uniqueId } from '../support/fixtures';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

describe('hold search', () => {
  let t: TestGateway;
  let staff: string;
  let tevo: string;
  let vivid: string;
  let listingA: string;
  let listingB: string;
  const eventB = uniqueId('evt');
  const created: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway();
    let inventory: string;
    [staff, tevo, vivid, inventory] = await Promise.all([
      t.createKey('staff'),
      t.createKey('partner', 'tevo'),
      t.createKey('partner', 'vivid'),
      t.createKey('inventory'),
    ]);
    listingA = uniqueId('listing');
    listingB = uniqueId('listing');
    await t.http.put(`/v1/listings/${listingA}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 50 })).expect(201);
    await t.http
      .put(`/v1/listings/${listingB}`)
      .set('X-Api-Key', inventory)
      .send(listingInput({ quantity: 50, event: { id: eventB, name: 'Lear', venue: 'Studio', occurs_at: '2027-04-01T19:00:00Z' } }))
      .expect(201);
    for (let i = 0; i < 7; i++) {
      const globalId = `search-${i}`;
      await t.http
        .post('/v1/holds')
        .set('X-Api-Key', i % 2 === 0 ? tevo : vivid)
        .send({ global_id: globalId, remote_id: i < 5 ? listingA : listingB, quantity: 1 })
        .expect(201);
      created.push(globalId);
    }
    await t.http.post('/v1/holds/search-0/release').set('X-Api-Key', tevo).expect(200);
  });
  afterAll(() => t.close());

  const search = (query: Record<string, string | number>, key = staff) => t.http.get('/v1/holds').query(query).set('X-Api-Key', key);
  const ids = (body: { data: { global_id: string }[] }) => body.data.map((h) => h.global_id);

  it('when staff search without filters, then holds come newest first', async () => {
    const response = await search({ limit: 200 }).expect(200);
    expect(ids(response.body)).toEqual([...created].reverse());
  });

  it.each([
    ['status', { status: 'released' }, ['search-0']],
    ['listing', { remote_id: () => listingB }, ['search-6', 'search-5']],
    ['partner', { partner_id: 'vivid' }, ['search-5', 'search-3', 'search-1']],
    ['event', { event_id: () => eventB }, ['search-6', 'search-5']],
    ['partner and status', { partner_id: 'tevo', status: 'held' }, ['search-6', 'search-4', 'search-2']],
  ])('when staff filter by %s, then only matching holds come back', async (_name, filter, expected) => {
    const query = Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, typeof v === 'function' ? v() : v]));
    expect(ids((await search(query).expect(200)).body)).toEqual(expected);
  });

  it('when staff filter by a creation range, then it is [from, to)', async () => {
    const all = (await search({ limit: 200 }).expect(200)).body.data as { global_id: string; created_at: string }[];
    const third = all.find((h) => h.global_id === 'search-2')!;
    const fifth = all.find((h) => h.global_id === 'search-4')!;
    const response = await search({ created_from: third.created_at, created_to: fifth.created_at }).expect(200);
    expect(ids(response.body)).toEqual(['search-3', 'search-2']);
  });

  it('when staff page through with a cursor, then every hold comes once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { global_id: string }[]; next_cursor: string | null } } = await search({ limit: 3, ...(cursor && { cursor }) }).expect(200);
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...ids(page.body));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it('when a cursor is used with other filters, then it is a 400 invalid_cursor', async () => {
    const first = await search({ limit: 1 }).expect(200);
    const response = await search({ limit: 1, status: 'held', cursor: first.body.next_cursor }).expect(400);
    expect(response.body.code).toBe('invalid_cursor');
  });

  it('when fields are named, then only those fields come back', async () => {
    const response = await search({ fields: 'global_id,status', limit: 2 }).expect(200);
    expect(response.body.data).toEqual([
      { global_id: 'search-6', status: 'held' },
      { global_id: 'search-5', status: 'held' },
    ]);
    await search({ fields: 'global_id,secret' }).expect(400);
  });

  it('when a partner searches, then it sees only its own holds, whatever partner_id it names', async () => {
    expect(ids((await search({}, vivid).expect(200)).body)).toEqual(['search-5', 'search-3', 'search-1']);
    expect(ids((await search({ partner_id: 'tevo' }, vivid).expect(200)).body)).toEqual([]);
  });

  it('when a monitor key searches, then it is a 403', async () => {
    await search({}, await t.createKey('monitor')).expect(403);
  });
});
