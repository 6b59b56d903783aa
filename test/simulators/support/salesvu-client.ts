import request from 'supertest';
import { SALESVU_DEMO_STORES } from '../../../simulators';

export const [DEMO_STORE_ID, DEMO_API_KEY] = Object.entries(SALESVU_DEMO_STORES)[0];

/** Posts one SalesVu action the way public clients do: form field `request` holding JSON. */
export function salesVuCall(url: string, fields: Record<string, unknown>, credentials = { store_id: DEMO_STORE_ID, api_key: DEMO_API_KEY }) {
  return request(url)
    .post('')
    .type('form')
    .send({ request: JSON.stringify({ ...credentials, ...fields }) });
}

export function orderLine(key?: string) {
  return {
    product_id: 'TKT-GA',
    unit_id: 1,
    quantity: 2,
    selling_price: 45.5,
    notes: key === undefined ? [] : [{ comment: `gateway-key:${key}` }],
  };
}
