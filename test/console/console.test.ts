import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { listingInput, uniqueId } from '../support/fixtures';
import { MAPPED_LISTING, saleKeys, type SaleKeys, saleStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
/** The test artifact always; the README's copy in docs/ only when asked (UPDATE_DOCS_SCREENSHOT=1). */
const SCREENSHOTS = [
  path.join('test-artifacts', 'console.png'),
  ...(process.env.UPDATE_DOCS_SCREENSHOT ? [path.join('docs', 'console.png')] : []),
];
const WAIT_MS = 10_000;

const chromiumInstalled = existsSync(CHROMIUM);
const inBrowser = chromiumInstalled ? describe : describe.skip;
if (!chromiumInstalled) console.warn(`Skipping the console's browser tests: ${CHROMIUM} is not installed (apt-get install -y chromium).`);

/** What the test put in the gateway: a listing with a hold to release, and a sale whose delivery is dead. */
type Seed = { remoteId: string; heldId: string; invoicedId: string; deadHoldId: string; deadDeliveryId: number };

async function seed(t: TestGateway, keys: SaleKeys): Promise<Seed> {
  const as = (key: string) => ({ 'X-Api-Key': key });
  const remoteId = uniqueId('hamlet-orchestra');
  const unmappedId = uniqueId('hamlet-balcony');
  await t.http.put(`/v1/listings/${remoteId}`).set(as(keys.inventory)).send(listingInput({ quantity: 8, ...MAPPED_LISTING })).expect(201);
  // No Tessitura mapping: the sale's Tessitura delivery is dead at once, for staff to look at.
  await t.http.put(`/v1/listings/${unmappedId}`).set(as(keys.inventory)).send(listingInput({ quantity: 4, section: 'Balcony' })).expect(201);
  const hold = async (remote: string, quantity: number) => {
    const globalId = uniqueId('tevo');
    await t.http.post('/v1/holds').set(as(keys.partner)).send({ global_id: globalId, remote_id: remote, quantity }).expect(201);
    return globalId;
  };
  const invoice = (globalId: string) =>
    t.http.post('/v1/invoices').set(as(keys.partner)).send({ global_id: globalId, order_id: `ORD-${globalId}` }).expect(201);
  const heldId = await hold(remoteId, 2);
  const invoicedId = await hold(remoteId, 2);
  await hold(remoteId, 1);
  const deadHoldId = await hold(unmappedId, 1);
  await Promise.all([invoice(invoicedId), invoice(deadHoldId)]);
  const story = await eventually(() => saleStory(t, keys, deadHoldId), (s) => s.deliveries[0].status === 'dead', WAIT_MS);
  return { remoteId, heldId, invoicedId, deadHoldId, deadDeliveryId: story.deliveries[0].id };
}

inBrowser('the staff console', () => {
  let t: TestGateway;
  let keys: SaleKeys;
  let data: Seed;
  let browser: Browser;
  let page: Page;
  let pageErrors: Error[];
  let requestedUrls: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestGateway({ simulators: true }),
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    ]);
    keys = await saleKeys(t);
    data = await seed(t, keys);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    pageErrors = [];
    requestedUrls = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    page.on('request', (request) => requestedUrls.push(request.url()));
    const { port } = t.server.address() as { port: number };
    await page.goto(`http://127.0.0.1:${port}/console`);
  });
  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  const signIn = async (key: string) => {
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const text = (selector: string) => page.locator(selector).innerText();
  const waitForText = (selector: string, expected: string) =>
    eventually(() => text(selector).catch(() => ''), (value) => value.includes(expected), WAIT_MS);
  const rows = (selector: string) => page.locator(`${selector} tbody tr`).allInnerTexts();
  const counter = (name: string) => text(`[data-counter="${name}"]`);
  const storedKeys = async () => (await page.evaluate('Object.values(sessionStorage)')) as string[];

  describe('when someone signs in with a key that is unknown or not a staff key', () => {
    it('then the form says why, and no key is kept', async () => {
      await signIn('tg_not-a-real-key');
      expect(await waitForText('#sign-in-notice', 'not accepted')).toContain('unknown or has been revoked');

      await signIn(keys.partner);
      expect(await waitForText('#sign-in-notice', 'may not use the console')).toContain("Role 'partner' may not call");

      expect(await storedKeys()).toEqual([]);
      expect(await page.locator('#console').isHidden()).toBe(true);
    });
  });

  describe('when staff search holds, open one and release it', () => {
    it("then the timeline shows its story and the listing's counters move from held to available", async () => {
      await signIn(keys.staff);
      await page.getByLabel('Listing (remote id)').fill(data.remoteId);
      await page.getByRole('button', { name: 'Search' }).click();
      const found = await eventually(() => rows('#hold-results'), (r) => r.length === 3, WAIT_MS);
      expect(found.join('\n')).toContain(data.heldId);
      expect(found.join('\n')).not.toContain(data.deadHoldId);

      await page.getByRole('button', { name: data.heldId, exact: true }).click();
      await waitForText('#hold-timeline', `Listing ${data.remoteId}`);
      expect(await rows('#hold-timeline')).toEqual([expect.stringMatching(/^\d+\s+hold\s+−2\s+\+2\s+0\s+0\s+partner-/)]);
      expect([await counter('available'), await counter('held'), await counter('sold')]).toEqual(['3', '3', '2']);

      await page.getByRole('button', { name: 'Release hold…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Release hold' }).click();

      expect(await waitForText('#hold-timeline', 'is now released')).toContain(`Hold ${data.heldId} is now released`);
      expect([await counter('available'), await counter('held'), await counter('sold')]).toEqual(['5', '1', '2']);
      expect((await rows('#hold-timeline')).map((row) => row.split(/\s+/)[1])).toEqual(['hold', 'release']);
      expect((await waitForText('#hold-results', 'Released')).split('\n').find((line) => line.includes(data.heldId))).toContain('Released');

      await page.getByRole('button', { name: data.invoicedId, exact: true }).click();
      expect(await waitForText('#hold-timeline', `ORD-${data.invoicedId}`)).toMatch(/Tessitura\s+(Delivered|Pending)/);

      const outbox = await waitForText('#outbox-summary', 'Tessitura');
      expect(outbox).toMatch(/Tessitura\s+Closed\s+\d+\s+1\s/);
      expect((await rows('#delivery-results')).join('\n')).toContain(data.deadHoldId);
      await page.getByRole('button', { name: `Retry delivery ${data.deadDeliveryId}` }).click();
      await waitForText('#delivery-results', `Delivery ${data.deadDeliveryId} to Tessitura will be sent again now.`);

      await waitForText('#slo-report', 'createHold');
      expect(await page.locator('#slo-report svg[role="img"] rect.bar-p99').count()).toBeGreaterThan(0);

      expect(await storedKeys()).toEqual([keys.staff]);
      expect(await page.evaluate('localStorage.length')).toBe(0);
      expect(page.url()).not.toContain(keys.staff);
      expect(requestedUrls.filter((url) => url.includes(keys.staff))).toEqual([]);

      await page.getByRole('button', { name: data.heldId, exact: true }).click();
      await waitForText('#hold-timeline', 'Ledger');
      await page.evaluate('window.scrollTo(0, 0)');
      mkdirSync('test-artifacts', { recursive: true });
      for (const file of SCREENSHOTS) await page.screenshot({ path: file, fullPage: true });
    });
  });

  describe('when the gateway has no SLO report (an older version)', () => {
    it('then the panel says it is not available and the rest of the console works', async () => {
      const missing = await t.http.get('/v1/no-such-route').set('X-Api-Key', keys.staff).expect(404);
      await page.route((url) => url.pathname === '/v1/slo', (route) =>
        route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify(missing.body) }),
      );

      await signIn(keys.staff);

      expect(await waitForText('#slo-report', 'not available')).toContain('The response-time report is not available on this gateway.');
      expect(await waitForText('#outbox-summary', 'Tessitura')).toContain('SalesVu');
    });
  });

  describe('when staff sign out', () => {
    it('then the key is forgotten and the sign-in form is back', async () => {
      await signIn(keys.staff);
      await waitForText('#hold-results', data.heldId);

      await page.getByRole('button', { name: 'Sign out' }).click();

      expect(await waitForText('#sign-in-notice', 'signed out')).toContain('You are signed out.');
      expect(await storedKeys()).toEqual([]);
      expect(await page.locator('#hold-results').innerText()).toBe('');
    });
  });
});
