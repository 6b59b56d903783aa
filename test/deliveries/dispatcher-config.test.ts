import { ConfigError, loadConfig } from '../../src/platform/config';

describe('The dispatcher\'s concurrency settings', () => {
  it('when none is set, then each downstream system\'s limit starts at 8 and may grow to 64', () => {
    expect(loadConfig({}).deliveries).toMatchObject({ concurrency: 64, initialConcurrency: 8 });
  });

  it('when both are set, then they are taken as given', () => {
    expect(loadConfig({ DISPATCHER_CONCURRENCY: '32', DISPATCHER_INITIAL_CONCURRENCY: '4' }).deliveries).toMatchObject({ concurrency: 32, initialConcurrency: 4 });
  });

  it('when the initial limit is above the most, then start-up stops naming the variable', () => {
    const load = () => loadConfig({ DISPATCHER_CONCURRENCY: '4', DISPATCHER_INITIAL_CONCURRENCY: '8' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/DISPATCHER_INITIAL_CONCURRENCY: must be at most DISPATCHER_CONCURRENCY/);
  });

  it.each(['0', '-1', '2.5', 'many'])('when DISPATCHER_INITIAL_CONCURRENCY is %s, then start-up stops naming it', (value) => {
    expect(() => loadConfig({ DISPATCHER_INITIAL_CONCURRENCY: value })).toThrow(/DISPATCHER_INITIAL_CONCURRENCY/);
  });
});
