import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signWebhook, verifyWebhookSignature } from '../../src/features/webhooks/webhook-signature';

const SECRET = 'whsec_dGVzdC1zZWNyZXQtdGhhdC1pcy1ub3QtdXNlZC1hbnl3aGVyZQ';
const BODY = JSON.stringify({ id: 'evt_1', type: 'sale.recorded', created_at: '2026-12-02T10:00:00.000Z', data: { order_id: 81234, note: 'café ✓' } });
const NOW = 1_796_000_000;

/** The receiver the README shows, run as written. */
function readmeVerifier(): (header: string | undefined, rawBody: string | Buffer, secret: string, toleranceSeconds?: number) => boolean {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Verifying a webhook.**'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('the README has no receiver snippet under "Verifying a webhook"');
  return new Function('require', `${code}\nreturn verifyGatewaySignature;`)(require);
}

describe('the Gateway-Signature header', () => {
  describe('when a body is signed', () => {
    it('then the header is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">', () => {
      const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`, 'utf8').digest('hex');
      expect(signWebhook([SECRET], BODY, NOW)).toBe(`t=${NOW},v1=${expected}`);
      expect(signWebhook([SECRET], Buffer.from(BODY), NOW)).toBe(`t=${NOW},v1=${expected}`);
    });

    it('then a timestamp that is not whole seconds is refused', () => {
      expect(() => signWebhook([SECRET], BODY, 1.5)).toThrow(RangeError);
      expect(() => signWebhook([SECRET], BODY, Date.now())).not.toThrow();
    });
  });

  describe('when a receiver verifies it', () => {
    const header = signWebhook([SECRET], BODY, NOW);

    it('then a fresh, untouched request passes, within the tolerance either way', () => {
      expect(verifyWebhookSignature(header, BODY, SECRET, { now: NOW })).toBe(true);
      expect(verifyWebhookSignature(header, Buffer.from(BODY), SECRET, { now: NOW + 300 })).toBe(true);
      expect(verifyWebhookSignature(header, BODY, SECRET, { now: NOW - 300 })).toBe(true);
    });

    it('then a replay with an old timestamp fails, and so does one from the future', () => {
      expect(verifyWebhookSignature(header, BODY, SECRET, { now: NOW + 301 })).toBe(false);
      expect(verifyWebhookSignature(header, BODY, SECRET, { now: NOW - 301 })).toBe(false);
      expect(verifyWebhookSignature(header, BODY, SECRET, { now: NOW + 3_600, toleranceSeconds: 3_600 })).toBe(true);
      // Re-dating the old signature does not help: the timestamp is signed.
      expect(verifyWebhookSignature(header.replace(`t=${NOW}`, `t=${NOW + 3_600}`), BODY, SECRET, { now: NOW + 3_600 })).toBe(false);
    });

    it('then a forged signature, another secret, or a changed body fails', () => {
      const forged = header.replace(/v1=([0-9a-f])/, (_m, c: string) => `v1=${c === '0' ? '1' : '0'}`);
      expect(verifyWebhookSignature(forged, BODY, SECRET, { now: NOW })).toBe(false);
      expect(verifyWebhookSignature(header, BODY, `${SECRET}x`, { now: NOW })).toBe(false);
      expect(verifyWebhookSignature(header, BODY.replace('81234', '81235'), SECRET, { now: NOW })).toBe(false);
      expect(verifyWebhookSignature(header, `${BODY} `, SECRET, { now: NOW })).toBe(false);
    });

    it.each([
      ['no header', undefined],
      ['an empty header', ''],
      ['no timestamp', header.replace(/^t=\d+,/, '')],
      ['no signature', `t=${NOW}`],
      ['a short signature', `${header.slice(0, -2)}`],
      ['an upper-case signature', header.toUpperCase().replace('T=', 't=').replace('V1=', 'v1=')],
      ['a non-numeric timestamp', header.replace(`t=${NOW}`, 't=soon')],
      ['a negative timestamp', header.replace(`t=${NOW}`, `t=-${NOW}`)],
      ['two timestamps', `t=${NOW},${header}`],
      ['a field with two equals signs', `${header}=`],
      ['garbage', 'not a signature at all'],
      ['an overlong header', `${header},${'x=y,'.repeat(300)}`],
    ])('then %s fails, without throwing', (_case, value) => {
      expect(verifyWebhookSignature(value, BODY, SECRET, { now: NOW })).toBe(false);
    });

    it('then fields it does not know are ignored, and any one of several v1 signatures may match (a secret being rotated)', () => {
      const other = signWebhook(['another-secret'], BODY, NOW).split(',')[1];
      expect(verifyWebhookSignature(`${header},v0=abc`, BODY, SECRET, { now: NOW })).toBe(true);
      expect(verifyWebhookSignature(`t=${NOW},${other},${header.split(',')[1]}`, BODY, SECRET, { now: NOW })).toBe(true);
    });
  });

  describe('when the README\'s receiver (node:crypto only) checks what the gateway signs', () => {
    const verify = readmeVerifier();
    const nowSeconds = () => Math.floor(Date.now() / 1000);

    it('then it agrees with signWebhook on a fresh request', () => {
      const header = signWebhook([SECRET], BODY, nowSeconds());
      expect(verify(header, Buffer.from(BODY), SECRET)).toBe(true);
      expect(verify(header, BODY, SECRET)).toBe(true);
    });

    it('then, while a secret is rotated, either secret verifies a request signed with both, and no other does', () => {
      const header = signWebhook(['whsec_new', SECRET], BODY, nowSeconds());
      expect([verify(header, BODY, 'whsec_new'), verify(header, BODY, SECRET), verify(header, BODY, 'whsec_other')]).toEqual([true, true, false]);
    });

    it('then it refuses what verifyWebhookSignature refuses: a replay, a forgery, another body, a malformed header', () => {
      const now = nowSeconds();
      const fresh = signWebhook([SECRET], BODY, now);
      const cases: [string | undefined, string][] = [
        [signWebhook([SECRET], BODY, now - 301), BODY],
        [signWebhook([`${SECRET}x`], BODY, now), BODY],
        [fresh, BODY.replace('81234', '81235')],
        [fresh.replace(/v1=[0-9a-f]{2}/, 'v1=zz'), BODY],
        [`t=${now}`, BODY],
        ['', BODY],
        [undefined, BODY],
      ];
      for (const [header, body] of cases) {
        expect({ header, readme: verify(header, body, SECRET) }).toEqual({ header, readme: false });
        expect(verifyWebhookSignature(header, body, SECRET)).toBe(false);
      }
    });
  });
});
