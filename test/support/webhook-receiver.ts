import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedWebhook = { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string };
export type Respond = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export type WebhookReceiver = {
  /** e.g. http://127.0.0.1:54321 */
  origin: string;
  /** Where a test registers it: the origin's /hooks. */
  url: string;
  received: ReceivedWebhook[];
  /** How the next requests are answered (200 until told otherwise). */
  answerWith(respond: Respond): void;
  close(): Promise<void>;
};

/** A partner's receiver on loopback: answers as told and records every request it read whole. */
export async function startWebhookReceiver(respond: Respond = (_req, res) => res.writeHead(200).end()): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let answer = respond;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/hooks`,
    received,
    answerWith: (next) => (answer = next),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
