import net from 'node:net';
import { listingInput, uniqueId } from '../support/fixtures';
import { ledgerViolations } from '../support/ledger-invariants';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

// Generous: the limits below are a few seconds, and CI is a loaded machine.
jest.setTimeout(60_000);

/** What the server sent on a connection until it closed it. */
type RawExchange = { status: number; headers: Record<string, string>; body: string };

/**
 * Opens a connection, sends `first`, then one more `trickle()` piece every 200 ms until the server
 * answers or closes: a client too slow to finish its request. Resolves once the server closed the
 * connection, with what it answered.
 */
function slowClient(port: number, first: string, trickle?: (i: number) => string): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let sending: NodeJS.Timeout | undefined;
    socket.once('connect', () => {
      if (first) socket.write(first);
      if (!trickle) return;
      let i = 0;
      sending = setInterval(() => {
        if (received === '' && socket.writable) socket.write(trickle(i++));
      }, 200);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      clearInterval(sending);
    });
    // A reset after the answer (bytes the client sent while the server closed) changes nothing here.
    socket.on('error', (err) => (received ? undefined : reject(err)));
    socket.once('close', () => {
      clearInterval(sending);
      const [head, body = ''] = received.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0), headers, body });
    });
  });
}

describe('slow clients', () => {
  let t: TestGateway;
  let partner: string;
  let inventory: string;
  let port: number;

  beforeAll(async () => {
    // A request deadline shorter than the request timeout: a body still arriving must be the timeout's to answer.
    // The timeouts leave room for the event loop's pauses on a loaded machine (the first requests compile the
    // validator's schemas): a connection left unread through a pause longer than them would be cut too.
    t = await startTestGateway({ requestDeadlineMs: 500, httpTimeouts: { headersMs: 2_000, requestMs: 4_000 } });
    // One at a time, so that no connection waits unread while the first request compiles.
    partner = await t.createKey('partner', 'tevo');
    inventory = await t.createKey('inventory');
    port = (t.server.address() as net.AddressInfo).port;
  });
  afterEach(async () => expect(await ledgerViolations(t.db.knex)).toEqual([]));
  afterAll(() => t.close());

  /** A 408 request_timeout problem, and the connection closed. */
  function expectRequestTimeout(answer: RawExchange): void {
    expect(answer.status).toBe(408);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers.connection).toBe('close');
    expect(Buffer.byteLength(answer.body)).toBe(Number(answer.headers['content-length']));
    expect(JSON.parse(answer.body)).toMatchObject({ status: 408, code: 'request_timeout', type: 'urn:ticket-gateway:problem:request_timeout' });
  }

  describe('when a client sends a hold body one byte at a time, slower than REQUEST_TIMEOUT_MS allows', () => {
    it('then it gets 408 request_timeout (not 503 deadline_exceeded), is disconnected, and no hold exists', async () => {
      const remoteId = uniqueId('listing');
      await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 4 })).expect(201);
      const globalId = uniqueId('hold');
      const body = JSON.stringify({ global_id: globalId, remote_id: remoteId, quantity: 2 });
      const headers = [
        'POST /v1/holds HTTP/1.1',
        'Host: gateway',
        `X-Api-Key: ${partner}`,
        'X-Request-Id: slow-body',
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
      ];

      // Every byte but the last, one per 200 ms: about 14 s, against a 4 s limit.
      const answer = await slowClient(port, `${headers.join('\r\n')}\r\n\r\n`, (i) => body.slice(0, -1)[i] ?? '');

      expectRequestTimeout(answer);
      expect(answer.headers['x-request-id']).toBe('slow-body');
      expect(JSON.parse(answer.body).instance).toBe('urn:request:slow-body');
      await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', partner).expect(404);
      const { body: listing } = await t.http.get(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).expect(200);
      expect(listing).toMatchObject({ quantity: 4, held: 0, available: 4 });
    });
  });

  describe('when a client is slower than HEADERS_TIMEOUT_MS with its headers', () => {
    it.each([
      ['sends a header line every 200 ms', 'POST /v1/holds HTTP/1.1\r\nHost: gateway\r\n', (i: number) => `X-Slow-${i}: 1\r\n`],
      ['connects and sends nothing', '', undefined],
    ])('then a client that %s gets 408 request_timeout and is disconnected', async (_name, first, trickle) => {
      const answer = await slowClient(port, first, trickle);

      expectRequestTimeout(answer);
      expect(answer.headers['x-request-id']).toBeUndefined();
    });
  });

  describe('when a client sends something that is not HTTP', () => {
    it('then it still gets 400 and is disconnected, as from Node itself', async () => {
      const answer = await slowClient(port, 'NOT HTTP AT ALL\r\n\r\n');

      expect(answer.status).toBe(400);
      expect(answer.headers.connection).toBe('close');
    });
  });
});
