import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from './startup-error';

const LOCK_FILE = 'gateway.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a data folder for this process. PGlite serves one process at a time, and two opening the same
 * folder would corrupt it; a lock left by a process that is gone is taken over. Answers the release.
 */
export function lockDirectory(dir: string): () => void {
  const lockPath = path.join(dir, LOCK_FILE);
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder !== process.pid && isRunning(holder)) {
        throw new StartupError(
          `PGLITE_DIR: the PGlite data folder ${dir} is in use by process ${holder}. PGlite serves one process: stop ` +
            'that one, set PGLITE_DIR to another folder, or set DATABASE_URL to share a PostgreSQL database.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
}
