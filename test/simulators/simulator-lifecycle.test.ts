import { once } from 'node:events';
import { Agent, type ClientRequest, request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { TESSITURA_DEMO_CREDENTIALS, startSalesVuSimulator, startTessituraSimulator } from '../../simulators';
import { DEMO_API_KEY, orderLine, salesVuCall } from './support/salesvu-client';
import { basicAuthHeader, completeSale, tessituraClient } from './support/tessitura-client';

/** A GET; `sent` is told of the request (to listen for its 100 Continue, say). */
function get(url: string, agent: Agent, headers: Record<string, string> = {}, sent: (request: ClientRequest) => void = () => undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { agent, headers: { Authorization: basicAuthHeader(TESSITURA_DEMO_CREDENTIALS), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    request.on('error', reject).end();
    sent(request);
  });
}

describe('Simulator lifecycle and logging', () => {
  it('when closed with a keep-alive connection and a delayed call in flight, then close is prompt', async () => {
    const tess = await startTessituraSimulator({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    await get(`${tess.url}/Diagnostics/Status`, agent);
    // An hour: close returning at all (within the test's time limit) means it did not wait for the call.
    tess.faults.setLatency({ ms: 3_600_000 });
    let delayed!: ClientRequest;
    const inFlight = get(`${tess.url}/Diagnostics/Status`, agent, { Expect: '100-continue' }, (request) => (delayed = request)).catch(
      (error: NodeJS.ErrnoException) => error.code,
    );
    // The simulator answers 100 Continue once it has read the call: from then on the call is in flight there.
    await once(delayed, 'continue');

    await tess.close();

    expect(await inFlight).toBe('ECONNRESET');
    agent.destroy();
  });

  it('when two simulators run at once on port 0, then they get different ports', async () => {
    const [a, b] = await Promise.all([startTessituraSimulator({ port: 0 }), startTessituraSimulator({ port: 0 })]);

    expect(a.url).not.toBe(b.url);
    await Promise.all([a.close(), b.close()]);
  });

  it('when calls are logged, then neither the Authorization header nor the api_key appears', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const tess = await startTessituraSimulator({ port: 0, logger });
    const svu = await startSalesVuSimulator({ port: 0, logger });

    await completeSale(tessituraClient(tess.url));
    await salesVuCall(svu.url, { action: 'create_order', order_details: [orderLine('k')] }).expect(200);
    await Promise.all([tess.close(), svu.close()]);

    const output = lines.join('');
    expect(output).toContain('"operation":"checkout"');
    expect(output).toContain('"operation":"create_order"');
    expect(output).not.toContain(basicAuthHeader(TESSITURA_DEMO_CREDENTIALS).slice('Basic '.length));
    expect(output).not.toContain(TESSITURA_DEMO_CREDENTIALS.password);
    expect(output).not.toContain(DEMO_API_KEY);
  });
});
