import { Client } from 'pg';

export type BenchDatabase = {
  name: string;
  url: string;
  /** `SELECT version()` of the server, for the results. */
  serverVersion: string;
  /**
   * The process ids of the sessions connected to the database (but the asker's own), or null when the
   * server is not on this machine and its pids mean nothing here.
   */
  sessionPids(): Promise<number[] | null>;
  /** Drops the database, cutting off any session still connected to it. Safe to call twice. */
  drop(): Promise<void>;
};

/** Hosts whose PostgreSQL processes run on this machine, where the bench can read their CPU use. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '']);

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
  const onThisMachine = LOCAL_HOSTS.has(url.hostname);
  let observer: Promise<Client> | undefined;
  const observe = () =>
    (observer ??= (async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      return client;
    })());
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    serverVersion,
    sessionPids: async () => {
      if (!onThisMachine) return null;
      const { rows } = await (await observe()).query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      return rows.map((row) => row.pid);
    },
    drop: () =>
      (dropped ??= (async () => {
        await observer?.then((client) => client.end());
        await onServer(serverUrl, async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
      })()),
  };
}
