import { refusedAddressReason, resolveWebhookHost } from '../../src/features/webhooks/webhook-address';
import { webhookUrlProblem } from '../../src/features/webhooks/webhook-url';

describe('which addresses a webhook may reach', () => {
  describe('when an address is internal or special', () => {
    it.each([
      ['IPv4 loopback', '127.0.0.1'],
      ['IPv4 loopback, elsewhere in 127/8', '127.1.2.3'],
      ['RFC 1918 10/8', '10.0.0.1'],
      ['RFC 1918 172.16/12', '172.16.5.4'],
      ['RFC 1918 192.168/16', '192.168.1.1'],
      ['carrier-grade NAT 100.64/10', '100.64.0.1'],
      ['link-local', '169.254.1.1'],
      ['the cloud metadata service', '169.254.169.254'],
      ['unspecified', '0.0.0.0'],
      ['"this network" 0/8', '0.1.2.3'],
      ['broadcast', '255.255.255.255'],
      ['multicast', '224.0.0.1'],
      ['reserved 240/4', '240.0.0.1'],
      ['documentation 192.0.2/24', '192.0.2.10'],
      ['benchmarking 198.18/15', '198.18.0.1'],
      ['IPv6 loopback', '::1'],
      ['IPv6 unspecified', '::'],
      ['IPv6 link-local', 'fe80::1'],
      ['IPv6 unique-local', 'fd00::1'],
      ['IPv6 unique-local fc00::/7', 'fc12:3456::1'],
      ['IPv6 multicast', 'ff02::1'],
      ['IPv6 site-local (deprecated)', 'fec0::1'],
      ['IPv6 documentation', '2001:db8::1'],
      ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
      ['IPv4-mapped loopback in hex', '::ffff:7f00:1'],
      ['IPv4-mapped metadata service', '::ffff:169.254.169.254'],
      ['IPv4-mapped private', '::ffff:10.0.0.1'],
      ['IPv4-compatible loopback (deprecated ::/96)', '::127.0.0.1'],
      ['NAT64 of a private address', '64:ff9b::10.0.0.1'],
      ['6to4 of loopback', '2002:7f00:1::1'],
      ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
      ['not an address', 'example.com'],
    ])('then %s (%s) is refused', (_name, address) => {
      expect(refusedAddressReason(address)).toEqual(expect.any(String));
    });
  });

  describe('when an address is public unicast', () => {
    it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e', '::ffff:8.8.8.8'])(
      'then %s is allowed',
      (address) => {
        expect(refusedAddressReason(address)).toBeUndefined();
      },
    );
  });

  describe('when a host is resolved', () => {
    it.each(['127.0.0.1', '10.0.0.1', '169.254.169.254', '[::1]', '::1', 'localhost', 'api.localhost'])(
      'then %s is refused without allowPrivate',
      async (host) => {
        await expect(resolveWebhookHost(host, false)).rejects.toMatchObject({ name: 'RefusedAddressError' });
      },
    );

    it('then with allowPrivate the addresses are answered as they are', async () => {
      await expect(resolveWebhookHost('127.0.0.1', true)).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
      await expect(resolveWebhookHost('[::1]', true)).resolves.toEqual([{ address: '::1', family: 6 }]);
      expect((await resolveWebhookHost('localhost', true)).length).toBeGreaterThan(0);
    });
  });
});

describe('which webhook URLs can be registered', () => {
  it.each([
    ['https://hooks.tevo.example/in', undefined],
    ['https://hooks.tevo.example:8443/in?x=1', undefined],
    ['https://93.184.215.14/in', undefined],
    ['https://[2606:4700:4700::1111]/in', undefined],
    ['http://hooks.tevo.example/in', 'must be an https:// URL'],
    ['ftp://hooks.tevo.example/in', 'must be an https:// URL'],
    ['https://user@hooks.tevo.example/in', expect.stringContaining('credentials')],
    ['https://user:pass@hooks.tevo.example/in', expect.stringContaining('credentials')],
    ['https://localhost/in', 'must not point at localhost'],
    ['https://LOCALHOST./in', 'must not point at localhost'],
    ['https://127.0.0.1/in', expect.stringContaining('internal address')],
    ['https://2130706433/in', expect.stringContaining('internal address')],
    ['https://0x7f.1/in', expect.stringContaining('internal address')],
    ['https://[::ffff:127.0.0.1]/in', expect.stringContaining('internal address')],
    ['https://[fe80::1]/in', expect.stringContaining('internal address')],
    ['not a url', 'is not a valid URL'],
  ])('when it is %s, then the problem is %p', (url, problem) => {
    expect(webhookUrlProblem(url, false)).toEqual(problem);
  });

  it('when private URLs are allowed, then http and internal hosts pass, credentials still do not', () => {
    expect(webhookUrlProblem('http://127.0.0.1:8080/in', true)).toBeUndefined();
    expect(webhookUrlProblem('https://localhost/in', true)).toBeUndefined();
    expect(webhookUrlProblem('http://u:p@127.0.0.1/in', true)).toEqual(expect.stringContaining('credentials'));
    expect(webhookUrlProblem('ftp://127.0.0.1/in', true)).toBe('must be an https:// URL');
  });
});
