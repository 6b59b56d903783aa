import { startTessituraSimulator, type TessituraSimulator } from '../../simulators';
import { eventually } from '../support/eventually';
import { openCart, tessituraClient } from './support/tessitura-client';

// Long enough that a loaded machine builds a cart well within it; each test waits for the expiry itself.
const TTL_MS = 1_000;
/** How long an expiry may take to show: the TTL plus a slow machine's worth. */
const EXPIRY_WITHIN_MS = TTL_MS + 10_000;

describe('Tessitura simulator: session and reservation expiry', () => {
  let tess: TessituraSimulator | undefined;
  afterEach(() => tess?.close());

  it('when a session is idle longer than its TTL, then it answers like an unknown session and its seats are free', async () => {
    tess = await startTessituraSimulator({ port: 0, sessionTtlMs: TTL_MS, reservationTtlMs: 60_000 });
    const api = tessituraClient(tess.url);
    const key = await openCart(api, { performanceId: 5, seats: 2 });

    // Any call would renew the session, so this waits without calling (a timer never fires early).
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 100));

    await api.get(`/Web/Session/${key}`).expect(404);
    expect(tess.state.availability(5).zones[0]).toMatchObject({ taken: 0 });
  });

  it('when a session keeps being used, then its TTL counts from the last call', async () => {
    tess = await startTessituraSimulator({ port: 0, sessionTtlMs: TTL_MS });
    const api = tessituraClient(tess.url);
    const key = (await api.post('/Web/Session', {}).expect(200)).body.SessionKey;

    // Calls a tenth of a TTL apart, for twice the TTL.
    for (let call = 0; call < 20; call += 1) {
      await new Promise((resolve) => setTimeout(resolve, TTL_MS / 10));
      await api.get(`/Web/Session/${key}`).expect(200);
    }
  });

  it('when a reservation is older than its TTL, then its seats are released and the session says SeatsExpired', async () => {
    tess = await startTessituraSimulator({ port: 0, reservationTtlMs: TTL_MS });
    const api = tessituraClient(tess.url);
    const key = await openCart(api, { performanceId: 6, seats: 2 });

    const session = await eventually(() => api.get(`/Web/Session/${key}`), (res) => res.body.SeatsExpired === true, EXPIRY_WITHIN_MS, 100);

    expect(session.body).toMatchObject({ SeatsExpired: true, HasLockedSeats: false });
    expect(tess.state.availability(6).zones[0]).toMatchObject({ taken: 0 });
    await api.post(`/Web/Cart/${key}/Checkout`, { Amount: 0 }).expect(400);
  });

  it('when the cleanup timer runs, then expired sessions are removed without anyone calling', async () => {
    tess = await startTessituraSimulator({ port: 0, sessionTtlMs: TTL_MS, cleanupIntervalMs: 20 });
    const api = tessituraClient(tess.url);
    await openCart(api, { performanceId: 8, seats: 1 });
    const simulator = tess;

    // availability() reads the catalogue only; reading sessions would sweep them itself
    const freed = await eventually(async () => simulator.state.availability(8).zones[0].taken, (taken) => taken === 0, EXPIRY_WITHIN_MS);

    expect(freed).toBe(0);
    expect(tess.state.sessions()).toEqual([]);
  });

  it('when a cart was checked out, then reservation expiry does not release its sold seats', async () => {
    tess = await startTessituraSimulator({ port: 0, reservationTtlMs: TTL_MS });
    const api = tessituraClient(tess.url);
    const sold = await openCart(api, { performanceId: 9, seats: 1 });
    await api.post(`/Web/Cart/${sold}/Checkout`, { Amount: 50 }).expect(200);
    // A cart left unpaid beside it shows when reservations have expired.
    const unpaid = await openCart(api, { performanceId: 9, seats: 1 });

    await eventually(() => api.get(`/Web/Session/${unpaid}`), (res) => res.body.SeatsExpired === true, EXPIRY_WITHIN_MS, 100);

    expect((await api.get(`/Web/Session/${sold}`).expect(200)).body.OrderId).toBeGreaterThan(0);
    expect(tess.state.availability(9).zones[0]).toMatchObject({ taken: 1 });
  });
});
