import { randomBytes } from 'node:crypto';
import { isSaved, type LineItem, type WebSession } from './web-session';

export interface SessionTimeouts {
  /** A session expires after this long without a call. */
  sessionTtlMs: number;
  /** A seat reservation is released this long after it was made, unless the cart was checked out. */
  reservationTtlMs: number;
}

/**
 * Live web sessions. Expiry is applied on every lookup (so an expired session is gone even before the
 * periodic sweep runs) and by `sweep()`, which the cleanup timer calls.
 */
export class SessionStore {
  private sessions = new Map<string, WebSession>();

  constructor(
    private readonly timeouts: SessionTimeouts,
    private readonly releaseSeats: (lineItem: LineItem) => void,
  ) {}

  create(fields: Pick<WebSession, 'businessUnitId' | 'organization' | 'businessFacing' | 'properties'>): WebSession {
    const now = Date.now();
    const session: WebSession = {
      ...fields,
      key: randomBytes(16).toString('hex').toUpperCase(),
      createdAt: now,
      lastActivityAt: now,
      lineItems: [],
      payments: [],
      seatsExpired: false,
    };
    this.sessions.set(session.key, session);
    return session;
  }

  /** The live session (its activity time refreshed), or undefined when unknown or expired. */
  use(key: string): WebSession | undefined {
    const session = this.sessions.get(key);
    if (!session || this.expire(session, Date.now())) return undefined;
    session.lastActivityAt = Date.now();
    return session;
  }

  sweep(): void {
    const now = Date.now();
    for (const session of this.sessions.values()) this.expire(session, now);
  }

  all(): WebSession[] {
    this.sweep();
    return [...this.sessions.values()];
  }

  clear(): void {
    this.sessions.clear();
  }

  /** Applies both timeouts; true when the whole session is gone. */
  private expire(session: WebSession, now: number): boolean {
    const live = isSaved(session) ? [] : session.lineItems;
    if (now - session.lastActivityAt >= this.timeouts.sessionTtlMs) {
      live.forEach(this.releaseSeats);
      this.sessions.delete(session.key);
      return true;
    }
    const expired = live.filter((item) => now - item.reservedAt >= this.timeouts.reservationTtlMs);
    if (expired.length > 0) {
      expired.forEach(this.releaseSeats);
      session.lineItems = session.lineItems.filter((item) => !expired.includes(item));
      session.seatsExpired = true;
    }
    return false;
  }
}
