import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_KEY_FILE, resolveWebhookSecretKey } from '../../src/features/webhooks/webhook-secret-key';
import {
  decryptWebhookSecret,
  encryptWebhookSecret,
  generateWebhookSecret,
  parseWebhookSecretKey,
  WebhookSecretError,
} from '../../src/features/webhooks/webhook-secrets';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { StartupError } from '../../src/platform/startup-error';

const KEY = randomBytes(32);

describe('webhook secrets', () => {
  describe('when a secret is generated', () => {
    it('then it is 256 random bits with a recognisable prefix, different each time', () => {
      const secrets = new Set(Array.from({ length: 100 }, generateWebhookSecret));
      expect(secrets.size).toBe(100);
      for (const secret of secrets) expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    });
  });

  describe('when a secret is encrypted with WEBHOOK_SECRET_KEY', () => {
    const secret = generateWebhookSecret();

    it('then the stored form hides it, differs each time (fresh IV), and decrypts back with the key', () => {
      const stored = [encryptWebhookSecret(secret, KEY), encryptWebhookSecret(secret, KEY)];
      expect(stored[0]).not.toBe(stored[1]);
      for (const form of stored) {
        expect(form).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        expect(form).not.toContain(secret.slice('whsec_'.length, 20));
        expect(decryptWebhookSecret(form, KEY)).toBe(secret);
      }
    });

    it('then another key, or any change to the stored form, cannot decrypt it', () => {
      const stored = encryptWebhookSecret(secret, KEY);
      expect(() => decryptWebhookSecret(stored, randomBytes(32))).toThrow(WebhookSecretError);
      const [version, iv, ciphertext, tag] = stored.split('.');
      const flip = (part: string) => Buffer.from(Buffer.from(part, 'base64url').map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString('base64url');
      for (const altered of [
        [version, flip(iv), ciphertext, tag],
        [version, iv, flip(ciphertext), tag],
        [version, iv, ciphertext, flip(tag)],
        [version, iv, ciphertext, tag.slice(2)],
        ['v2', iv, ciphertext, tag],
        [version, iv, ciphertext],
      ]) {
        expect(() => decryptWebhookSecret(altered.join('.'), KEY)).toThrow(WebhookSecretError);
      }
    });

    it('then the error never carries the key or the secret', () => {
      const stored = encryptWebhookSecret(secret, KEY);
      const other = randomBytes(32);
      const error = (() => {
        try {
          decryptWebhookSecret(stored, other);
        } catch (err) {
          return err as Error;
        }
        throw new Error('decrypted with the wrong key');
      })();
      for (const value of [secret, KEY.toString('base64'), other.toString('base64'), other.toString('hex')]) expect(error.message).not.toContain(value);
    });
  });

  describe('when WEBHOOK_SECRET_KEY is read', () => {
    it.each([
      ['64 hex digits', KEY.toString('hex')],
      ['64 upper-case hex digits', KEY.toString('hex').toUpperCase()],
      ['base64', KEY.toString('base64')],
      ['base64 without padding', KEY.toString('base64').replace(/=+$/, '')],
      ['base64url', KEY.toString('base64url')],
      ['base64 with a trailing newline', `${KEY.toString('base64')}\n`],
    ])('then %s gives the 32 bytes', (_format, text) => {
      expect(parseWebhookSecretKey(text)).toEqual(KEY);
      expect(loadConfig({ WEBHOOK_SECRET_KEY: text }).webhooks.secretKey).toEqual(KEY);
    });

    it.each([
      ['too short (16 bytes)', randomBytes(16).toString('base64')],
      ['too long (33 bytes)', randomBytes(33).toString('base64')],
      ['63 hex digits', KEY.toString('hex').slice(1)],
      ['a passphrase', 'correct horse battery staple, a long enough passphrase'],
      ['base64 with a stray character', `${KEY.toString('base64').slice(0, 42)}!=`],
    ])('then %s stops start-up with one line naming the variable, never its value', (_format, text) => {
      expect(parseWebhookSecretKey(text)).toBeUndefined();
      const load = () => loadConfig({ WEBHOOK_SECRET_KEY: text });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/^Invalid configuration: WEBHOOK_SECRET_KEY: must be 32 bytes, as 64 hex digits or base64/);
      expect(() => load()).not.toThrow(text);
    });

    it('then WEBHOOK_ALLOW_PRIVATE_URLS is false unless it is exactly true, and anything else is refused', () => {
      expect(loadConfig({}).webhooks).toEqual({ secretKey: undefined, allowPrivateUrls: false, timeoutMs: 10_000 });
      expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }).webhooks.allowPrivateUrls).toBe(true);
      expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }).webhooks.allowPrivateUrls).toBe(false);
      expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'yes' })).toThrow(/^Invalid configuration: WEBHOOK_ALLOW_PRIVATE_URLS/);
    });

    it('then WEBHOOK_TIMEOUT_MS bounds a receiver, and the delivery lease must outlast two of them', () => {
      expect(loadConfig({ WEBHOOK_TIMEOUT_MS: '5000' }).webhooks.timeoutMs).toBe(5_000);
      expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '0' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
      expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '60000', DELIVERY_LEASE_MS: '100000', DOWNSTREAM_TIMEOUT_MS: '10000' })).toThrow(
        /DELIVERY_LEASE_MS: must be at least 2 x WEBHOOK_TIMEOUT_MS/,
      );
    });
  });

  describe('when the process finds its key', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-key-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const configFor = (env: Record<string, string>) => loadConfig({ PGLITE_DIR: path.join(dir, 'data'), ...env });

    it('then WEBHOOK_SECRET_KEY is used when set, in production or not, and no file is made', () => {
      for (const NODE_ENV of ['production', 'development']) {
        expect(resolveWebhookSecretKey(configFor({ WEBHOOK_SECRET_KEY: KEY.toString('base64'), NODE_ENV }))).toEqual(KEY);
      }
      expect(fs.existsSync(path.join(dir, 'data', LOCAL_KEY_FILE))).toBe(false);
    });

    it('then production without it refuses to start, naming the variable', () => {
      const resolve = () => resolveWebhookSecretKey(configFor({ NODE_ENV: 'production' }));
      expect(resolve).toThrow(ConfigError);
      expect(resolve).toThrow(/^Invalid configuration: WEBHOOK_SECRET_KEY must be set in production/);
    });

    it('then elsewhere a local key is made once, readable only by its owner, and the same key is found on every later start', () => {
      const first = resolveWebhookSecretKey(configFor({}));
      const file = path.join(dir, 'data', LOCAL_KEY_FILE);

      expect(first).toHaveLength(32);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(resolveWebhookSecretKey(configFor({}))).toEqual(first);
      // What one start encrypted, the next decrypts.
      const stored = encryptWebhookSecret('whsec_kept', first);
      expect(decryptWebhookSecret(stored, resolveWebhookSecretKey(configFor({})))).toBe('whsec_kept');
      expect(fs.readdirSync(path.join(dir, 'data'))).toEqual([LOCAL_KEY_FILE]);
    });

    it('then a damaged local key file stops start-up naming the file', () => {
      fs.mkdirSync(path.join(dir, 'data'));
      fs.writeFileSync(path.join(dir, 'data', LOCAL_KEY_FILE), 'not a key\n');
      expect(() => resolveWebhookSecretKey(configFor({}))).toThrow(StartupError);
      expect(() => resolveWebhookSecretKey(configFor({}))).toThrow(/webhook-secret\.key does not hold a 32-byte key/);
    });

    it('then with in-memory data the key lives in memory too (nothing would survive a restart anyway)', () => {
      const key = resolveWebhookSecretKey(loadConfig({ PGLITE_DIR: 'memory://' }));
      expect(key).toHaveLength(32);
      expect(fs.existsSync('memory:')).toBe(false);
    });
  });
});
