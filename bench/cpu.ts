import fs from 'node:fs';

/**
 * CPU use over one measurement, in cores (1.0 = one core busy the whole time): the server under load
 * (every process of it: a fleet of gateways counts as one server);
 * the run database's sessions (the PostgreSQL backends serving both sides, the idle side's costing
 * nothing); the bench's own process (the load generator); and everything else the machine did (other
 * programs, and PostgreSQL's background work such as WAL writing and autovacuum). `machineBusy` is the
 * share (0..1) of all cores busy. Figures come from /proc and are null where they cannot be read (not
 * Linux, or a PostgreSQL server on another machine).
 */
export type CpuUse = {
  server: number | null;
  database: number | null;
  loadGenerator: number;
  other: number | null;
  machineBusy: number | null;
};

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

/** The processes' ticks in all, or undefined when any of them cannot be read. */
function processesTicks(pids: number[]): number | undefined {
  let sum = 0;
  for (const pid of pids) {
    const ticks = processTicks(pid);
    if (ticks === undefined) return undefined;
    sum += ticks;
  }
  return sum;
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

/** Ticks of each process that can be read, by pid. */
const ticksOf = (pids: number[]) =>
  new Map(pids.flatMap((pid) => {
    const ticks = processTicks(pid);
    return ticks === undefined ? [] : [[pid, ticks] as const];
  }));

/**
 * Ticks the sessions used since `before`: the whole life of a session that started meanwhile (a pool
 * opening a connection), none of one that ended (its last ticks are lost with it).
 */
function sessionTicks(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ticks] of after) sum += ticks - (before.get(pid) ?? 0);
  return sum;
}

/**
 * Starts watching; the function returned answers the CPU use since. `sessionPids` lists the run
 * database's sessions, or answers null when their processes are not on this machine.
 */
export async function watchCpu(serverPids: number[], sessionPids: () => Promise<number[] | null>): Promise<() => Promise<CpuUse>> {
  const startPids = await sessionPids();
  const sessionsStart = startPids && ticksOf(startPids);
  const startedAt = process.hrtime.bigint();
  const ownStart = process.cpuUsage();
  const serverStart = processesTicks(serverPids);
  const machineStart = machineTicks();
  return async () => {
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const own = process.cpuUsage(ownStart);
    const serverEnd = processesTicks(serverPids);
    const machineEnd = machineTicks();
    const endPids = await sessionPids();
    const cores = (ticks: number) => ticks / TICKS_PER_SECOND / seconds;

    const server = serverStart !== undefined && serverEnd !== undefined ? cores(serverEnd - serverStart) : null;
    const database = sessionsStart && endPids ? cores(sessionTicks(sessionsStart, ticksOf(endPids))) : null;
    const loadGenerator = (own.user + own.system) / 1e6 / seconds;
    const machine = machineStart && machineEnd ? { busy: machineEnd.busy - machineStart.busy, total: machineEnd.total - machineStart.total } : null;
    const other = machine && server !== null && database !== null ? Math.max(0, cores(machine.busy) - server - database - loadGenerator) : null;
    return {
      server: server === null ? null : hundredths(server),
      database: database === null ? null : hundredths(database),
      loadGenerator: hundredths(loadGenerator),
      other: other === null ? null : hundredths(other),
      machineBusy: machine ? hundredths(machine.busy / machine.total) : null,
    };
  };
}
