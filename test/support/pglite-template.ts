import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { migrateToLatest } from '../../src/platform/migrations';

/**
 * A migrated PGlite made once per test run, as PostgreSQL's template database is: a new PGlite runs
 * initdb in WebAssembly and then every migration, several seconds per test file on a loaded machine.
 * The global setup leaves its folder (for gateway processes, which open a copy) and a dump of it (which an
 * in-memory PGlite loads) where PGLITE_TEMPLATE names.
 */
const TEMPLATE_VARIABLE = 'PGLITE_TEMPLATE';

type Template = { dir: string; dump: string };

const templateAt = (base: string): Template => ({ dir: path.join(base, 'data'), dump: path.join(base, 'data.tar') });

export const pgliteKnex = (pglite: PGlite): Knex => knexFactory({ client: ClientPgLite, connection: { pglite } } as Knex.Config);

export async function createPgliteTemplate(): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-pglite-template-'));
  const template = templateAt(base);
  const pglite = new PGlite(template.dir);
  const knex = pgliteKnex(pglite);
  try {
    await migrateToLatest(knex);
    const dump = await pglite.dumpDataDir('none');
    fs.writeFileSync(template.dump, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await knex.destroy();
  }
  process.env[TEMPLATE_VARIABLE] = base;
}

export function removePgliteTemplate(): void {
  const base = process.env[TEMPLATE_VARIABLE];
  if (base) fs.rmSync(base, { recursive: true, force: true });
}

/** The run's template, when the global setup made one (a file run without it migrates its own). */
function runTemplate(): Template | undefined {
  const base = process.env[TEMPLATE_VARIABLE];
  return base ? templateAt(base) : undefined;
}

/** An in-memory PGlite, migrated: loaded from the run's template, or migrated here. */
export async function migratedPgliteInMemory(): Promise<Knex> {
  const template = runTemplate();
  if (!template) {
    const knex = pgliteKnex(new PGlite());
    await migrateToLatest(knex);
    return knex;
  }
  return pgliteKnex(new PGlite({ loadDataDir: new Blob([fs.readFileSync(template.dump)]) }));
}

/** Fills `dir` with a copy of the run's migrated template, if there is one (else the gateway migrates it). */
export function copyPgliteTemplate(dir: string): void {
  const template = runTemplate();
  if (template) fs.cpSync(template.dir, dir, { recursive: true });
}
