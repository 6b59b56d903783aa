import { removePgliteTemplate } from './pglite-template';
import { maintenanceConnection, templateName } from './test-database';

/** Drops any clone a crashed test file left behind, or the run's PGlite template. */
export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return removePgliteTemplate();
  const admin = maintenanceConnection(url);
  try {
    const { rows } = await admin.raw<{ rows: { datname: string }[] }>(
      "SELECT datname FROM pg_database WHERE datname LIKE ? || '\\_%'",
      [templateName(url)],
    );
    for (const { datname } of rows) await admin.raw(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
}
