import type { ServerResponse } from 'node:http';
import { isPublicAddress, outboundRequest, OutboundRequestError, type OutboundRequestErrorCode } from '#config';
import { startHttpPeer, type HttpPeer, type PeerRequest } from '../support/http-peer.js';

/**
 * The one outbound HTTP helper. Every server here listens on 127.0.0.1; nothing leaves the machine. "Received
 * nothing" is asserted on TCP connections, not only on requests, so a refused call provably never connected.
 */

type TestServer = HttpPeer;

/** A peer whose `handler` writes each answer itself (some stall, some cut the connection). */
function startServer(handler: (request: PeerRequest, res: ServerResponse, body: string) => void): Promise<TestServer> {
  return startHttpPeer({
    respond: (request, res) => {
      handler(request, res, request.body);
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<OutboundRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundRequestError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

async function expectCode(promise: Promise<unknown>, code: OutboundRequestErrorCode): Promise<OutboundRequestError> {
  const error = await failure(promise);
  expect(error.code).toBe(code);
  return error;
}

describe('isPublicAddress', () => {
  it.each([
    ['10.0.0.1', 'private 10/8'],
    ['172.16.5.4', 'private 172.16/12'],
    ['172.31.255.255', 'private 172.16/12, top'],
    ['192.168.1.1', 'private 192.168/16'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback 127/8'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT, top'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'IPv6 unspecified'],
    ['::1', 'IPv6 loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local, hex form'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with zone'],
    ['fc00::1', 'IPv6 unique local'],
    ['fd12:3456::1', 'IPv6 unique local fd'],
    ['ff02::1', 'IPv6 multicast'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['localhost', 'not an IP'],
    ['', 'empty'],
  ])('refuses %s (%s)', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['2001:4860:4860::8888'],
    ['2606:4700:4700::1111'],
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
    ['2002:808:808::1'],
  ])('accepts %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe('outboundRequest with private networks refused', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('should never be served'));
  });
  afterAll(() => server.close());

  it('refuses http://127.0.0.1 as plain http', async () => {
    const error = await expectCode(outboundRequest(`${server.url}/x`, { allowPrivateNetworks: false }), 'HTTPS_REQUIRED');
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
  });

  it('refuses https://127.0.0.1 by address', async () => {
    await expectCode(outboundRequest(`https://127.0.0.1:${server.port}/x`, { allowPrivateNetworks: false }), 'ADDRESS_NOT_ALLOWED');
  });

  it('refuses other spellings of a loopback literal', async () => {
    for (const host of ['[::1]', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1', '0.0.0.0']) {
      await expectCode(outboundRequest(`https://${host}:${server.port}/`, { allowPrivateNetworks: false }), 'ADDRESS_NOT_ALLOWED');
    }
  });

  it('refuses https://localhost when the lookup at connect time returns loopback, without echoing the query', async () => {
    const error = await expectCode(
      outboundRequest(`https://localhost:${server.port}/metadata?token=s3cr3t`, { method: 'POST', body: 'x', allowPrivateNetworks: false }),
      'ADDRESS_NOT_ALLOWED',
    );
    // Only the connect-time lookup checks names, so this message proves the refusal happened there.
    expect(error.message).toContain('localhost refused: it resolves to a non-public address');
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).not.toContain('/metadata');
  });

  it('left the server untouched', () => {
    expect(server.connections).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe('outboundRequest with private networks allowed', () => {
  const allow = { allowPrivateNetworks: true } as const;
  const servers: TestServer[] = [];
  const start = async (handler: Parameters<typeof startServer>[0]): Promise<TestServer> => {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('GETs a body and its headers', async () => {
    const server = await start((_req, res) => {
      res.setHeader('content-type', 'application/xml');
      res.setHeader('x-reply', 'yes');
      res.end('<EntityDescriptor/>');
    });
    const response = await outboundRequest(`${server.url}/metadata?x=1`, { ...allow, headers: { accept: 'application/xml' } });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('<EntityDescriptor/>');
    expect(response.headers['content-type']).toBe('application/xml');
    expect(response.headers['x-reply']).toBe('yes');
    expect(server.requests).toEqual([expect.objectContaining({ method: 'GET', url: '/metadata?x=1', body: '' })]);
    expect(server.requests[0].headers.accept).toBe('application/xml');
  });

  it('POSTs a body with its headers', async () => {
    const server = await start((_req, res, body) => {
      res.statusCode = 202;
      res.end(`got ${body.length}`);
    });
    const payload = JSON.stringify({ event: 'practice.published', id: 'p1' });
    const response = await outboundRequest(`${server.url}/hook`, {
      ...allow,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': 'sig' },
      body: payload,
    });
    expect(response.status).toBe(202);
    expect(response.body.toString('utf8')).toBe(`got ${payload.length}`);
    const received = server.requests[0];
    expect(received.method).toBe('POST');
    expect(received.body).toBe(payload);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['x-signature']).toBe('sig');
    expect(received.headers['content-length']).toBe(String(payload.length));
  });

  it('returns a 4xx or 5xx as a response, not an error', async () => {
    const server = await start((_req, res) => {
      res.statusCode = 503;
      res.end('busy');
    });
    const response = await outboundRequest(server.url, allow);
    expect(response.status).toBe(503);
    expect(response.body.toString('utf8')).toBe('busy');
  });

  it('refuses a 302 and never contacts the redirect target', async () => {
    const target = await start((_req, res) => res.end('target'));
    const redirecting = await start((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', `${target.url}/elsewhere?token=s3cr3t`);
      res.end();
    });
    const error = await expectCode(outboundRequest(`${redirecting.url}/start`, allow), 'REDIRECT_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${target.port}`);
    expect(error.message).not.toContain('s3cr3t');
    expect(redirecting.requests).toHaveLength(1);
    expect(target.connections).toBe(0);
    expect(target.requests).toHaveLength(0);
  });

  it('refuses a body larger than maxBytes when Content-Length says so', async () => {
    const server = await start((_req, res) => res.end(Buffer.alloc(2048, 'a')));
    await expectCode(outboundRequest(server.url, { ...allow, maxBytes: 1024 }), 'TOO_LARGE');
  });

  it('refuses a streamed body once more than maxBytes arrive', async () => {
    const server = await start((_req, res) => {
      // Chunked, no Content-Length: the limit must be enforced on the bytes themselves.
      res.write(Buffer.alloc(800, 'a'));
      setTimeout(() => res.end(Buffer.alloc(800, 'b')), 20);
    });
    await expectCode(outboundRequest(server.url, { ...allow, maxBytes: 1024 }), 'TOO_LARGE');
    const exact = await start((_req, res) => {
      res.write(Buffer.alloc(512, 'a'));
      res.end(Buffer.alloc(512, 'b'));
    });
    expect((await outboundRequest(exact.url, { ...allow, maxBytes: 1024 })).body).toHaveLength(1024);
  });

  it('times out within about timeoutMs when the server never answers', async () => {
    const server = await start(() => undefined);
    const began = Date.now();
    const error = await expectCode(outboundRequest(server.url, { ...allow, timeoutMs: 300 }), 'TIMEOUT');
    const elapsed = Date.now() - began;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
  });

  it('times out when the body stalls halfway', async () => {
    const server = await start((_req, res) => {
      res.setHeader('content-length', '100');
      res.write('partial');
    });
    await expectCode(outboundRequest(server.url, { ...allow, timeoutMs: 300 }), 'TIMEOUT');
  });

  it('reports a refused connection as CONNECTION_FAILED', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    await expectCode(outboundRequest(gone.url, allow), 'CONNECTION_FAILED');
  });

  it('reaches localhost through the connect-time lookup', async () => {
    const server = await start((_req, res) => res.end('via name'));
    const response = await outboundRequest(`http://localhost:${server.port}/`, allow);
    expect(response.body.toString('utf8')).toBe('via name');
  });

  it.each(['ftp://127.0.0.1/file', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '/relative'])('refuses %s as INVALID_URL', async (url) => {
    await expectCode(outboundRequest(url, allow), 'INVALID_URL');
  });
});
