import request from 'supertest';
import { startTessituraSimulator, type TessituraSimulator } from '../../simulators';
import { basicAuthHeader } from './support/tessitura-client';

describe('Tessitura simulator: HTTP Basic with username:usergroup:location', () => {
  const credentials = { username: 'api', userGroup: 'web', location: 'box', password: 'pa:ss' };
  let tess: TessituraSimulator;

  beforeAll(async () => {
    tess = await startTessituraSimulator({ port: 0, credentials });
  });
  afterAll(() => tess.close());

  const status = (authorization?: string) => {
    const call = request(tess.url).get('/Diagnostics/Status');
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };
  const encoded = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('when the credentials match (a password may hold ":"), then 200', async () => {
    await status(basicAuthHeader(credentials)).expect(200);
  });

  it('when the Authorization header is missing, then 401 with the error array and a Basic challenge', async () => {
    const answer = await status().expect(401);

    expect(answer.headers['www-authenticate']).toMatch(/^Basic/);
    expect(answer.body).toEqual([expect.objectContaining({ Code: 'TESSITURA_UNAUTHORIZED' })]);
  });

  it('when the password or location is wrong, then 401', async () => {
    await status(basicAuthHeader({ ...credentials, password: 'wrong' })).expect(401);
    await status(basicAuthHeader({ ...credentials, location: 'elsewhere' })).expect(401);
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['no base64', 'Basic'],
    ['a user part without usergroup and location', encoded('api:pa')],
    ['an empty usergroup', encoded('api::box:pa')],
  ])('when the header has %s, then 403', async (_case, header) => {
    const answer = await status(header).expect(403);

    expect(answer.body).toEqual([expect.objectContaining({ Code: 'TESSITURA_MALFORMED_AUTHORIZATION' })]);
  });

  it('when a session call lacks credentials, then it is refused before anything happens', async () => {
    await request(tess.url).post('/Web/Session').send({}).expect(401);

    expect(tess.state.sessions()).toHaveLength(0);
  });
});
