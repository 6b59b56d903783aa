import fs from 'node:fs';

/**
 * CPU use over one measurement, in cores (1.0 = one core busy the whole time): the server under load,
 * the bench's own process (the load generator), and the whole machine's busy share (0..1). The server's
 * and the machine's figures come from /proc and are null where there is none (not Linux).
 */
export type CpuUse = { server: number | null; loadGenerator: number; machineBusy: number | null };

/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every mainstream build. */
const TICKS_PER_SECOND = 100;

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in ticks (fields 14 and 15 of /proc/<pid>/stat, counted after the name). */
function processTicks(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** All CPUs' ticks so far, and those spent neither idle nor waiting for I/O. */
function machineTicks(): { total: number; busy: number } | undefined {
  const line = readProc('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { total: busy + idle + iowait, busy };
}

const hundredths = (value: number) => Math.round(value * 100) / 100;

/** The machine's busy share (0..1) over the next `ms` milliseconds, or null without /proc/stat. */
export async function machineBusyOver(ms: number): Promise<number | null> {
  const start = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const end = machineTicks();
  return start && end ? hundredths((end.busy - start.busy) / (end.total - start.total)) : null;
}

/** Starts watching; the function returned answers the CPU use since. */
export function watchCpu(serverPid: number): () => CpuUse {
  const startedAt = process.hrtime.bigint();
  const ownStart = process.cpuUsage();
  const serverStart = processTicks(serverPid);
  const machineStart = machineTicks();
  return () => {
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const own = process.cpuUsage(ownStart);
    const serverEnd = processTicks(serverPid);
    const machineEnd = machineTicks();
    return {
      server: serverStart !== undefined && serverEnd !== undefined ? hundredths((serverEnd - serverStart) / TICKS_PER_SECOND / seconds) : null,
      loadGenerator: hundredths((own.user + own.system) / 1e6 / seconds),
      machineBusy:
        machineStart && machineEnd ? hundredths((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) : null,
    };
  };
}
