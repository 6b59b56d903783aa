import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { outsideRequest } from '../../platform/request-context';

/** The PostgreSQL channel on which processes tell each other's dispatchers that deliveries are due. */
export const DELIVERIES_CHANNEL = 'ticket_gateway_deliveries';
/** At most one NOTIFY per this long: a NOTIFY in every invoice's commit would serialize commits on
 * PostgreSQL's notification lock, and another process's dispatcher may well wait 100 ms. */
const NOTIFY_INTERVAL_MS = 100;

/**
 * Says "deliveries are due": at once to this process's dispatcher, and to other processes' through
 * LISTEN/NOTIFY on PostgreSQL (PGlite serves this process only).
 */
export class DeliveriesSignal {
  private pending?: NodeJS.Timeout;

  constructor(
    private readonly db: Knex,
    private readonly notifyOtherProcesses: boolean,
    private readonly wakeLocalDispatcher: () => void,
    private readonly logger: Logger,
  ) {}

  raise(): void {
    outsideRequest(() => {
      this.wakeLocalDispatcher();
      if (!this.notifyOtherProcesses || this.pending) return;
      this.pending = setTimeout(() => {
        this.pending = undefined;
        this.db
          .raw('SELECT pg_notify(?, ?)', [DELIVERIES_CHANNEL, ''])
          .catch((err: unknown) => this.logger.warn({ err }, 'could not notify other dispatchers; they will poll'));
      }, NOTIFY_INTERVAL_MS);
      this.pending.unref();
    });
  }
}
