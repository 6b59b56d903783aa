import fs from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, whether the code runs from src/ (tsx, jest) or from dist/. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
