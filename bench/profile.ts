import fs from 'node:fs';
import path from 'node:path';

/** The parts of V8's .cpuprofile format that self time needs. */
type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
};

export type HotSpot = { name: string; selfMs: number; share: number };
export type ProfileSummary = { file: string; totalMs: number; functions: HotSpot[]; packages: HotSpot[] };

const TOP = 15;

/** Where a script comes from: an npm package, Node itself, or the project's own code. */
function origin(url: string, projectRoot: string): string {
  if (url === '') return '(native/V8)';
  if (url.startsWith('node:')) return 'node';
  const file = url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (inPackage) return inPackage[1];
  return path.relative(projectRoot, file).split(path.sep).slice(0, 2).join('/');
}

function top(selfUs: Map<string, number>, totalUs: number): HotSpot[] {
  return [...selfUs.entries()]
    .sort(([, a], [, b]) => b - a)
    .slice(0, TOP)
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), share: us / totalUs }));
}

const add = (totals: Map<string, number>, key: string, us: number) => totals.set(key, (totals.get(key) ?? 0) + us);

/** The functions and the packages where the profiled process spent the most time on its own (self time). */
export function summarizeProfile(file: string, projectRoot: string): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((nodeId, i) => {
    const frame = frames.get(nodeId)!;
    const us = profile.timeDeltas[i] ?? 0;
    if (frame.functionName === '(idle)') return;
    totalUs += us;
    const where = frame.url ? `${frame.url.replace(`file://${projectRoot}/`, '')}:${frame.lineNumber + 1}` : '';
    add(byFunction, [frame.functionName || '(anonymous)', where].filter(Boolean).join(' '), us);
    add(byPackage, origin(frame.url, projectRoot), us);
  });
  return { file, totalMs: Math.round(totalUs / 1000), functions: top(byFunction, totalUs), packages: top(byPackage, totalUs) };
}

export function formatProfile(summary: ProfileSummary): string {
  const line = (spot: HotSpot) => `  ${(spot.share * 100).toFixed(1).padStart(5)}%  ${String(spot.selfMs).padStart(7)} ms  ${spot.name}`;
  return [
    `Gateway CPU profile (${summary.file}): ${summary.totalMs} ms busy, by self time`,
    'Top functions:',
    ...summary.functions.map(line),
    'Top packages:',
    ...summary.packages.map(line),
  ].join('\n');
}
