import pino from 'pino';
import { TargetBreaker } from '../../src/downstream/circuit-breaker';
import { DownstreamError } from '../../src/downstream/downstream-error';

const settings = { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 60_000 };

async function tenCallsFailingWith(error: DownstreamError) {
  const breaker = new TargetBreaker('tessitura', pino({ level: 'silent' }), settings);
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
});
