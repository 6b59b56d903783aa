import { DownstreamError } from '../../src/downstream/downstream-error';
import { sendWebhook, WebhookRefusedError, type WebhookRequest } from '../../src/features/webhooks/webhook-request';
import { signWebhook, verifyWebhookSignature } from '../../src/features/webhooks/webhook-signature';
import { startWebhookReceiver } from '../support/webhook-receiver';

const failureOf = (request: Promise<unknown>) => request.then(() => undefined, (err: unknown) => err);
const BODY = JSON.stringify({ id: 'evt_1', type: 'hold.expired', created_at: '2026-12-02T10:00:00.000Z', data: { global_id: 'tevo-1', note: 'naïve' } });
const send = (request: Partial<WebhookRequest> & { url: string }) => sendWebhook({ body: BODY, allowPrivate: true, timeoutMs: 10_000, ...request });

describe('sending a webhook', () => {
  describe('when the URL or its address is refused (private URLs not allowed)', () => {
    it.each([
      'https://127.0.0.1/',
      'https://10.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[fd00::1]/',
      'https://localhost/',
      'https://0x7f000001/',
      'http://hooks.partner.example/',
      'https://user:pass@hooks.partner.example/',
      'not a url',
    ])('then %s is a permanent WebhookRefusedError, and nothing is sent', async (url) => {
      const error = await failureOf(sendWebhook({ url, body: BODY, allowPrivate: false, timeoutMs: 10_000 }));
      expect(error).toBeInstanceOf(WebhookRefusedError);
      expect(error).toBeInstanceOf(DownstreamError);
      expect(error).toMatchObject({ permanent: true, target: 'webhook' });
    });

    it('then a loopback receiver really listening gets nothing', async () => {
      const receiver = await startWebhookReceiver((_req, res) => res.writeHead(200).end());
      try {
        const error = await failureOf(sendWebhook({ url: receiver.origin.replace('http:', 'https:'), body: BODY, allowPrivate: false, timeoutMs: 10_000 }));
        expect(error).toMatchObject({ permanent: true });
        expect(receiver.received).toEqual([]);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('when the receiver answers 2xx (allowPrivate, http on loopback)', () => {
    it('then it is delivered: the body byte for byte, JSON, the signature header as given', async () => {
      const receiver = await startWebhookReceiver((_req, res) => res.writeHead(202).end('ok'));
      try {
        const secret = 'whsec_test';
        const t = Math.floor(Date.now() / 1000);
        const answer = await send({ url: `${receiver.origin}/hooks/in?source=gateway`, headers: { 'Gateway-Signature': signWebhook([secret], BODY, t) } });

        expect(answer).toEqual({ status: 202 });
        const [got] = receiver.received;
        expect(got).toMatchObject({ method: 'POST', url: '/hooks/in?source=gateway', body: BODY });
        expect(got.headers['content-type']).toBe('application/json');
        expect(got.headers['content-length']).toBe(String(Buffer.byteLength(BODY)));
        expect(verifyWebhookSignature(got.headers['gateway-signature'] as string, got.body, secret)).toBe(true);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('when the receiver answers a redirect', () => {
    it('then it is not followed: a retryable failure naming the redirect, and the redirect target gets nothing', async () => {
      const target = await startWebhookReceiver((_req, res) => res.writeHead(200).end());
      const redirecting = await startWebhookReceiver((_req, res) => res.writeHead(302, { Location: `${target.origin}/elsewhere` }).end());
      try {
        const error = await failureOf(send({ url: `${redirecting.origin}/in` }));

        expect(error).toBeInstanceOf(DownstreamError);
        expect(error).toMatchObject({ permanent: false, status: 302, target: 'webhook' });
        expect((error as Error).message).toMatch(/HTTP 302: a redirect, not followed/);
        expect(redirecting.received).toHaveLength(1);
        expect(target.received).toEqual([]);
      } finally {
        await Promise.all([target.close(), redirecting.close()]);
      }
    });
  });

  describe('when the receiver answers anything else', () => {
    it.each([400, 404, 410, 429, 500, 503])('then %i is a retryable failure with its status and an excerpt of the answer', async (status) => {
      const receiver = await startWebhookReceiver((_req, res) => res.writeHead(status).end(`nope\u0000 ${'x'.repeat(1_000)}`));
      try {
        const error = await failureOf(send({ url: receiver.origin }));
        expect(error).toBeInstanceOf(DownstreamError);
        expect(error).not.toBeInstanceOf(WebhookRefusedError);
        expect(error).toMatchObject({ permanent: false, status });
        expect((error as Error).message).toMatch(new RegExp(`^POST http://127\\.0\\.0\\.1:\\d+: HTTP ${status}: nope x+$`));
        expect((error as Error).message.length).toBeLessThan(300);
      } finally {
        await receiver.close();
      }
    });

    it('then an endless answer is read no further than 64 KB', async () => {
      const receiver = await startWebhookReceiver((_req, res) => {
        res.writeHead(500);
        const chunk = 'y'.repeat(16 * 1024);
        const pump = () => {
          while (res.write(chunk)) if (res.destroyed) return;
          res.once('drain', pump);
        };
        pump();
        res.on('error', () => undefined);
      });
      try {
        await expect(send({ url: receiver.origin })).rejects.toMatchObject({ status: 500 });
      } finally {
        await receiver.close();
      }
    });
  });

  describe('when nothing answers', () => {
    it('then no answer within the time limit is a retryable failure saying so', async () => {
      const receiver = await startWebhookReceiver(() => undefined);
      try {
        const error = await failureOf(send({ url: receiver.origin, timeoutMs: 1_000 }));
        expect(error).toMatchObject({ permanent: false, status: undefined });
        expect((error as Error).message).toMatch(/no answer within 1000 ms/);
      } finally {
        await receiver.close();
      }
    });

    it('then a refused connection is a retryable failure', async () => {
      const receiver = await startWebhookReceiver((_req, res) => res.end());
      await receiver.close();
      const error = await failureOf(send({ url: receiver.origin }));
      expect(error).toBeInstanceOf(DownstreamError);
      expect(error).toMatchObject({ permanent: false });
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    });

    it('then a caller\'s abort (shutdown) stops the call at once', async () => {
      const receiver = await startWebhookReceiver(() => undefined);
      try {
        const controller = new AbortController();
        const sending = failureOf(send({ url: receiver.origin, timeoutMs: 60_000, signal: controller.signal }));
        while (receiver.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
        controller.abort();
        expect(await sending).toMatchObject({ permanent: false, target: 'webhook' });
      } finally {
        await receiver.close();
      }
    });
  });
});
