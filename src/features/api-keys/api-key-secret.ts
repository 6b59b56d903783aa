import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, recognisable by its prefix in a leaked-secret scan. */
export function generateApiKey(): string {
  return `tg_${randomBytes(32).toString('base64url')}`;
}

/** Keys are random and long, so a fast unsalted hash is enough to make the stored form useless. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
