import { OptionsError, parseOptions } from '../../bench/options';

describe('bench options', () => {
  describe('when nothing is given', () => {
    it('then the defaults apply: 4 rounds of 10 s, 3 s warm-up, 32 connections, every scenario, local PostgreSQL', () => {
      expect(parseOptions([], {})).toEqual({
        rounds: 4,
        seconds: 10,
        warmupSeconds: 3,
        connections: 32,
        scenarios: ['hold', 'hot', 'flow'],
        serverUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
        profile: false,
        traces: false,
        gateways: [1],
      });
    });
  });

  describe('when fleet sizes are given', () => {
    it('then they run in ascending order, each once, from the flag or BENCH_GATEWAYS', () => {
      expect(parseOptions(['--gateways', '4, 1,2,4'], {})).toMatchObject({ gateways: [1, 2, 4] });
      expect(parseOptions([], { BENCH_GATEWAYS: '2' })).toMatchObject({ gateways: [2] });
    });
  });

  describe('when environment variables and flags are both given', () => {
    it('then flags win over the environment, which wins over the defaults', () => {
      const options = parseOptions(['--rounds', '2', '--profile', '--traces'], {
        BENCH_ROUNDS: '6',
        BENCH_SECONDS: '5',
        BENCH_SCENARIOS: 'hot, hold',
        BENCH_DATABASE_URL: 'postgresql://bench@db:5433/postgres',
      });

      expect(options).toMatchObject({
        rounds: 2,
        seconds: 5,
        scenarios: ['hold', 'hot'],
        serverUrl: 'postgresql://bench@db:5433/postgres',
        profile: true,
        traces: true,
      });
    });

    it('then an empty environment variable counts as unset', () => {
      expect(parseOptions([], { BENCH_SECONDS: '' })).toMatchObject({ seconds: 10 });
    });
  });

  describe('when a value is wrong', () => {
    it.each([
      [['--rounds', '0']],
      [['--seconds', '1.5']],
      [['--connections', 'many']],
      [['--scenarios', 'hold,lunch']],
      [['--database-url', 'mysql://localhost/x']],
      [['--rouns', '3']],
      [['--gateways', '0,2']],
      [['--gateways', '9']],
      [['--gateways', 'two']],
    ])('then %j is refused with a message naming the problem', (argv) => {
      expect(() => parseOptions(argv, {})).toThrow(OptionsError);
    });

    it('then a warm-up of 0 s is allowed (no warm-up)', () => {
      expect(parseOptions(['--warmup-seconds', '0'], {})).toMatchObject({ warmupSeconds: 0 });
    });
  });

  describe('when help is asked for', () => {
    it('then the answer is the usage text, not options', () => {
      expect(parseOptions(['--help'], {})).toBe('help');
    });
  });
});
