import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { lookup } from 'node:dns/promises';
import { resolveWebhookHost } from '../../src/features/webhooks/webhook-address';
import { sendWebhook, WebhookRefusedError } from '../../src/features/webhooks/webhook-request';

// Names under .example never resolve for real: what they resolve to here is what these tests say.
jest.mock('node:dns/promises', () => ({ lookup: jest.fn() }));
const mockedLookup = lookup as unknown as jest.Mock;
const answers = (...addresses: string[]) => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook hosts, by what their names resolve to', () => {
  beforeEach(() => mockedLookup.mockReset());

  it.each([
    ['loopback', ['127.0.0.1']],
    ['IPv6 loopback', ['::1']],
    ['a private address', ['10.1.2.3']],
    ['the metadata service', ['169.254.169.254']],
    ['an IPv4-mapped loopback', ['::ffff:127.0.0.1']],
    ['a public address and a loopback one', ['93.184.215.14', '127.0.0.1']],
    ['a public address and a unique-local one', ['2606:4700:4700::1111', 'fd12::1']],
    ['nothing', []],
  ])('when a name resolves to %s, then it is refused', async (_case, addresses) => {
    mockedLookup.mockResolvedValue(answers(...addresses));
    await expect(resolveWebhookHost('hooks.partner.example', false)).rejects.toMatchObject({ name: 'RefusedAddressError' });
    expect(mockedLookup).toHaveBeenCalledWith('hooks.partner.example', { all: true, verbatim: true });
  });

  it('when a name resolves to public addresses only, then all of them are answered', async () => {
    mockedLookup.mockResolvedValue(answers('93.184.215.14', '2606:4700:4700::1111'));
    await expect(resolveWebhookHost('hooks.partner.example', false)).resolves.toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
  });

  it('when sending to a name that resolves to loopback, then it is a permanent refusal and nothing is sent', async () => {
    mockedLookup.mockResolvedValue(answers('127.0.0.1'));
    const error = await sendWebhook({ url: 'https://hooks.partner.example/in', body: '{}', allowPrivate: false, timeoutMs: 10_000 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WebhookRefusedError);
    expect(error).toMatchObject({ permanent: true, target: 'webhook' });
  });

  describe('when a name is checked and then connected to (allowPrivate, a server on loopback)', () => {
    let server: http.Server;
    let port: number;
    const hosts: (string | undefined)[] = [];

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        hosts.push(req.headers.host);
        req.resume();
        res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('then the connection goes to the address that was checked, the name resolved once (no second lookup to rebind)', async () => {
      mockedLookup.mockResolvedValueOnce(answers('127.0.0.1')).mockResolvedValue(answers('10.9.9.9'));

      const answer = await sendWebhook({ url: `http://hooks.partner.example:${port}/in`, body: '{}', allowPrivate: true, timeoutMs: 10_000 });

      expect(answer).toEqual({ status: 204 });
      expect(mockedLookup).toHaveBeenCalledTimes(1);
      expect(hosts).toEqual([`hooks.partner.example:${port}`]);
    });
  });
});
