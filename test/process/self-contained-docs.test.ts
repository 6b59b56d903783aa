import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const trackedFiles = () => execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

describe('the documentation in a clone', () => {
  it('when a file names a document, then never one outside the repository (only tests and CI read the reference documents beside it)', () => {
    const outside = trackedFiles()
      .filter((file) => !file.startsWith('test/') && !file.startsWith('.ci/') && fs.existsSync(path.join(ROOT, file)))
      .filter((file) => /\.\.\/shared\/(?:[A-Z]+\.md|reference)|\b(?:DESIGN|STYLE|DOWNSTREAM)\.md\b/.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));
    expect(outside).toEqual([]);
  });

  it('when README.md or docs/ link to a file, then the file is in the repository', () => {
    const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];
    const broken = pages.flatMap((page) =>
      [...fs.readFileSync(path.join(ROOT, page), 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
        .map(([, target]) => target)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !fs.existsSync(path.resolve(ROOT, path.dirname(page), target)))
        .map((target) => `${page}: ${target}`),
    );
    expect(broken).toEqual([]);
  });
});
