import { Client } from 'pg';

export type BenchDatabase = {
  name: string;
  url: string;
  /** `SELECT version()` of the server, for the results. */
  serverVersion: string;
  /** Drops the database, cutting off any session still connected to it. Safe to call twice. */
  drop(): Promise<void>;
};

async function onServer<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named after the run on the server `serverUrl` points to. */
export async function createBenchDatabase(serverUrl: string, runId: string): Promise<BenchDatabase> {
  const name = `ticket_gateway_bench_${runId.replace(/\W/g, '_').toLowerCase()}`;
  const serverVersion = await onServer(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE "${name}"`);
    const { rows } = await client.query<{ version: string }>('SELECT version()');
    return rows[0].version;
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    serverVersion,
    drop: () => (dropped ??= onServer(serverUrl, async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)))),
  };
}
