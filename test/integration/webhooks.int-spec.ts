import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { buildDigestPayload, DIGEST_WEBHOOK_TYPE, type DigestPayloadInput, type DigestPayloadV1 } from '../../libs/digests/src/webhooks/webhook-payload.js';
import { newWebhookSecret, openSecret, sealSecret, WebhookSecretError } from '../../libs/digests/src/webhooks/webhook-secret.js';
import { nextAttemptDelay, sendWebhook, WEBHOOK_RETRY_SCHEDULE_MS, type WebhookResult } from '../../libs/digests/src/webhooks/webhook-sender.js';
import { startHttpPeer, verifiedWebhook, type PeerRequest } from '../support/http-peer.js';

/**
 * Webhook delivery against a real HTTP receiver on 127.0.0.1 that checks every request the way an integrator would:
 * `new Webhook(secret).verify(body, headers)` from the published `standardwebhooks` package. "Nothing reached the
 * receiver" is asserted on TCP connections, so a refused call provably never connected. Nothing leaves the machine.
 */

interface Received {
  headers: PeerRequest['headers'];
  body: string;
  verified: boolean;
  parsed?: unknown;
}

interface Receiver {
  url: string;
  connections: number;
  received: Received[];
  close(): Promise<void>;
}

type Answer = (request: PeerRequest, res: ServerResponse, received: Received) => void;

/** Answers 200 to a verified request and 401 otherwise, unless `answer` says something else. */
async function startReceiver(secret: string, answer?: Answer): Promise<Receiver> {
  const received: Received[] = [];
  const peer = await startHttpPeer({
    respond: (request, res) => {
      const parsed = verifiedWebhook(secret, request);
      const record: Received = { headers: request.headers, body: request.body, verified: parsed !== undefined };
      if (parsed !== undefined) record.parsed = parsed;
      received.push(record);
      if (!answer) return { status: record.verified ? 200 : 401 };
      answer(request, res, record);
      return undefined;
    },
  });
  return {
    url: peer.url,
    get connections() {
      return peer.connections;
    },
    received,
    close: () => peer.close(),
  };
}

const ALLOWED = { allowPrivateNetworks: true } as const;
const REFUSED = { allowPrivateNetworks: false } as const;

function digestInput(overrides: Partial<DigestPayloadInput> = {}): DigestPayloadInput {
  return {
    deliveryId: '0b7f6d1e-3c1a-4c59-9a53-5a3c2d8e9f10',
    subscription: { id: 'sub-1', name: 'Disinformation, daily' },
    entries: [
      {
        id: 'pr-1',
        title: 'Pre-bunking leaflets before polling day',
        summary: 'Short leaflets explaining how to spot fake polling-station notices.',
        url: 'https://practice-exchange.example/practices/pr-1',
        organisation: { slug: 'kent', name: 'Kent County Council' },
        tags: ['disinformation', 'communications'],
        visibility: 'TLP_GREEN',
        publishedAt: new Date('2025-03-03T15:41:09.000Z'),
      },
      {
        id: 'pr-2',
        title: 'Two-person rule for count results "sign-off" <script>',
        summary: 'Naïve, quoted & escaped? The body is JSON, so this arrives exactly as written.',
        url: 'https://practice-exchange.example/practices/pr-2',
        organisation: { slug: 'gov-uk', name: 'Cabinet Office' },
        tags: [],
        visibility: 'TLP_AMBER',
        publishedAt: new Date('2025-03-04T06:00:00.000Z'),
      },
    ],
    generatedAt: new Date('2025-03-04T07:00:02.120Z'),
    ...overrides,
  };
}

