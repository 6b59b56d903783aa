import type { Express } from 'express';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export interface Listener {
  /** e.g. http://127.0.0.1:54321 */
  origin: string;
  /** Stops accepting and destroys open (keep-alive or in-flight) connections, so it returns promptly. */
  close(): Promise<void>;
}

export function listen(app: Express, { port = 0, host = '127.0.0.1' }: ListenOptions): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port: boundPort } = server.address() as AddressInfo;
      const hostPart = host.includes(':') ? `[${host}]` : host;
      resolve({
        origin: `http://${hostPart}:${boundPort}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
