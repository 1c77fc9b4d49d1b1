/**
 * Two API processes (`node dist/apps/api/src/main.js --no-worker`) and two worker processes on one database, as behind
 * a load balancer: they share PUBLIC_URL, APP_SECRET and the SP key pair, and nothing else. What one process starts,
 * the other finishes: a session, a SAML sign-in, the rate-limit counts; and the two workers deliver each digest once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIdentityProvider, createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { deliveryRows, subscribe, type Subscribed } from '../support/digests.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type TestIdp } from '../support/saml-idp.js';
import { mailsTo, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { spawnApi, stopAllApis, TEST_APP_SECRET, type ApiProcess } from '../support/spawn-api.js';
import { spawnWorker, stopAllWorkers, type WorkerProcess } from '../support/spawn-worker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/** Where people reach the platform: the load balancer in front of both API processes. */
const PUBLIC_URL = 'http://exchange.scale-out.test';
const ANONYMOUS_PER_MINUTE = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setCookie(response: Response, name: string): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0]!;
    if (pair.slice(0, pair.indexOf('=')) === name) return pair.slice(pair.indexOf('=') + 1);
  }
  return undefined;
}

async function within<T>(what: string, ms: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}

describe('two API processes and two workers on one database', () => {
  let t: TestApp;
  let idp: TestIdp;
  let smtp: SmtpSink;
  let keyDir: string;
  let api1: ApiProcess;
  let api2: ApiProcess;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    [idp, smtp] = await Promise.all([createTestIdp({ entityId: 'https://idp.scale-out.test/saml', ssoUrl: 'https://idp.scale-out.test/sso' }), startSmtp()]);
    t = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL });
    // One SP key pair for every replica, as an operator mounts the same files into each.
    keyDir = mkdtempSync(path.join(os.tmpdir(), 'pe-sp-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=scale-out',
        '-keyout',
        path.join(keyDir, 'sp.key'),
        '-out',
        path.join(keyDir, 'sp.crt'),
      ],
      { stdio: 'ignore' },
    );
    const env = {
      DATABASE_URL: t.databaseUrl,
      PUBLIC_URL,
      SAML_SP_KEY_FILE: path.join(keyDir, 'sp.key'),
      SAML_SP_CERT_FILE: path.join(keyDir, 'sp.crt'),
      SMTP_URL: smtp.url,
      RATE_LIMITS: 'on',
      TRUST_PROXY_HOPS: '1',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_PER_MINUTE),
      DIGEST_IMMEDIATE_DELAY_SECONDS: '0',
    };
    [api1, api2] = await Promise.all([spawnApi(env), spawnApi(env)]);
    for (const name of ['a', 'b']) {
      workers.push(
        await spawnWorker({
          env: {
            DATABASE_URL: t.databaseUrl,
            APP_SECRET: TEST_APP_SECRET,
            SMTP_URL: smtp.url,
            PUBLIC_URL,
            DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `pe-worker-${name}-`)),
            DIGEST_IMMEDIATE_DELAY_SECONDS: '0',
          },
          queue: { pollingIntervalSeconds: 0.5 },
        }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await stopAllWorkers(10_000);
    await stopAllApis();
    await t?.close();
    await smtp?.close();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  async function graphql(api: ApiProcess, query: string, auth: { cookie?: string; token?: string; from?: string }, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth.cookie ? { cookie: `pe_session=${auth.cookie}` } : {}),
        ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
        ...(auth.from ? { 'x-forwarded-for': auth.from } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
  }

  it('a SAML sign-in started on one API is finished on the other, and its session cookie works on both', async () => {
    const organisation = await createOrganisation(t.app);
    await createIdentityProvider(t.app, organisation, idp);
    const base = `${PUBLIC_URL}/auth/saml/${organisation.slug}`;

    const login = await fetch(`${api1.baseUrl}/auth/saml/${organisation.slug}/login?returnTo=/`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const state = setCookie(login, 'pe_saml_state')!;
    const request = parseAuthnRequest(login.headers.get('location')!);
    const nameId = `nid-${unique()}`;
    const samlResponse = idp.loginResponse({
      acsUrl: `${base}/acs`,
      spEntityId: `${base}/metadata`,
      inResponseTo: request.id,
      nameId,
      nameIdFormat: NAMEID_FORMAT.persistent,
      attributes: { mail: `officer-${nameId}@${organisation.slug}.gov.uk`, displayName: 'A. Officer' },
      sessionIndex: `_si-${unique()}`,
    });
    const acs = await fetch(`${api2.baseUrl}/auth/saml/${organisation.slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pe_saml_state=${state}` },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
    expect({ status: acs.status, body: acs.status === 303 ? '' : await acs.text() }).toEqual({ status: 303, body: '' });
    const cookie = setCookie(acs, 'pe_session')!;
    expect(cookie).toBeTruthy();

    const [member] = await t.dataSource.query('SELECT m.email FROM member m JOIN session s ON s.member_id = m.id WHERE s.name_id = $1', [nameId]);
    expect(member.email).toBe(`officer-${nameId}@${organisation.slug}.gov.uk`);
    for (const api of [api1, api2]) {
      const me = await graphql(api, '{ me { email } }', { cookie });
      expect(me.body.errors).toBeUndefined();
      expect(me.body.data.me.email).toBe(member.email);
    }
    // Signed out on API 2: the session ends on API 1 too.
    const logout = await fetch(`${api2.baseUrl}/auth/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `pe_session=${cookie}`, origin: PUBLIC_URL },
    });
    expect(logout.status).toBeLessThan(400);
    expect((await graphql(api1, '{ me { email } }', { cookie })).body.data?.me ?? null).toBeNull();
  });

  it('the same AuthnRequest is accepted once, whichever API the response is replayed to', async () => {
    const organisation = await createOrganisation(t.app);
    await createIdentityProvider(t.app, organisation, idp);
    const base = `${PUBLIC_URL}/auth/saml/${organisation.slug}`;
    const login = await fetch(`${api2.baseUrl}/auth/saml/${organisation.slug}/login?returnTo=/`, { redirect: 'manual' });
    const state = setCookie(login, 'pe_saml_state')!;
    const nameId = `nid-${unique()}`;
    const samlResponse = idp.loginResponse({
      acsUrl: `${base}/acs`,
      spEntityId: `${base}/metadata`,
      inResponseTo: parseAuthnRequest(login.headers.get('location')!).id,
      nameId,
      nameIdFormat: NAMEID_FORMAT.persistent,
      attributes: { mail: `officer-${nameId}@${organisation.slug}.gov.uk` },
      sessionIndex: `_si-${unique()}`,
    });
    const post = (api: ApiProcess) =>
      fetch(`${api.baseUrl}/auth/saml/${organisation.slug}/acs`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pe_saml_state=${state}` },
        body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
      });
    expect((await post(api1)).status).toBe(303);
    const replay = await post(api2);
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(setCookie(replay, 'pe_session') || undefined).toBeUndefined();
  });

  it('rate limits count across both APIs', async () => {
    const from = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const PUBLIC = '{ organisations(first: 1) { edges { cursor } } }';
    for (let i = 0; i < ANONYMOUS_PER_MINUTE; i += 1) {
      const answer = await graphql(i % 2 === 0 ? api1 : api2, PUBLIC, { from });
      expect(answer.status).toBe(200);
    }
    // The limit is reached on the two together: the next request is refused by either.
    expect((await graphql(api1, PUBLIC, { from })).status).toBe(429);
    expect((await graphql(api2, PUBLIC, { from })).status).toBe(429);
  });

  it('with two workers, each digest is delivered exactly once', async () => {
    const tag = `Topic ${unique()}`;
    const subscribed: Subscribed[] = [];
    for (let i = 0; i < 6; i += 1)
      subscribed.push(await subscribe(t, await createMember(t.app, await createOrganisation(t.app)), { frequency: 'IMMEDIATE', filter: { tags: [tag] } }));
    const author: TestMember = await createMember(t.app, await createOrganisation(t.app));
    const created = await graphql(
      api1,
      `
        mutation ($input: CreatePracticeInput!) {
          createPractice(input: $input) {
            id
          }
        }
      `,
      { token: author.token },
      { input: { title: `Scale-out ${unique()}`, summary: 's', problem: 'p', approach: 'a', outcomes: 'o', tags: [tag], visibility: 'TLP_GREEN' } },
    );
    expect(created.body.errors).toBeUndefined();
    const published = await graphql(
      api2,
      `
        mutation ($input: PublishPracticeInput!) {
          publishPractice(input: $input) {
            id
          }
        }
      `,
      { token: author.token },
      { input: { id: created.body.data.createPractice.id } },
    );
    expect(published.body.errors).toBeUndefined();

    await within('every delivery to be SENT', 30_000, async () => {
      for (const s of subscribed) {
        const rows = await deliveryRows(t, s.id);
        if (rows.length !== 1 || rows[0]!.status !== 'SENT') return undefined;
      }
      return true;
    });
    await sleep(1_500); // room for a duplicate, were there one
    for (const s of subscribed) expect(await mailsTo(smtp, s.owner.member.email)).toHaveLength(1);
    expect(workers.every((w) => w.exit === undefined)).toBe(true);
  }, 60_000);
});
