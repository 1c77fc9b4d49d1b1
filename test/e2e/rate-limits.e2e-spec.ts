import { randomBytes } from 'node:crypto';
import { Role } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Rate limits: per token or member, per address for anonymous callers, a tighter one per address for sign-in, all
 * counted in PostgreSQL so every API process shares them; refused sign-ins stop filling the audit log past a bound.
 * Each test calls from addresses of its own (X-Forwarded-For through one trusted proxy), so the counts don't mix.
 */
const LIMITS = {
  RATE_LIMITS: 'on',
  TRUST_PROXY_HOPS: '1',
  RATE_LIMIT_MEMBER_PER_MINUTE: '5',
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '4',
  RATE_LIMIT_SIGN_IN_PER_MINUTE: '3',
  RATE_LIMIT_REFUSED_SIGN_IN_AUDITS_PER_MINUTE: '2',
};

const ME = '{ me { id } }';
const PUBLIC = '{ organisations(first: 1) { edges { cursor } } }';

describe('rate limits', () => {
  let a: TestApp;
  /** A second API process on the same database. */
  let b: TestApp;
  let addresses = 0;
  /** A fresh caller address (RFC 5737 documentation range) for each use. */
  const address = () => {
    addresses += 1;
    return `198.51.100.${addresses}`;
  };

  beforeAll(async () => {
    a = await startTestApp(LIMITS);
    b = await startTestApp(LIMITS, { databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  async function graphql(app: TestApp, query: string, options: { token?: string; from: string }) {
    const response = await fetch(`${app.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': options.from, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
  }

  async function member(): Promise<TestMember> {
    return createMember(a.app, await createOrganisation(a.app), [Role.CONTRIBUTOR]);
  }

  function expectRateLimited(result: Awaited<ReturnType<typeof graphql>>) {
    expect(result.status).toBe(429);
    const seconds = Number(result.retryAfter);
    expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60).toBe(true);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(result.body.errors?.[0]?.message).toMatch(/limit is \d+ a minute.*try again/i);
  }

  it('a token past its limit gets 429 with Retry-After and RATE_LIMITED; another token is unaffected', async () => {
    const [one, other] = await Promise.all([member(), member()]);
    const from = address();
    for (let i = 0; i < 5; i += 1) expect((await graphql(a, ME, { token: one.token, from })).status).toBe(200);
    expectRateLimited(await graphql(a, ME, { token: one.token, from }));
    // Same address, another token: its own count.
    const unaffected = await graphql(a, ME, { token: other.token, from });
    expect(unaffected.status).toBe(200);
    expect(unaffected.body.errors).toBeUndefined();
  });

  it('two API processes share one count', async () => {
    const caller = await member();
    const from = address();
    for (let i = 0; i < 3; i += 1) expect((await graphql(a, ME, { token: caller.token, from })).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await graphql(b, ME, { token: caller.token, from })).status).toBe(200);
    expectRateLimited(await graphql(b, ME, { token: caller.token, from }));
    expectRateLimited(await graphql(a, ME, { token: caller.token, from }));
  });

  it('anonymous callers are counted by address: another address, and a token from the same one, are unaffected', async () => {
    const caller = await member();
    const from = address();
    for (let i = 0; i < 4; i += 1) expect((await graphql(a, PUBLIC, { from })).status).toBe(200);
    expectRateLimited(await graphql(a, PUBLIC, { from }));
    expectRateLimited(await graphql(b, PUBLIC, { from }));
    expect((await graphql(a, PUBLIC, { from: address() })).status).toBe(200);
    expect((await graphql(a, ME, { token: caller.token, from })).status).toBe(200);
    // Health probes are never limited.
    expect((await fetch(`${a.baseUrl}/health`, { headers: { 'x-forwarded-for': from } })).status).toBe(200);
  });

  it('a refused token counts against its address, so guessing tokens is limited too', async () => {
    const from = address();
    for (let i = 0; i < 4; i += 1) expect((await graphql(a, ME, { token: `pe_${randomBytes(8).toString('hex')}_guess`, from })).status).not.toBe(429);
    expectRateLimited(await graphql(a, ME, { token: `pe_${randomBytes(8).toString('hex')}_guess`, from }));
  });

  it('/auth/saml/* has its own, tighter limit per address, answered with a page saying when to retry', async () => {
    const organisation = await createOrganisation(a.app);
    const from = address();
    // Express routes paths case-insensitively: every spelling counts against the same limit.
    const metadata = (prefix: string) => fetch(`${a.baseUrl}${prefix}/${organisation.slug}/metadata`, { headers: { 'x-forwarded-for': from } });
    for (const prefix of ['/auth/saml', '/Auth/SAML', '/AUTH/saml']) expect((await metadata(prefix)).status).toBe(200);
    const refused = await fetch(`${b.baseUrl}/auth/saml/${organisation.slug}/login`, {
      headers: { 'x-forwarded-for': from, accept: 'text/html' },
      redirect: 'manual',
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.text()).toMatch(/Too many sign-in requests from your address: the limit is 3 a minute/);
    // The API's own count for that address is untouched.
    expect((await graphql(a, PUBLIC, { from })).status).toBe(200);
  });

  it('refused sign-ins past the bound are still refused, but write no more audit rows', async () => {
    const organisation = await createOrganisation(a.app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const app = i % 2 ? a : b;
      const response = await fetch(`${app.baseUrl}/auth/saml/${organisation.slug}/acs`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address() },
        body: `SAMLResponse=${encodeURIComponent(Buffer.from('<not-saml/>').toString('base64'))}`,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400]);
    const [{ count }] = await a.dataSource.query(`SELECT count(*)::int AS count FROM audit_event WHERE action = 'SIGN_IN_REFUSED' AND organisation_id = $1`, [
      organisation.id,
    ]);
    expect(count).toBe(2);
  });
});

describe('RATE_LIMITS=off', () => {
  it('turns every limit off', async () => {
    const t = await startTestApp({ RATE_LIMITS: 'off', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1', RATE_LIMIT_SIGN_IN_PER_MINUTE: '1' });
    try {
      for (let i = 0; i < 3; i += 1) expect((await t.gql(PUBLIC)).status).toBe(200);
      for (let i = 0; i < 3; i += 1) expect((await fetch(`${t.baseUrl}/auth/saml/nowhere/metadata`)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
