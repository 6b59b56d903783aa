import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderChart } from './chart';
import type { BenchOptions } from './options';
import type { ProfileSummary } from './profile';
import type { ScenarioResult } from './summary';

export type ResultsDocument = {
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** False when a measurement had more than 1% non-2xx answers or errors: its figures are not to be trusted. */
  valid: boolean;
  settings: Omit<BenchOptions, 'serverUrl' | 'scenarios'> & { server: string };
  environment: {
    gatewayCommit: string;
    node: string;
    cpus: string;
    postgres: string;
    /** The machine's busy share just before the run: other work competing for the CPUs. */
    busyBeforeRun: number | null;
  };
  scenarios: ScenarioResult[];
  profile?: ProfileSummary;
};

/** The commit the gateway was built from, marked `-dirty` when src/ or migrations/ had changes on top. */
function gatewayCommit(projectRoot: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
  try {
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', 'src', 'migrations') ? '-dirty' : '');
  } catch {
    return 'unknown';
  }
}

export function describeEnvironment(
  projectRoot: string,
  postgresVersion: string,
  busyBeforeRun: number | null,
): ResultsDocument['environment'] {
  const cpus = os.cpus();
  return {
    gatewayCommit: gatewayCommit(projectRoot),
    node: process.version,
    cpus: `${cpus.length} x ${cpus[0]?.model ?? 'unknown'}`,
    postgres: postgresVersion,
    busyBeforeRun,
  };
}

/** Writes `<runId>.json`, and the same as `latest.json` with its chart as `latest.svg`; answers the paths. */
export function writeResults(dir: string, document: ResultsDocument): string[] {
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const title = `run ${document.runId}, gateway ${document.environment.gatewayCommit}, ${document.settings.rounds} rounds x ${document.settings.seconds} s, ${document.settings.connections} connections${document.settings.traces ? ', tracing on' : ''}${document.valid ? '' : ' (INVALID: too many failures)'}`;
  const files: [string, string][] = [
    [path.join(dir, `${document.runId}.json`), json],
    [path.join(dir, 'latest.json'), json],
    [path.join(dir, 'latest.svg'), renderChart(document.scenarios, title)],
  ];
  for (const [file, content] of files) fs.writeFileSync(file, content);
  return files.map(([file]) => file);
}
