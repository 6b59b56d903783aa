import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
/** The image's own stage, after the build stage. */
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.join(dir, file));
}

/** The modules a file loads once compiled: type-only imports are gone by then. */
function runtimeImports(file: string): string[] {
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  return [...outputText.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
}

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** What the image holds: the compiled gateway and its migrations. */
const productionFiles = () => [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'migrations'))];

describe('the production image (Dockerfile, npm prune --omit=dev)', () => {
  it('when the gateway or a migration loads a package at run time, then it is a production dependency', () => {
    const missing = productionFiles().flatMap((file) =>
      runtimeImports(file)
        .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
        .map(packageName)
        .filter((name) => !(name in packageJson.dependencies))
        .map((name) => `${path.relative(ROOT, file)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('when the gateway or a migration imports, then never a simulator, and the image copies none', () => {
    const simulatorImports = productionFiles().filter((file) =>
      runtimeImports(file).some((specifier) => path.resolve(path.dirname(file), specifier).startsWith(path.join(ROOT, 'simulators'))),
    );
    expect(simulatorImports).toEqual([]);
    expect(dockerfile).not.toMatch(/^COPY .*simulators/m);
  });

  it('when an operator runs npm run cli, migrate or worker there, then node runs compiled files and the build is a pre-script the image skips', () => {
    for (const script of ['cli', 'migrate', 'worker']) {
      expect(packageJson.scripts[script]).toMatch(/^node dist\//);
      expect(packageJson.scripts[`pre${script}`]).toMatch(/^npm run build/);
    }
    expect(runtimeStage).toMatch(/^ENV [^#]*npm_config_ignore_scripts=true/m);
  });
});
