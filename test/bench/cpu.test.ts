import { watchCpu } from '../../bench/cpu';

const burn = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

describe('bench CPU watch', () => {
  describe('when the watched server is this very process and it keeps a core busy', () => {
    it('then the server and the load generator each show about one core, and sessions none', async () => {
      const stop = await watchCpu(process.pid, async () => []);
      burn(300);

      const use = await stop();

      expect(use.server).toBeGreaterThan(0.5);
      expect(use.loadGenerator).toBeGreaterThan(0.5);
      expect(use.database).toBe(0);
      expect(use.machineBusy).toBeGreaterThan(0);
    });
  });

  describe('when the database sessions cannot be observed', () => {
    it('then their share, and so the rest of the machine, are unknown', async () => {
      const stop = await watchCpu(process.pid, async () => null);

      const use = await stop();

      expect(use.database).toBeNull();
      expect(use.other).toBeNull();
    });
  });
});
