import { Client } from 'pg';
import { type Catalog, LISTING_QUANTITY } from './catalog';
import { FLOOR_LISTINGS } from './floor-tables';

/** The most listings one batch request may carry. */
const BATCH_SIZE = 1000;
const EVENT_COUNT = 50;
/**
 * The load stands for many partners' (each key under its default rate limit and held-ticket limit, as a
 * real partner would be), not one partner's at the gateway's full capacity.
 */
export const BENCH_PARTNERS = 32;

async function post<T>(baseUrl: string, path: string, apiKey: string, body: unknown, expected: number): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`POST ${path} answered ${res.status}, not ${expected}: ${text}`);
  return JSON.parse(text) as T;
}

export const createKey = async (gatewayUrl: string, adminKey: string, body: object) =>
  (await post<{ key: string }>(gatewayUrl, '/v1/api-keys', adminKey, body, 201)).key;

export function listingInput(remoteId: string, index: number) {
  const event = index % EVENT_COUNT;
  return {
    remote_id: remoteId,
    event: { id: `bench-event-${event}`, name: `Bench show ${event}`, venue: 'Bench Hall', occurs_at: '2030-01-01T20:00:00Z' },
    section: 'Orchestra',
    row: String.fromCharCode(65 + (index % 26)),
    quantity: LISTING_QUANTITY,
    price: { amount: '50.00', currency: 'USD' },
    // Mapped downstream like a real listing, so that each invoice's deliveries are really made. Every
    // listing has a performance of its own: the simulator's performances have 500 seats per zone.
    tessitura: { performance_id: index + 1, zone_id: 1, price_type: 1 },
    salesvu: { product_id: `bench-product-${index}` },
  };
}

/**
 * Seeds the gateway through its own API, as a venue's inventory feed would: an inventory key creates the
 * listings in batches. Answers the keys of BENCH_PARTNERS partners for the load.
 */
export async function seedGateway(gatewayUrl: string, adminKey: string, catalog: Catalog): Promise<string[]> {
  const inventoryKey = await createKey(gatewayUrl, adminKey, { name: 'bench-inventory', role: 'inventory' });
  for (let start = 0; start < catalog.listingIds.length; start += BATCH_SIZE) {
    const listings = catalog.listingIds.slice(start, start + BATCH_SIZE).map((id, i) => listingInput(id, start + i));
    const { results } = await post<{ results: { remote_id: string; status: number; detail?: string }[] }>(
      gatewayUrl, '/v1/listings/batch', inventoryKey, { listings }, 200,
    );
    const refused = results.find((result) => result.status !== 201);
    if (refused) throw new Error(`the gateway refused listing ${refused.remote_id}: ${refused.status} ${refused.detail ?? ''}`);
  }
  return Promise.all(
    Array.from({ length: BENCH_PARTNERS }, (_, i) =>
      createKey(gatewayUrl, adminKey, { name: `bench-partner-${i + 1}`, role: 'partner', partner_id: `bench-partner-${i + 1}` }),
    ),
  );
}

/** Seeds the floor's tables directly, with the same listings and quantities. */
export async function seedFloor(databaseUrl: string, catalog: Catalog): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`INSERT INTO ${FLOOR_LISTINGS} (remote_id, available) SELECT unnest($1::text[]), $2`, [
      catalog.listingIds,
      LISTING_QUANTITY,
    ]);
  } finally {
    await client.end();
  }
}
