import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { listingInput, uniqueId } from '../support/fixtures';
import { invoicedSale, MAPPED_LISTING, saleKeys, type SaleKeys, saleStory, settledStory } from '../support/sales';
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
  await eventually(() => saleStory(t, keys, invoicedId), (s) => s.deliveries[0].status === 'delivered', WAIT_MS);
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
    // A Content-Security-Policy refusal is reported on the console, not thrown.
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) pageErrors.push(new Error(message.text()));
    });
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
      expect(await waitForText('#hold-timeline', `ORD-${data.invoicedId}`)).toMatch(/Tessitura sale\s+Delivered/);
      const seatRows = (await rows('#hold-timeline')).filter((row) => row.startsWith('Zone'));
      expect(seatRows.map((row) => row.split(/\s+/))).toEqual([
        ['Zone', '3', '1', expect.stringMatching(/^\d+$/), expect.stringMatching(/^7\d{6}$/)],
        ['Zone', '3', '1', expect.stringMatching(/^\d+$/), expect.stringMatching(/^7\d{6}$/)],
      ]);

      const outbox = await waitForText('#outbox-summary', 'Tessitura');
      expect(outbox).toMatch(/Tessitura\s+Closed\s+\d+\s+1\s/);
      expect((await rows('#delivery-results')).join('\n')).toContain(data.deadHoldId);
      await page.getByRole('button', { name: `Retry delivery ${data.deadDeliveryId}` }).click();
      await waitForText('#delivery-results', `Delivery ${data.deadDeliveryId} (Tessitura sale) will be sent again now.`);

      await waitForText('#slo-report', 'Hold tickets of a listing');
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

  /** A sale of its own, delivered to both systems: its listing's id, and Tessitura's order id. */
  const deliveredSale = async () => {
    const sale = await invoicedSale(t, keys);
    const story = await settledStory(t, keys, sale.globalId);
    expect(story.deliveries.map((delivery) => delivery.status)).toEqual(['delivered', 'delivered']);
    const tessitura = story.deliveries.find((delivery) => delivery.target === 'tessitura')!;
    return { ...sale, tessituraOrderId: (tessitura.acknowledgment as { order_id: number }).order_id };
  };
  const deliveryCard = (name: string) => page.getByRole('article', { name: new RegExp(`^${name} delivery \\d+$`) });

  describe('when staff cancel an invoiced sale through the dialog, without putting its tickets back on sale', () => {
    it('then the hold reads cancelled, its tickets leave the listing, and its returns are listed and delivered', async () => {
      const sale = await deliveredSale();
      await signIn(keys.staff);
      await page.getByLabel('Listing (remote id)').fill(sale.remoteId);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('button', { name: sale.globalId, exact: true }).click();
      await waitForText('#hold-timeline', `Listing ${sale.remoteId}`);
      expect([await counter('quantity'), await counter('sold')]).toEqual(['6', '2']);

      await page.getByRole('button', { name: 'Cancel sale…' }).click();
      const dialog = page.getByRole('dialog');
      expect(await dialog.getByRole('checkbox', { name: 'Put the tickets back on sale' }).isChecked()).toBe(true);
      // Without a reason the browser refuses the form: the dialog stays open.
      await dialog.getByRole('button', { name: 'Cancel sale' }).click();
      expect(await dialog.isVisible()).toBe(true);
      expect(await dialog.locator('textarea[name="reason"]:invalid').count()).toBe(1);

      await dialog.getByLabel('Reason').fill('The performance was cancelled\n(storm warning).');
      await dialog.getByRole('checkbox', { name: 'Put the tickets back on sale' }).uncheck();
      await dialog.getByRole('button', { name: 'Cancel sale' }).click();

      const cancelled = await waitForText('#hold-timeline', 'is now cancelled');
      expect(cancelled).toContain(`The sale of hold ${sale.globalId} is now cancelled; its tickets have left listing ${sale.remoteId}.`);
      expect(await text('#timeline-title')).toBe(`Hold ${sale.globalId} Cancelled`);
      expect(cancelled).toMatch(/Tickets\s+Taken off the listing\s+Reason\s+The performance was cancelled \(storm warning\)\./);
      expect([await counter('quantity'), await counter('sold'), await counter('available')]).toEqual(['4', '0', '4']);
      const ledger = await page.locator('#hold-timeline table').first().locator('tbody tr').allInnerTexts();
      expect(ledger.map((row) => row.split(/\s+/)[1])).toEqual(['hold', 'invoice', 'cancel']);
      expect(await page.getByRole('button', { name: 'Cancel sale…' }).count()).toBe(0);

      // The returns are watched until delivered, beside the sale's deliveries.
      for (const name of ['Tessitura return', 'SalesVu return']) {
        const heading = deliveryCard(name).getByRole('heading', { level: 4 });
        await eventually(() => heading.innerText().catch(() => ''), (title) => title.includes('Delivered'), WAIT_MS);
      }
      const cards = await page.locator('#hold-timeline article.delivery h4').allInnerTexts();
      const headings = cards.map((heading) => heading.replace(/\s+delivery \d+$/, ''));
      expect(headings.slice(0, 2)).toEqual(['Tessitura sale Delivered', 'SalesVu sale Delivered']);
      expect(headings.slice(2).sort()).toEqual(['SalesVu return Delivered', 'Tessitura return Delivered']);
      expect(await text('#hold-results')).toContain('Cancelled');
    });
  });

  describe('when staff run the reconciliation, before and after an order drifts in Tessitura', () => {
    it('then it first finds every sale in agreement, then lists the one mismatch with a link to its hold', async () => {
      const sale = await deliveredSale();
      await signIn(keys.staff);
      expect(await page.getByLabel('Sales delivered in').inputValue()).toBe('24');

      await page.getByRole('button', { name: 'Run' }).click();
      expect(await waitForText('#reconciliation-status', 'agree')).toMatch(/^Tessitura and SalesVu agree with every sale\. Checked \d+ sales and \d+ returns? delivered between /);
      expect(await page.locator('#reconciliation-report table').count()).toBe(0);

      t.tessitura!.drift.setTicketCount(sale.tessituraOrderId, 3);
      await page.getByRole('button', { name: 'Run' }).click();
      expect(await waitForText('#reconciliation-status', 'found')).toMatch(/^1 mismatch found\. Checked \d+ sales/);
      expect(await rows('#reconciliation-report')).toEqual([
        expect.stringMatching(new RegExp(`^Ticket count differs\\s+${sale.globalId}\\s+${sale.tessituraOrderId}\\s+Tessitura\\s+2\\s+3\\s+\\S`)),
      ]);

      await page.locator('#reconciliation-report').getByRole('button', { name: sale.globalId, exact: true }).click();
      await waitForText('#timeline-title', sale.globalId);
    });
  });

  describe('when the API reference is opened under its Content-Security-Policy', () => {
    it('then Swagger UI renders the operations, with nothing refused and nothing fetched from outside', async () => {
      const { port } = t.server.address() as { port: number };
      await page.goto(`http://127.0.0.1:${port}/docs`);

      await page.getByText('/v1/holds/{global_id}/release').first().click({ timeout: WAIT_MS });
      await page.getByText('The hold, now').first().waitFor({ timeout: WAIT_MS });

      expect(requestedUrls.filter((url) => !url.startsWith(`http://127.0.0.1:${port}/`) && !url.startsWith('data:'))).toEqual([]);
    });
  });

  describe('when staff read the response times over 30 days', () => {
    it('then they see what callers felt in plain names, the 30-day budget and the burn rates, without probes or metrics', async () => {
      await t.http.get('/healthz').expect(200);
      await t.http.get('/readyz').expect(200);
      await signIn(keys.staff);
      await waitForText('#slo-report', 'Hold tickets of a listing');

      await page.getByLabel('Window').selectOption('30d');

      const report = await waitForText('#slo-report', '30.0 days');
      expect(report).toContain('Invoice a hold (the sale is final)');
      expect(report).toMatch(/Budget left, 30 days\s+100%/);
      for (const window of ['Last 5 minutes', 'Last hour', 'Last 6 hours', 'Last 3 days']) expect(report).toMatch(new RegExp(`${window}\\s+0\\.00×`));
      const operations = (await rows('#slo-report')).map((row) => row.split('\n')[0]);
      expect(operations).toEqual(expect.arrayContaining(['Hold tickets of a listing', 'Invoice a hold (the sale is final)']));
      for (const machinery of ['Liveness probe', 'Readiness probe', 'Prometheus metrics', 'Latency SLO report']) {
        expect(report).not.toContain(machinery);
      }
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
