import { Agent, request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { TESSITURA_DEMO_CREDENTIALS, startSalesVuSimulator, startTessituraSimulator } from '../../simulators';
import { DEMO_API_KEY, orderLine, salesVuCall } from './support/salesvu-client';
import { basicAuthHeader, completeSale, tessituraClient } from './support/tessitura-client';

function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { agent, headers: { Authorization: basicAuthHeader(TESSITURA_DEMO_CREDENTIALS) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('Simulator lifecycle and logging', () => {
  it('when closed with a keep-alive connection and a delayed call in flight, then close is prompt', async () => {
    const tess = await startTessituraSimulator({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    await get(`${tess.url}/Diagnostics/Status`, agent);
    tess.faults.setLatency({ ms: 10_000 });
    const inFlight = get(`${tess.url}/Diagnostics/Status`, agent).catch((error: NodeJS.ErrnoException) => error.code);

    const started = Date.now();
    await tess.close();

    expect(Date.now() - started).toBeLessThan(1000);
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
