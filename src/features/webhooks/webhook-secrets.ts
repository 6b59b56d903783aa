import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The stored form's version, so that a later scheme (or key rotation) can tell old rows apart. */
const VERSION = 'v1';

/** 256 random bits, recognisable by its prefix in a leaked-secret scan. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** WEBHOOK_SECRET_KEY: 32 bytes as 64 hex digits, or as base64 (standard or URL-safe); undefined if it is neither. */
export function parseWebhookSecretKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}

/** `v1.<iv>.<ciphertext>.<tag>`, each base64url: a fresh 96-bit IV per secret, so one key serves every row. */
export function encryptWebhookSecret(secret: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The secret back; throws when the stored form was altered or was encrypted with another key. */
export function decryptWebhookSecret(stored: string, key: Buffer): string {
  const [version, iv, ciphertext, tag, ...rest] = stored.split('.');
  if (version !== VERSION || rest.length > 0 || iv === undefined || ciphertext === undefined || tag === undefined) {
    throw new WebhookSecretError('the stored webhook secret is not in a form this gateway knows');
  }
  const tagBytes = Buffer.from(tag, 'base64url');
  if (tagBytes.length !== TAG_BYTES) throw new WebhookSecretError('the stored webhook secret is damaged');
  const decipher = createDecipheriv(CIPHER, key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tagBytes);
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new WebhookSecretError('WEBHOOK_SECRET_KEY cannot decrypt the stored webhook secret (was the key changed?)');
  }
}

/** A stored secret that cannot be read back: never the secret nor the key in the message. */
export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}
