import { setTimeout as sleep } from 'node:timers/promises';
import { startTessituraSimulator, type TessituraSimulator } from '../../simulators';
import { openCart, tessituraClient } from './support/tessitura-client';

// TTLs are tiny but leave room for a slow machine between the calls that build a cart.
const TTL_MS = 150;
const PAST_TTL_MS = 220;

describe('Tessitura simulator: session and reservation expiry', () => {
  let tess: TessituraSimulator | undefined;
  afterEach(() => tess?.close());

  it('when a session is idle longer than its TTL, then it answers like an unknown session and its seats are free', async () => {
    tess = await startTessituraSimulator({ port: 0, sessionTtlMs: TTL_MS, reservationTtlMs: 60_000 });
    const api = tessituraClient(tess.url);
    const key = await openCart(api, { performanceId: 5, seats: 2 });

    await sleep(PAST_TTL_MS);

    await api.get(`/Web/Session/${key}`).expect(404);
    expect(tess.state.availability(5).zones[0]).toMatchObject({ taken: 0 });
  });

  it('when a session keeps being used, then its TTL counts from the last call', async () => {
    tess = await startTessituraSimulator({ port: 0, sessionTtlMs: TTL_MS });
    const api = tessituraClient(tess.url);
    const key = (await api.post('/Web/Session', {}).expect(200)).body.SessionKey;

    for (let call = 0; call < 4; call += 1) {
      await sleep(TTL_MS / 3);
      await api.get(`/Web/Session/${key}`).expect(200);
    }
  });

  it('when a reservation is older than its TTL, then its seats are released and the session says SeatsExpired', async () => {
    tess = await startTessituraSimulator({ port: 0, reservationTtlMs: TTL_MS });
    const api = tessituraClient(tess.url);
    const key = await openCart(api, { performanceId: 6, seats: 2 });

    await sleep(PAST_TTL_MS);

    const session = await api.get(`/Web/Session/${key}`).expect(200);
    expect(session.body).toMatchObject({ SeatsExpired: true, HasLockedSeats: false });
    expect(tess.state.availability(6).zones[0]).toMatchObject({ taken: 0 });
    await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0 }).expect(400);
  });

  it('when the cleanup timer runs, then expired sessions are removed without anyone calling', async () => {
    tess = await startTessituraSimulator({ port: 0, sessionTtlMs: TTL_MS, cleanupIntervalMs: 20 });
    const api = tessituraClient(tess.url);
    await openCart(api, { performanceId: 8, seats: 1 });

    await sleep(PAST_TTL_MS + 50);

    // availability() reads the catalogue only; reading sessions would sweep them itself
    expect(tess.state.availability(8).zones[0]).toMatchObject({ taken: 0 });
    expect(tess.state.sessions()).toEqual([]);
  });

  it('when a cart was checked out, then reservation expiry does not release its sold seats', async () => {
    tess = await startTessituraSimulator({ port: 0, reservationTtlMs: TTL_MS });
    const api = tessituraClient(tess.url);
    const key = await openCart(api, { performanceId: 9, seats: 1 });
    await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 50 }).expect(200);

    await sleep(PAST_TTL_MS);

    expect((await api.get(`/Web/Session/${key}`).expect(200)).body.OrderId).toBeGreaterThan(0);
    expect(tess.state.availability(9).zones[0]).toMatchObject({ taken: 1 });
  });
});
