import { DownstreamError } from '../downstream-error';

/** Waits between reads of a session whose checkout answered `SaveInProgress` (about 8 s in all), for a sale or a return. */
export const SETTLE_READ_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];

/** Tessitura answered 404: the session (or order) asked for does not exist (any more). */
export const isNotFound = (err: unknown): boolean => err instanceof DownstreamError && err.status === 404;