function failed(result: WebhookResult): Extract<WebhookResult, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe('webhook delivery to a real receiver', () => {
  const secret = newWebhookSecret();
  const receivers: Receiver[] = [];
  const receiver = async (answer?: Answer, withSecret = secret): Promise<Receiver> => {
    const started = await startReceiver(withSecret, answer);
    receivers.push(started);
    return started;
  };
  afterAll(async () => {
    for (const started of receivers) await started.close();
  });

  it('delivers a digest.v1 body that the standardwebhooks verifier accepts', async () => {
    const target = await receiver();
    const payload = buildDigestPayload(digestInput());

    const result = await sendWebhook({ url: `${target.url}/hooks/digests`, secret, messageId: 'msg_delivery1', payload }, ALLOWED);

    expect(result).toEqual({ ok: true, status: 200 });
    expect(target.received).toHaveLength(1);
    const [request] = target.received;
    expect(request!.verified).toBe(true);
    expect(request!.body).toBe(payload);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['webhook-id']).toBe('msg_delivery1');
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const body = request!.parsed as DigestPayloadV1;
    expect(body.type).toBe(DIGEST_WEBHOOK_TYPE);
    expect(body.type).toBe('digest.v1');
    expect(body.timestamp).toBe('2025-03-04T07:00:02.120Z');
    expect(body.data.deliveryId).toBe('0b7f6d1e-3c1a-4c59-9a53-5a3c2d8e9f10');
    expect(body.data.subscription).toEqual({ id: 'sub-1', name: 'Disinformation, daily' });
    expect(body.data.entries).toEqual([
      {
        id: 'pr-1',
        title: 'Pre-bunking leaflets before polling day',
        summary: 'Short leaflets explaining how to spot fake polling-station notices.',
        url: 'https://practice-exchange.example/practices/pr-1',
        organisation: { slug: 'kent', name: 'Kent County Council' },
        tags: ['disinformation', 'communications'],
        visibility: 'TLP_GREEN',
        publishedAt: '2025-03-03T15:41:09.000Z',
      },
      {
        id: 'pr-2',
        title: 'Two-person rule for count results "sign-off" <script>',
        summary: 'Naïve, quoted & escaped? The body is JSON, so this arrives exactly as written.',
        url: 'https://practice-exchange.example/practices/pr-2',
        organisation: { slug: 'gov-uk', name: 'Cabinet Office' },
        tags: [],
        visibility: 'TLP_AMBER',
        publishedAt: '2025-03-04T06:00:00.000Z',
      },
    ]);
  });

  it('retries a delivery under the same webhook-id, signed afresh with a new timestamp', async () => {
    let calls = 0;
    const target = await receiver((_req, res, record) => {
      calls += 1;
      res.writeHead(record.verified ? (calls === 1 ? 500 : 200) : 401).end();
    });
    const payload = buildDigestPayload(digestInput());
    const first = new Date();
    const second = new Date(first.getTime() + 5_000); // the schedule's first retry delay

    const attempt1 = await sendWebhook({ url: target.url, secret, messageId: 'msg_retry', payload, now: first }, ALLOWED);
    const attempt2 = await sendWebhook({ url: target.url, secret, messageId: 'msg_retry', payload, now: second }, ALLOWED);

    expect(failed(attempt1)).toMatchObject({ retryable: true, status: 500 });
    expect(attempt2).toEqual({ ok: true, status: 200 });
    const [a, b] = target.received;
    expect(a!.verified && b!.verified).toBe(true);
    expect(a!.headers['webhook-id']).toBe('msg_retry');
    expect(b!.headers['webhook-id']).toBe('msg_retry');
    expect(Number(b!.headers['webhook-timestamp']) - Number(a!.headers['webhook-timestamp'])).toBe(5);
    expect(b!.headers['webhook-signature']).not.toBe(a!.headers['webhook-signature']);
    expect(b!.body).toBe(a!.body);
  });

  it('is refused by the receiver when signed with another secret (the check above is real)', async () => {
    const target = await receiver();
    const result = await sendWebhook(
      { url: target.url, secret: newWebhookSecret(), messageId: 'msg_wrongkey', payload: buildDigestPayload(digestInput()) },
      ALLOWED,
    );

    expect(target.received[0]!.verified).toBe(false);
    expect(failed(result)).toMatchObject({ retryable: false, status: 401 });
  });

  it.each([
    [500, true, undefined],
    [502, true, undefined],
    [503, true, undefined],
    [408, true, undefined],
    [429, true, undefined],
    [404, false, undefined],
    [400, false, undefined],
    [410, false, true],
  ])('classifies an answer of %i as retryable=%s (pauseEndpoint=%s)', async (status, retryable, pauseEndpoint) => {
    const target = await receiver((_req, res) => res.writeHead(status).end('nope'));
    const result = failed(
      await sendWebhook(
        { url: `${target.url}/hook?token=do-not-echo`, secret, messageId: `msg_status${status}`, payload: buildDigestPayload(digestInput()) },
        ALLOWED,
      ),
    );

    expect(result.retryable).toBe(retryable);
    expect(result.status).toBe(status);
    expect(result.pauseEndpoint).toBe(pauseEndpoint);
    expect(result.reason).toContain(String(status));
    expect(result.reason).not.toContain('do-not-echo');
    expect(result.reason).not.toContain(secret);
    expect(target.received[0]!.verified).toBe(true);
  });

  it('passes on Retry-After from a rate-limited receiver', async () => {
    const target = await receiver((_req, res) => res.writeHead(429, { 'retry-after': '120' }).end());
    const result = failed(await sendWebhook({ url: target.url, secret, messageId: 'msg_ratelimited', payload: '{}' }, ALLOWED));

    expect(result).toMatchObject({ retryable: true, status: 429, retryAfterMs: 120_000 });
  });

  it('gives up on a slow receiver after timeoutMs and calls it retryable', async () => {
    const target = await receiver((_req, res) => {
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200).end();
      }, 3_000).unref();
    });
    const started = Date.now();
    const result = failed(await sendWebhook({ url: target.url, secret, messageId: 'msg_slow', payload: '{}' }, { ...ALLOWED, timeoutMs: 300 }));

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.retryable).toBe(true);
    expect(result.status).toBeUndefined();
    expect(result.reason).toMatch(/timed out after 300 ms/);
    expect(target.received).toHaveLength(1);
  });

  it('calls a refused connection retryable', async () => {
    const gone = await startReceiver(secret);
    await gone.close();
    const result = failed(await sendWebhook({ url: gone.url, secret, messageId: 'msg_gone', payload: '{}' }, ALLOWED));

    expect(result.retryable).toBe(true);
    expect(result.reason).toMatch(/ECONNREFUSED/);
  });

  it('refuses a redirecting receiver, not retryable, and the redirect target receives nothing', async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver((_req, res) => res.writeHead(307, { location: `${elsewhere.url}/stolen` }).end());

    const result = failed(await sendWebhook({ url: redirecting.url, secret, messageId: 'msg_redirect', payload: '{}' }, ALLOWED));

    expect(result.retryable).toBe(false);
    expect(result.reason).toMatch(/redirect/);
    expect(redirecting.received).toHaveLength(1);
    expect(elsewhere.connections).toBe(0);
  });

  it('throws, without quoting it, on a secret that is not a whsec_ secret', async () => {
    const target = await receiver();
    await expect(sendWebhook({ url: target.url, secret: 'not-a-secret', messageId: 'msg_x', payload: '{}' }, ALLOWED)).rejects.toThrow(
      /must be a whsec_ secret/,
    );
    await expect(sendWebhook({ url: target.url, secret, messageId: 'bad id\r\nx: y', payload: '{}' }, ALLOWED)).rejects.toThrow(TypeError);
    expect(target.connections).toBe(0);
  });
});

