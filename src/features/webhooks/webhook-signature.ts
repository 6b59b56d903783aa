import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header each webhook request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const SIGNATURE_HEADER = 'Gateway-Signature';
/** How old a signature a receiver should accept, by default: older ones may be replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number | string, rawBody: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();

/**
 * The `Gateway-Signature` value for this body, signed at `unixSeconds` with each secret in turn (the current
 * one first; the one before a rotation too, while it is honoured), one `v1` each.
 */
export function signWebhook(secrets: readonly string[], rawBody: string | Buffer, unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0) throw new RangeError('unixSeconds must be a whole number of seconds');
  if (secrets.length === 0) throw new RangeError('a webhook is signed with at least one secret');
  return [`t=${unixSeconds}`, ...secrets.map((secret) => `v1=${hmac(secret, unixSeconds, rawBody).toString('hex')}`)].join(',');
}

export type VerifyOptions = {
  /** Refuse signatures made longer ago (or further ahead) than this. */
  toleranceSeconds?: number;
  /** The receiver's clock, in unix seconds. */
  now?: number;
};

/**
 * What a receiver does: true only for a well-formed header whose timestamp is within the tolerance and
 * one of whose `v1` signatures is the body's, compared in constant time.
 */
export function verifyWebhookSignature(header: string | undefined, rawBody: string | Buffer, secret: string, options: VerifyOptions = {}): boolean {
  const { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Math.floor(Date.now() / 1000) } = options;
  if (typeof header !== 'string' || header.length > 1024) return false;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [name, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) return false;
    if (name === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return false;
      timestamp = value;
    } else if (name === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return false;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) return false;
  const expected = hmac(secret, timestamp, rawBody);
  return signatures.some((signature) => timingSafeEqual(signature, expected));
}
