import type { Request } from 'autocannon';
import { LISTING_COUNT, LISTING_QUANTITY, hotListingId, listingId } from './catalog';

/**
 * In the order they run. `flow` comes last: the invoices it makes leave the gateway's dispatcher with an
 * outbox to drain long after, which would otherwise load the machine during the other scenarios.
 */
export const SCENARIO_NAMES = ['hold', 'hot', 'flow'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const SIDES = ['gateway', 'floor'] as const;
export type Side = (typeof SIDES)[number];

/**
 * What the load generator sends to one side. `apiKeys`: the partner keys the load is spread over, one
 * picked at random for each hold (its invoice goes with the same key); none for the floor.
 */
export type Endpoint = { holdPath: string; headers: Record<string, string>; apiKeys: string[] };

/** Answers a measurement counts: completed units of work, and a sample answer for each refusal status. */
export class Tally {
  completed = 0;
  readonly refusals = new Map<number, string>();

  /** Records an answer; a 2xx one to a request that completes a unit of work counts one more. */
  observe(status: number, body: string, completesUnit: boolean): boolean {
    const ok = status >= 200 && status < 300;
    if (ok && completesUnit) this.completed++;
    if (!ok && !this.refusals.has(status)) this.refusals.set(status, body.slice(0, 300));
    return ok;
  }
}

/** What each connection sends, over and over, during one measurement of one side. */
export type Workload = { requests: Request[]; tally: Tally };

export type Scenario = {
  name: ScenarioName;
  /** What the rate counts, per second. */
  unit: string;
  /** What is measured, in a sentence, for the report. */
  measures: string;
  /** The least gateway/floor throughput ratio that passes. */
  targetRatio: number;
  /** The most the gateway's p99 latency may be, for scenarios that have such a target. */
  p99TargetMs?: number;
  workload(side: Side): Workload;
};

type FlowContext = { globalId?: string; held?: boolean; headers?: Record<string, string> };

/** The endpoint's headers with one of its keys, if it has any. */
function headersWithKey(endpoint: Endpoint): Record<string, string> {
  if (endpoint.apiKeys.length === 0) return endpoint.headers;
  return { ...endpoint.headers, 'x-api-key': endpoint.apiKeys[Math.floor(Math.random() * endpoint.apiKeys.length)] };
}

/** Distinct across the run, hence across every request either side ever sees. */
let globalIdSequence = 0;

function holdRequest(endpoint: Endpoint, prefix: string, pickListing: () => string, tally: Tally, completesUnit: boolean): Request {
  return {
    method: 'POST',
    path: endpoint.holdPath,
    headers: endpoint.headers,
    setupRequest: (request, context) => {
      const globalId = `${prefix}-${++globalIdSequence}`;
      const headers = headersWithKey(endpoint);
      Object.assign(context as FlowContext, { globalId, headers });
      return { ...request, headers, body: JSON.stringify({ global_id: globalId, remote_id: pickListing(), quantity: 1 }) };
    },
    onResponse: (status, body, context) => {
      (context as FlowContext).held = tally.observe(status, body, completesUnit);
    },
  };
}

/** autocannon starts a connection's request sequence over when setupRequest answers nothing (its types omit it). */
const START_OVER = undefined as unknown as Request;

/** Invoices the hold the connection has just placed; when that hold failed, the connection starts over. */
function invoiceRequest(endpoint: Endpoint, tally: Tally): Request {
  return {
    method: 'POST',
    path: '/v1/invoices',
    headers: endpoint.headers,
    setupRequest: (request, context) => {
      const { globalId, held, headers } = context as FlowContext;
      return held ? { ...request, headers, body: JSON.stringify({ global_id: globalId, order_id: `order-${globalId}` }) } : START_OVER;
    },
    onResponse: (status, body) => void tally.observe(status, body, true),
  };
}

const randomListing = () => listingId(Math.floor(Math.random() * LISTING_COUNT));

/**
 * One hot listing at a time, the next one after every LISTING_QUANTITY requests so that it never runs
 * out; the count carries over from one measurement to the next, as the tickets taken do.
 */
function hotListingPicker(): () => string {
  let sent = 0;
  return () => hotListingId(Math.floor(sent++ / LISTING_QUANTITY));
}

/** The scenarios, built once per run: the hot one remembers, per side, how far down its listings it is. */
export function buildScenarios(endpoints: Record<Side, Endpoint>): Record<ScenarioName, Scenario> {
  const holds = (side: Side, prefix: string, pickListing: () => string): Workload => {
    const tally = new Tally();
    return { requests: [holdRequest(endpoints[side], prefix, pickListing, tally, true)], tally };
  };
  const hotPickers = { gateway: hotListingPicker(), floor: hotListingPicker() };
  return {
    hold: {
      name: 'hold',
      unit: 'holds/s',
      measures: `holds of 1 ticket on a random listing among ${LISTING_COUNT}; throughput counts 2xx answers`,
      targetRatio: 0.9,
      p99TargetMs: 50,
      workload: (side) => holds(side, 'hold', randomListing),
    },
    flow: {
      name: 'flow',
      unit: 'invoices/s on the gateway, holds/s on the floor',
      measures:
        'gateway: each connection holds 1 ticket on a random listing, then invoices that hold; throughput counts ' +
        'completed invoices. floor: holds, as in the hold scenario',
      targetRatio: 0.6,
      workload: (side) => {
        if (side === 'floor') return holds(side, 'flow', randomListing);
        const tally = new Tally();
        return {
          requests: [holdRequest(endpoints.gateway, 'flow', randomListing, tally, false), invoiceRequest(endpoints.gateway, tally)],
          tally,
        };
      },
    },
    hot: {
      name: 'hot',
      unit: 'holds/s',
      measures: 'holds of 1 ticket, every one on the same listing (row-lock contention); throughput counts 2xx answers',
      targetRatio: 0.8,
      workload: (side) => holds(side, 'hot', hotPickers[side]),
    },
  };
}