describe('webhook delivery with private networks refused (the default)', () => {
  const secret = newWebhookSecret();
  let target: Receiver;
  beforeAll(async () => {
    target = await startReceiver(secret);
  });
  afterAll(() => target.close());

  it.each([
    ['https://127.0.0.1:PORT/hook', /not a public address/],
    ['https://localhost:PORT/hook', /non-public address/],
    ['https://[::ffff:127.0.0.1]:PORT/hook', /not a public address/],
    ['http://127.0.0.1:PORT/hook', /plain http/],
    ['https://10.0.0.1/hook', /not a public address/],
    ['https://192.168.1.20/hook', /not a public address/],
    ['https://169.254.169.254/latest/meta-data', /not a public address/],
  ])('refuses %s without connecting, and asks to pause the endpoint', async (url, message) => {
    const port = new URL(target.url).port;
    const connectionsBefore = target.connections;
    const result = failed(await sendWebhook({ url: url.replace('PORT', port), secret, messageId: 'msg_private', payload: '{}' }, REFUSED));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let a stray connection, if any, be counted

    expect(target.connections).toBe(connectionsBefore);
    expect(target.received).toHaveLength(0);
    expect(result).toMatchObject({ retryable: false, pauseEndpoint: true });
    expect(result.status).toBeUndefined();
    expect(result.reason).toMatch(message);
    expect(result.reason).toMatch(/OUTBOUND_ALLOW_PRIVATE_NETWORKS/);
  });

  it('still reaches the same receiver once private networks are allowed (so the refusals above are the rule, not a dead port)', async () => {
    const result = await sendWebhook({ url: `${target.url}/hook`, secret, messageId: 'msg_allowed', payload: '{}' }, ALLOWED);
    expect(result).toEqual({ ok: true, status: 200 });
    expect(target.connections).toBeGreaterThan(0);
  });
});

