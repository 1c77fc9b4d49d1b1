/**
 * `/metrics` as Prometheus and an operator see it: after real GraphQL calls, a refused SAML step, a rate-limited
 * request and a digest delivered by a worker process, the counters carry the right labels and grow; the HTTP histogram
 * names route patterns, never ids; the pool and queue gauges hold numbers. In production the metrics are read only
 * with METRICS_TOKEN, or on METRICS_PORT and not on the main port.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppConfig } from '#config';
import { createIdentityProvider, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startHttpPeer, type HttpPeer } from '../support/http-peer.js';
import { freePort } from '../support/ports.js';
import { deliveryRows, subscribe } from '../support/digests.js';
import { NAMEID_FORMAT, createSigningKey, createTestIdp, parseAuthnRequest } from '../support/saml-idp.js';
import { mailsTo, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { spawnWorker, stopAllWorkers, type WorkerProcess } from '../support/spawn-worker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/** The APP_SECRET startTestApp configures; the worker needs the same one. */
const APP_SECRET = 'test-secret-of-at-least-32-characters!!';
const METRICS_TOKEN = 'metrics-token-of-at-least-32-characters';

/** One sample line of the Prometheus text format: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(url, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await response.text());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function within<T>(what: string, ms: number, attempt: () => Promise<T | undefined>, logs = () => ''): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await attempt();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}\n${logs()}`);
    await sleep(200);
  }
}

describe('metrics of the API and the worker', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let worker: WorkerProcess;
  let workerMetrics: string;
  let member: TestMember;
  /** A webhook receiver that is down: every delivery to it fails (and would be retried). */
  let failingReceiver: HttpPeer;
  const metrics = () => scrape(`${t.baseUrl}/metrics`);

  beforeAll(async () => {
    smtp = await startSmtp();
    // Anonymous callers get two requests a minute, so a third is refused; members keep the default limit.
    failingReceiver = await startHttpPeer({ answer: { status: 503 } });
    // Webhooks to the loopback receiver need private networks allowed, in the API (subscribing) and the worker (sending).
    t = await startTestApp({
      RATE_LIMITS: 'on',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2',
      SMTP_URL: smtp.url,
      DIGEST_IMMEDIATE_DELAY_SECONDS: '0',
      OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    member = await createMember(t.app, await createOrganisation(t.app));
    const port = await freePort();
    workerMetrics = `http://127.0.0.1:${port}/metrics`;
    worker = await spawnWorker({
      env: {
        DATABASE_URL: t.databaseUrl,
        APP_SECRET,
        SMTP_URL: smtp.url,
        OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
        METRICS_PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'pe-worker-')),
      },
      queue: { pollingIntervalSeconds: 0.5 },
    });
  });
  afterAll(async () => {
    await stopAllWorkers(5_000);
    await t?.close();
    await smtp?.close();
    await failingReceiver?.close();
  });

  it('counts GraphQL operations by name and outcome', async () => {
    const before = await metrics();
    for (let i = 0; i < 3; i += 1) expect((await t.gql('query Me { me { name } }', {}, member.token)).errors).toBeUndefined();
    const missing = await t.gql('query Missing { practice(id: "nope") { title } }', {}, member.token);
    const code = missing.errors?.[0]?.extensions?.code;
    expect(code).toMatch(/^[A-Z_]+$/);
    const after = await metrics();
    const ops = 'practice_exchange_graphql_operations_total';
    expect(value(after, ops, { operation: 'Me', outcome: 'ok' }) - value(before, ops, { operation: 'Me', outcome: 'ok' })).toBe(3);
    expect(value(after, ops, { operation: 'Missing', outcome: code! }) - value(before, ops, { operation: 'Missing', outcome: code! })).toBe(1);
    expect(value(after, ops, { operation: 'Missing', outcome: 'ok' })).toBe(0);
  });

  it('counts a refused SAML sign-in by its reason', async () => {
    const before = await metrics();
    const response = await fetch(`${t.baseUrl}/auth/saml/no-such-org-${unique()}/login`, { redirect: 'manual' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const reason = /Reference: ([A-Z_]+)/.exec(await response.text())?.[1];
    expect(reason).toBe('UNKNOWN_ORGANISATION');
    const after = await metrics();
    const name = 'practice_exchange_saml_sign_in_refusals_total';
    expect(value(after, name, { reason: 'UNKNOWN_ORGANISATION' }) - value(before, name, { reason: 'UNKNOWN_ORGANISATION' })).toBe(1);
    expect(after.some((s) => s.name === 'practice_exchange_saml_sign_ins_total')).toBe(true);
  });

  it('counts SAML sign-ins, and refusals by reason, through a real IdP', async () => {
    const idp = await createTestIdp({ entityId: `https://idp-${unique()}.council.test/saml`, ssoUrl: 'https://idp.council.test/sso' });
    const organisation = await createOrganisation(t.app);
    await createIdentityProvider(t.app, organisation, idp);
    const base = `${t.app.get(AppConfig).publicUrl}/auth/saml/${organisation.slug}`;
    /** The browser's login redirect, then the IdP's signed answer posted to the ACS, asserting `mail`. */
    const signIn = async (mail: string): Promise<number> => {
      const login = await fetch(`${t.baseUrl}/auth/saml/${organisation.slug}/login`, { redirect: 'manual' });
      expect(login.status).toBe(302);
      const state = login.headers
        .getSetCookie()
        .map((c) => /^pe_saml_state=([^;]+)/.exec(c)?.[1])
        .find(Boolean)!;
      const samlResponse = idp.loginResponse({
        acsUrl: `${base}/acs`,
        spEntityId: `${base}/metadata`,
        inResponseTo: parseAuthnRequest(login.headers.get('location')!).id,
        nameId: `nid-${unique()}`,
        nameIdFormat: NAMEID_FORMAT.persistent,
        attributes: { mail, displayName: 'A. Officer' },
        sessionIndex: `_si-${unique()}`,
      });
      const acs = await fetch(`${t.baseUrl}/auth/saml/${organisation.slug}/acs`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pe_saml_state=${state}` },
        body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
      });
      await acs.text();
      return acs.status;
    };
    const refusals = 'practice_exchange_saml_sign_in_refusals_total';
    const before = await metrics();
    expect(await signIn(`officer-${unique()}@${organisation.slug}.gov.uk`)).toBe(303);
    expect(await signIn(`officer-${unique()}@elsewhere.example`)).toBe(400);
    const after = await metrics();
    expect(value(after, 'practice_exchange_saml_sign_ins_total') - value(before, 'practice_exchange_saml_sign_ins_total')).toBe(1);
    expect(value(after, refusals, { reason: 'DOMAIN_NOT_ALLOWED' }) - value(before, refusals, { reason: 'DOMAIN_NOT_ALLOWED' })).toBe(1);
  });

  it('counts rate-limit refusals by limit, and is itself never limited', async () => {
    const before = await metrics();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"query Anonymous { __typename }"}',
      });
      statuses.push(response.status);
    }
    expect(statuses).toContain(429);
    // The same anonymous caller, over its limit, still reads the metrics.
    const after = await metrics();
    const name = 'practice_exchange_rate_limit_refusals_total';
    expect(value(after, name, { limit: 'anonymous' }) - value(before, name, { limit: 'anonymous' })).toBe(statuses.filter((s) => s === 429).length);
  });

  it('times requests by route pattern, method and status class: ids never become labels', async () => {
    const slug = `org-${unique()}`;
    const id = unique();
    const before = await metrics();
    await t.gql('query Me { me { name } }', {}, member.token);
    expect((await fetch(`${t.baseUrl}/auth/saml/${slug}/metadata`)).status).toBe(404);
    // As the member: anonymous callers are over their limit by now.
    expect((await fetch(`${t.baseUrl}/no-such-page/${id}`, { headers: { accept: 'application/json', authorization: `Bearer ${member.token}` } })).status).toBe(
      404,
    );
    const response = await fetch(`${t.baseUrl}/metrics`);
    const text = await response.text();
    const after = parse(text);
    const count = 'practice_exchange_http_request_duration_seconds_count';
    const metadata = { method: 'GET', route: '/auth/saml/:org/metadata', status_class: '4xx' };
    expect(value(after, count, metadata) - value(before, count, metadata)).toBe(1);
    const unmatched = { method: 'GET', route: 'unmatched', status_class: '4xx' };
    expect(value(after, count, unmatched) - value(before, count, unmatched)).toBe(1);
    const graphql = { method: 'POST', route: '/graphql', status_class: '2xx' };
    expect(value(after, count, graphql) - value(before, count, graphql)).toBe(1);
    expect(value(after, 'practice_exchange_http_request_duration_seconds_bucket', { ...metadata, le: '+Inf' })).toBe(value(after, count, metadata));
    expect(text).not.toContain(slug);
    expect(text).not.toContain(id);
    // Default process metrics, prefixed like ours.
    expect(value(after, 'practice_exchange_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('gauges the database pool', async () => {
    const samples = await metrics();
    for (const name of ['practice_exchange_db_pool_connections', 'practice_exchange_db_pool_idle_connections', 'practice_exchange_db_pool_waiting_queries']) {
      const pool = samples.filter((s) => s.name === name && s.labels.pool === 'primary');
      expect(pool.length).toBe(1);
      expect(Number.isFinite(pool[0]!.value)).toBe(true);
    }
    expect(value(samples, 'practice_exchange_db_pool_connections', { pool: 'primary' })).toBeGreaterThanOrEqual(1);
  });

  it('the worker counts the digests it delivers and the failed attempts, by channel, on its METRICS_PORT; the queue gauges hold numbers', async () => {
    const before = await scrape(workerMetrics);
    const emails = { channel: 'EMAIL' };
    const tag = `Topic ${unique()}`;
    const subscriber = await createMember(t.app, await createOrganisation(t.app));
    const subscribed = await subscribe(t, subscriber, { frequency: 'IMMEDIATE', filter: { tags: [tag] } });
    const hooked = await subscribe(t, subscriber, {
      frequency: 'IMMEDIATE',
      channel: 'WEBHOOK',
      webhookUrl: `${failingReceiver.url}/hook`,
      filter: { tags: [tag] },
    });
    await createPractice(t.app, member, { tags: [tag], title: `Counted ${unique()}` });
    const logs = () => worker.output.join('').slice(-4_000);
    const delivered = 'practice_exchange_digest_deliveries_total';
    const failures = 'practice_exchange_digest_delivery_failures_total';
    const webhookRetries = { channel: 'WEBHOOK', outcome: 'retry' };
    // Counted once recorded: wait for the counters, then look at the rows and the receivers.
    const after = await within(
      'the e-mail sent and the webhook failed once, counted',
      20_000,
      async () => {
        const samples = await scrape(workerMetrics);
        const done =
          value(samples, delivered, emails) > value(before, delivered, emails) &&
          value(samples, failures, webhookRetries) > value(before, failures, webhookRetries);
        return done ? samples : undefined;
      },
      logs,
    );
    expect(value(after, delivered, emails) - value(before, delivered, emails)).toBe(1);
    expect((await deliveryRows(t, subscribed.id)).map((r) => r.status)).toEqual(['SENT']);
    expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(1);
    // Every counted failure is a recorded attempt (the row is written first; a retry may have come since the scrape).
    const [hook] = await deliveryRows(t, hooked.id);
    expect(hook!.status).toBe('PENDING');
    expect(hook!.attempts).toBeGreaterThanOrEqual(value(after, failures, webhookRetries) - value(before, failures, webhookRetries));
    expect(value(after, failures, emails)).toBe(0);
    expect(value(after, delivered, { channel: 'WEBHOOK' })).toBe(0);
    // The worker's own process and pool.
    expect(value(after, 'practice_exchange_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.some((s) => s.name === 'practice_exchange_db_pool_connections')).toBe(true);
    // The metrics port serves nothing else.
    expect((await fetch(workerMetrics.replace('/metrics', '/health'))).status).toBe(404);

    // The queues the worker made, read from pg-boss's tables at scrape time, on either process.
    const samples = await metrics();
    for (const state of ['created', 'retry', 'active']) {
      const series = samples.filter((s) => s.name === 'practice_exchange_job_queue_jobs' && s.labels.queue === 'digest-deliver' && s.labels.state === state);
      expect(series).toHaveLength(1);
      expect(series[0]!.value).toBeGreaterThanOrEqual(0);
    }
    const age = samples.filter((s) => s.name === 'practice_exchange_job_queue_oldest_due_job_age_seconds' && s.labels.queue === 'digest-publication');
    expect(age).toHaveLength(1);
    expect(age[0]!.value).toBeGreaterThanOrEqual(0);
  });
});

describe('metrics access in production', () => {
  let files: Record<string, string>;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pe-sp-'));
    const key = await createSigningKey('sp.example.gov.uk');
    writeFileSync(path.join(dir, 'sp.key'), key.privateKey);
    writeFileSync(path.join(dir, 'sp.crt'), key.certificate);
    files = { SAML_SP_KEY_FILE: path.join(dir, 'sp.key'), SAML_SP_CERT_FILE: path.join(dir, 'sp.crt') };
  });
  const production = (env: Record<string, string> = {}) => ({ NODE_ENV: 'production', PUBLIC_URL: 'https://exchange.example.gov.uk', ...files, ...env });

  async function refused(url: string, headers: Record<string, string> = {}): Promise<number> {
    const response = await fetch(url, { headers });
    expect(await response.text()).not.toContain('practice_exchange_');
    return response.status;
  }

  it('without METRICS_TOKEN or METRICS_PORT: refused on the main port', async () => {
    const t = await startTestApp(production());
    try {
      expect(await refused(`${t.baseUrl}/metrics`)).toBe(404);
      expect(await refused(`${t.baseUrl}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` })).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('with METRICS_TOKEN: only its bearer reads them', async () => {
    const t = await startTestApp(production({ METRICS_TOKEN }));
    try {
      const member = await createMember(t.app, await createOrganisation(t.app));
      expect(await refused(`${t.baseUrl}/metrics`)).toBe(401);
      expect(await refused(`${t.baseUrl}/metrics`, { authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}x` })).toBe(401);
      expect(await refused(`${t.baseUrl}/metrics`, { authorization: `Bearer ${member.token}` })).toBe(401);
      expect(await refused(`${t.baseUrl}/metrics`, { authorization: METRICS_TOKEN })).toBe(401);
      const samples = await scrape(`${t.baseUrl}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(samples.some((s) => s.name === 'practice_exchange_http_request_duration_seconds_count')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('with METRICS_PORT: served there, refused on the main port, and the port closes with the API', async () => {
    const port = await freePort();
    const t = await startTestApp(production({ METRICS_PORT: String(port), HOST: '127.0.0.1' }));
    const url = `http://127.0.0.1:${port}/metrics`;
    try {
      expect(await refused(`${t.baseUrl}/metrics`)).toBe(404);
      const samples = await scrape(url);
      expect(samples.some((s) => s.name === 'practice_exchange_db_pool_connections')).toBe(true);
    } finally {
      await t.close();
    }
    await expect(fetch(url)).rejects.toThrow();
  });

  it('with METRICS_PORT and METRICS_TOKEN: the port asks for the token too', async () => {
    const port = await freePort();
    const t = await startTestApp(production({ METRICS_PORT: String(port), HOST: '127.0.0.1', METRICS_TOKEN }));
    const url = `http://127.0.0.1:${port}/metrics`;
    try {
      expect(await refused(url)).toBe(401);
      expect(await refused(`${t.baseUrl}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` })).toBe(404);
      await scrape(url, { authorization: `Bearer ${METRICS_TOKEN}` });
    } finally {
      await t.close();
    }
  });
});
