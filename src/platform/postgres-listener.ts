import { Client } from 'pg';
import type { Logger } from 'pino';

const RECONNECT_DELAY_MS = 1_000;

/**
 * Keeps one connection LISTENing on a channel and calls `onNotify` for each notification, so that work
 * committed by another process is picked up at once rather than at the next poll. Reconnects after a
 * drop; polling covers whatever is missed meanwhile.
 */
export class PostgresListener {
  private client?: Client;
  private stopped = false;
  private reconnect?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    this.client = client;
    client.on('notification', () => this.onNotify());
    client.on('error', (err) => this.logger.warn({ err, channel: this.channel }, 'notification connection failed'));
    client.on('end', () => this.scheduleReconnect());
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      this.logger.warn({ err, channel: this.channel }, 'could not listen for notifications; polling meanwhile');
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    await this.client?.end().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.start();
    }, RECONNECT_DELAY_MS);
    this.reconnect.unref();
  }
}
