import { watchCpu } from '../../bench/cpu';

/** Keeps this process busy until it has used `cpuMs` of CPU, however long a loaded machine makes that take. */
const burn = (cpuMs: number) => {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= cpuMs) return;
  }
};

describe('bench CPU watch', () => {
  describe('when the watched server is this very process and it keeps a core busy', () => {
    it('then the server and the load generator each show what the process used, and sessions none', async () => {
      const started = Date.now();
      const cpuBefore = process.cpuUsage();
      const stop = await watchCpu([process.pid], async () => []);
      burn(500);

      const use = await stop();
      const cpu = process.cpuUsage(cpuBefore);
      const cores = (cpu.user + cpu.system) / 1000 / (Date.now() - started);

      // /proc counts in 10 ms ticks: over half a second of CPU that is a few hundredths of a core.
      expect(use.server).toBeGreaterThan(0);
      expect(Math.abs((use.server as number) - cores)).toBeLessThan(0.15);
      expect(Math.abs(use.loadGenerator - cores)).toBeLessThan(0.15);
      expect(use.database).toBe(0);
      expect(use.machineBusy).toBeGreaterThan(0);
    });
  });

  describe('when the database sessions cannot be observed', () => {
    it('then their share, and so the rest of the machine, are unknown', async () => {
      const stop = await watchCpu([process.pid], async () => null);

      const use = await stop();

      expect(use.database).toBeNull();
      expect(use.other).toBeNull();
    });
  });
});
