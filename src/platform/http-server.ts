import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** In-flight requests get this long to finish on shutdown before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

export type RunningServer = { port: number; server: Server; close(): Promise<void> };

/** Listens on `port` (0 picks a free one); `close()` stops accepting, lets in-flight requests finish. */
export async function startHttpServer(app: Express, port: number, host?: string): Promise<RunningServer> {
  let closing = false;
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host ?? '0.0.0.0', () => resolve(listening)).once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  // Once closing, every answer tells the client to reconnect elsewhere, so that keep-alive sockets drain.
  server.prependListener('request', (_req, res) => {
    if (closing) res.setHeader('Connection', 'close');
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () => {
      closing = true;
      return new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
        server.close((err) => {
          clearTimeout(cut);
          return err ? reject(err) : resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