describe('sealed webhook secrets', () => {
  const appSecret = 'app-secret-for-tests-0123456789abcdef';

  it('issues whsec_ secrets of 32 random bytes that the standardwebhooks library accepts', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it('round-trips, with a fresh IV each time and nothing of the secret in the sealed text', () => {
    const secret = newWebhookSecret();
    const sealed = sealSecret(secret, appSecret);
    const again = sealSecret(secret, appSecret);

    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(again).not.toBe(sealed);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(openSecret(sealed, appSecret)).toBe(secret);
    expect(openSecret(again, appSecret)).toBe(secret);
  });

  it('opens to a secret that still signs webhooks the receiver verifies', async () => {
    const secret = newWebhookSecret();
    const target = await startReceiver(secret);
    try {
      const opened = openSecret(sealSecret(secret, appSecret), appSecret);
      const result = await sendWebhook({ url: target.url, secret: opened, messageId: 'msg_sealed', payload: buildDigestPayload(digestInput()) }, ALLOWED);
      expect(result).toEqual({ ok: true, status: 200 });
      expect(target.received[0]!.verified).toBe(true);
    } finally {
      await target.close();
    }
  });

  const tamper = (sealed: string, index: number): string => {
    const parts = sealed.split('.');
    const text = parts[index]!;
    // Change the first character: it carries six significant bits, so the decoded bytes always change.
    parts[index] = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    return parts.join('.');
  };

  it.each([
    ['the IV', 1],
    ['the tag', 2],
    ['the ciphertext', 3],
  ])('refuses a sealed secret with %s altered', (_label, index) => {
    const secret = newWebhookSecret();
    const sealed = sealSecret(secret, appSecret);
    let error: unknown;
    try {
      openSecret(tamper(sealed, index), appSecret);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect((error as Error).message).toMatch(/another APP_SECRET or has been altered/);
    expect((error as Error).message).not.toContain(secret);
    expect((error as Error).message).not.toContain(sealed);
  });

  it('refuses a secret sealed under another APP_SECRET, saying what to do', () => {
    const sealed = sealSecret(newWebhookSecret(), appSecret);
    expect(() => openSecret(sealed, 'another-app-secret-0123456789abcdefgh')).toThrow(WebhookSecretError);
    expect(() => openSecret(sealed, 'another-app-secret-0123456789abcdefgh')).toThrow(/restore the previous APP_SECRET or rotate/);
  });

  it.each([
    ['not sealed at all', 'whsec_abc'],
    ['another version', 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
    ['a short IV', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA'],
    ['a non-canonical part', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAB.AAAA'],
    ['an empty ciphertext', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.'],
  ])('refuses %s', (_label, text) => {
    expect(() => openSecret(text, appSecret)).toThrow(WebhookSecretError);
  });
});

describe('the retry schedule', () => {
  it('follows the Standard Webhooks schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then gives up', () => {
    expect(WEBHOOK_RETRY_SCHEDULE_MS).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000]);
    const delays = [0, 1, 2, 3, 4, 5, 6].map((attempt) => nextAttemptDelay(attempt));
    expect(delays).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000]);
    expect(nextAttemptDelay(7)).toBeNull();
    expect(nextAttemptDelay(50)).toBeNull();
    // 17:35:05 from the first attempt to the last, as in the specification's table.
    expect(WEBHOOK_RETRY_SCHEDULE_MS.reduce((sum, delay) => sum + delay, 0)).toBe(((17 * 60 + 35) * 60 + 5) * 1000);
  });

  it('refuses a nonsense attempt count', () => {
    expect(() => nextAttemptDelay(-1)).toThrow(RangeError);
    expect(() => nextAttemptDelay(1.5)).toThrow(RangeError);
  });
});

describe('the digest.v1 payload', () => {
  it('writes keys in the documented order and copies only the documented fields', () => {
    const input = digestInput();
    // A caller's object may carry more (an entity with columns); none of it may reach the receiver.
    Object.assign(input.entries[0]!, { internalNote: 'leak', audienceOrganisationIds: ['x'] });
    Object.assign(input.subscription, { webhookSecretSealed: 'v1.leak' });
    const body = JSON.parse(buildDigestPayload(input)) as DigestPayloadV1;

    expect(Object.keys(body)).toEqual(['type', 'timestamp', 'data']);
    expect(Object.keys(body.data)).toEqual(['deliveryId', 'subscription', 'entries']);
    expect(Object.keys(body.data.subscription)).toEqual(['id', 'name']);
    expect(Object.keys(body.data.entries[0]!)).toEqual(['id', 'title', 'summary', 'url', 'organisation', 'tags', 'visibility', 'publishedAt']);
    expect(Object.keys(body.data.entries[0]!.organisation)).toEqual(['slug', 'name']);
    expect(buildDigestPayload(input)).not.toMatch(/leak/);
  });

  it('gives the same bytes for the same input, so a retry re-signs an identical body', () => {
    expect(buildDigestPayload(digestInput())).toBe(buildDigestPayload(digestInput()));
  });
});
