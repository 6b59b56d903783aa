import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../../src/features/api-keys/api-key-secret';
import { estimateKeyEntropyBits, MIN_KEY_ENTROPY_BITS } from '../../src/features/api-keys/key-entropy';
import { ConfigError, loadConfig } from '../../src/platform/config';

/** The one line start-up would print for this ADMIN_API_KEY, or undefined when it is accepted. */
function refusal(adminApiKey: string): string | undefined {
  try {
    loadConfig({ ADMIN_API_KEY: adminApiKey });
    return undefined;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
}

describe('ADMIN_API_KEY', () => {
  describe('when it is long enough but predictable', () => {
    it.each([
      ['32 identical characters', 'a'.repeat(32)],
      ['a short stretch repeated', 'abc'.repeat(11)],
      ['a longer word repeated', 'Password1'.repeat(4)],
      ['a run of the alphabet', 'abcdefghijklmnopqrstuvwxyz012345'],
      ['a pattern of steps', 'aabbccddeeffgghhiijjkkllmmnnoopp'],
      ['a keyboard row repeated', 'qwertyuiop'.repeat(4)],
      ['few distinct characters', 'abbabaabbaababbaabbababbaababbaaabbabaab'],
      ['one character, then the rest the same', `Z${'0'.repeat(40)}`],
    ])('then %s is refused with one line naming the variable, never the key', (_name, key) => {
      const message = refusal(key);

      expect(message).toMatch(/^Invalid configuration: ADMIN_API_KEY: is too predictable \(under 128 bits/);
      expect(message).not.toContain(key);
      expect(estimateKeyEntropyBits(key)).toBeLessThan(MIN_KEY_ENTROPY_BITS);
    });
  });

  describe('when it is random', () => {
    it('then keys the gateway generates are accepted', () => {
      for (let i = 0; i < 200; i++) expect(refusal(generateApiKey())).toBeUndefined();
    });

    it('then random base64url keys of 32 characters and more are accepted', () => {
      for (let i = 0; i < 500; i++) {
        const key = randomBytes(24 + (i % 16)).toString('base64url');
        expect(key.length).toBeGreaterThanOrEqual(32);
        expect(refusal(key)).toBeUndefined();
      }
    });

    it('then what openssl rand -base64 32 and -hex 32 print is accepted', () => {
      for (let i = 0; i < 200; i++) {
        expect(refusal(randomBytes(32).toString('base64'))).toBeUndefined();
        expect(refusal(randomBytes(32).toString('hex'))).toBeUndefined();
      }
    });
  });

  describe('when it is shorter than 32 characters', () => {
    it('then the length alone is the reason given', () => {
      expect(refusal('tg_short')).toBe('Invalid configuration: ADMIN_API_KEY: must be at least 32 characters');
    });
  });
});
