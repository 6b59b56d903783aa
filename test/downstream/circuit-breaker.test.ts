import pino from 'pino';
import { TargetBreaker } from '../../src/downstream/circuit-breaker';
import { DownstreamError } from '../../src/downstream/downstream-error';
import { EndpointBreakers } from '../../src/features/deliveries/targets/webhook/webhook-target';

const settings = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 60_000 };

async function tenCallsFailingWith(error: DownstreamError, breaker = new TargetBreaker('tessitura', pino({ level: 'silent' }), settings)) {
  const outcomes: unknown[] = [];
  breaker.onCallSettled((outcome) => outcomes.push(outcome.error));
  for (let i = 0; i < 10; i++) await breaker.run(() => Promise.reject(error)).catch(() => undefined);
  return { breaker, outcomes };
}

describe('a target breaker', () => {
  it('when a target answers 429 (too many calls at once) again and again, then the breaker stays closed, while the adaptive limit is told of every refusal', async () => {
    const busy = new DownstreamError('tessitura', 'HTTP 429', { status: 429 });

    const { breaker, outcomes } = await tenCallsFailingWith(busy);

    expect(breaker.state).toBe('closed');
    expect(outcomes).toEqual(Array(10).fill(busy));
  });

  it('when a target answers 500 again and again, then the breaker opens', async () => {
    const { breaker } = await tenCallsFailingWith(new DownstreamError('tessitura', 'HTTP 500', { status: 500 }));

    expect(breaker.state).toBe('open');
  });

  it('when a back office answers 400 again and again, then the breaker stays closed: each refusal is about its own request', async () => {
    const { breaker } = await tenCallsFailingWith(new DownstreamError('tessitura', 'HTTP 400', { status: 400 }));

    expect(breaker.state).toBe('closed');
  });
});

describe("a partner's webhook endpoint breaker", () => {
  const endpointBreaker = () => new EndpointBreakers({ logger: pino({ level: 'silent' }), breakerSettings: settings }).of('7c9e6679-7425-40de-944b-e07fc1f90ae7');

  it.each([404, 401, 410])('when the receiver answers %i again and again (it is not taking the events), then the breaker opens', async (status) => {
    const { breaker } = await tenCallsFailingWith(new DownstreamError('webhook', `HTTP ${status}`, { status }), endpointBreaker());

    expect(breaker.state).toBe('open');
  });

  it('when the receiver answers 429 again and again (busy, not broken), then the breaker stays closed', async () => {
    const { breaker } = await tenCallsFailingWith(new DownstreamError('webhook', 'HTTP 429', { status: 429 }), endpointBreaker());

    expect(breaker.state).toBe('closed');
  });
});
