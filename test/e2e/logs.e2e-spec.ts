/**
 * The logs as an operator's collector receives them: the real API (and, for jobs, the real worker) writing JSON lines
 * to a captured stream. Each request's lines carry its id; a job's carry the id of the request that sent it; no
 * cookie, token, feed or unsubscribe secret, or SAML message reaches any line, whatever the level.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppConfig } from '#config';
import { signUnsubscribeToken } from '#digests';
import { PracticeStatus, Visibility } from '#practices';
import { SESSION_COOKIE, SessionService } from '#identity';
import { startWorker, type RunningWorker } from '../../apps/worker/src/bootstrap/start-worker.js';
import { createIdentityProvider, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { subscribe } from '../support/digests.js';
import { captureLogs, type LogCapture, type LogLine } from '../support/log-capture.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type TestIdp } from '../support/saml-idp.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STATE_COOKIE = 'pe_saml_state';
const secret = () => `zz${randomBytes(12).toString('hex')}`;

describe('logs', () => {
  let capture: LogCapture;
  let t: TestApp;
  let member: TestMember;
  let idp: TestIdp;

  beforeAll(async () => {
    capture = captureLogs('debug');
    [t, idp] = await Promise.all([
      startTestApp({ DIGEST_IMMEDIATE_DELAY_SECONDS: '0' }, { logger: capture.logger }),
      createTestIdp({ entityId: 'https://idp.logs.test/saml', ssoUrl: 'https://idp.logs.test/sso', sloUrl: 'https://idp.logs.test/slo' }),
    ]);
    member = await createMember(t.app, await createOrganisation(t.app));
  });
  afterAll(() => t?.close());

  /** The lines of request `requestId`, once its completion line is there (it is written as the response finishes). */
  async function linesOf(requestId: string, timeoutMs = 10_000): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const lines = capture.lines.filter((line) => line.requestId === requestId);
      if (lines.some((line) => line.msg === 'request completed' || line.msg === 'request failed')) return lines;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`No completion line for request ${requestId} in ${timeoutMs} ms`);
  }

  function completion(lines: LogLine[]): LogLine {
    return lines.find((line) => line.msg === 'request completed' || line.msg === 'request failed')!;
  }

  describe('request ids', () => {
    it("keeps the caller's X-Request-Id, echoes it, and puts it and the actor on the request's lines", async () => {
      const response = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}`, 'x-request-id': 'logs-e2e.request:1' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('logs-e2e.request:1');
      const line = completion(await linesOf('logs-e2e.request:1'));
      expect(line).toEqual(
        expect.objectContaining({
          level: 'info',
          req: { method: 'POST', url: '/graphql' },
          res: { statusCode: 200 },
          durationMs: expect.any(Number),
          actorId: member.member.id,
          organisationId: member.member.organisationId,
        }),
      );
    });

    it('makes a new id when none is sent, or when the one sent is too long or has unsafe characters', async () => {
      for (const sent of [undefined, 'x'.repeat(65), '<script>alert(1)</script>', 'two words', 'line\tbreak']) {
        const response = await fetch(`${t.baseUrl}/practices`, { headers: sent === undefined ? {} : { 'x-request-id': sent } });
        const id = response.headers.get('x-request-id')!;
        expect(id).toMatch(UUID);
        expect(completion(await linesOf(id))).toEqual(
          expect.objectContaining({ req: { method: 'GET', url: '/practices' }, res: { statusCode: 200 }, route: '/practices' }),
        );
      }
      expect(capture.text()).not.toContain('<script>');
    });

    it('gives an id and a line to a request refused before routing (a body over the limit)', async () => {
      const tooLarge = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'logs-too-large' },
        body: `{"query":"${'x'.repeat(1_100_000)}"}`,
      });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers.get('x-request-id')).toBe('logs-too-large');
      expect(completion(await linesOf('logs-too-large'))).toEqual(expect.objectContaining({ res: { statusCode: 413 } }));
    });

    it('logs probes and static files at debug only', async () => {
      await fetch(`${t.baseUrl}/health`, { headers: { 'x-request-id': 'logs-health' } });
      await fetch(`${t.baseUrl}/assets/no-such-file.css`, { headers: { 'x-request-id': 'logs-asset' } });
      expect(completion(await linesOf('logs-health')).level).toBe('debug');
      expect(completion(await linesOf('logs-asset')).level).toBe('debug');
    });
  });

  describe('secrets', () => {
    it('keeps cookies, tokens, feed and unsubscribe secrets and SAML messages out of every line', async () => {
      const secrets: string[] = [member.token];
      const ids: string[] = [];
      const send = async (requestPath: string, init: RequestInit = {}) => {
        const id = `logs-secret-${ids.length}`;
        ids.push(id);
        const response = await fetch(`${t.baseUrl}${requestPath}`, {
          redirect: 'manual',
          ...init,
          headers: { ...(init.headers as Record<string, string>), 'x-request-id': id },
        });
        await response.arrayBuffer();
        await linesOf(id);
        return response;
      };

      // A bearer token and a session cookie, both accepted.
      await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
        body: '{"query":"{ me { id } }"}',
      });
      const { cookie: session } = await t.app
        .get(SessionService)
        .start(member.member, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: 'logs-test' });
      secrets.push(session);
      expect((await send('/practices', { headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(session)}` } })).status).toBe(200);
      // A refused token and an unknown cookie.
      const refused = `pe_${randomBytes(16).toString('hex')}_${secret()}`;
      const cookie = secret();
      secrets.push(refused, cookie);
      await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${refused}` },
        body: '{"query":"{ me { id } }"}',
      });
      await send('/practices', { headers: { cookie: `other=${cookie}` } });

      // A whole SAML sign-in: the login redirect (SAMLRequest, RelayState), the IdP's POST (SAMLResponse), and the
      // session cookie it sets.
      const organisation = await createOrganisation(t.app);
      await createIdentityProvider(t.app, organisation, idp);
      const login = await send(`/auth/saml/${organisation.slug}/login?returnTo=%2Fpractices`);
      const location = login.headers.get('location')!;
      const state = /pe_saml_state=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
      secrets.push(state, new URL(location).searchParams.get('SAMLRequest')!);
      const config = t.app.get(AppConfig);
      const samlResponse = idp.loginResponse({
        acsUrl: `${config.publicUrl}/auth/saml/${organisation.slug}/acs`,
        spEntityId: `${config.publicUrl}/auth/saml/${organisation.slug}/metadata`,
        inResponseTo: parseAuthnRequest(location).id,
        nameId: `nid-${unique()}`,
        nameIdFormat: NAMEID_FORMAT.persistent,
        attributes: { mail: `officer@${organisation.slug}.gov.uk`, displayName: 'A. Officer' },
      });
      secrets.push(samlResponse, samlResponse.slice(40, 80));
      const acs = await send(`/auth/saml/${organisation.slug}/acs`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${STATE_COOKIE}=${state}` },
        body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: 'relay-state-secret-0001' }).toString(),
      });
      expect(acs.status).toBe(303);
      const newSession = /pe_session=([^;]+)/.exec(acs.headers.get('set-cookie') ?? '')?.[1];
      expect(newSession).toBeTruthy();
      secrets.push(decodeURIComponent(newSession!), 'relay-state-secret-0001');
      // A SAML message refused (its text is not XML at all), and one in a redirect-binding query string.
      const bogus = Buffer.from(`<samlp:Response>${secret()}</samlp:Response>`).toString('base64');
      secrets.push(bogus);
      expect(
        (
          await send(`/auth/saml/${organisation.slug}/acs`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ SAMLResponse: bogus }).toString(),
          })
        ).status,
      ).toBe(400);
      const redirected = secret();
      secrets.push(redirected);
      await send(`/auth/saml/${organisation.slug}/slo?SAMLRequest=${redirected}&RelayState=${redirected}x&SigAlg=rsa&Signature=${redirected}y`);

      // An Atom feed's secret URL, good and forged, and a signed unsubscribe link.
      const feed = await subscribe(t, member, { channel: 'ATOM', frequency: 'IMMEDIATE' });
      const feedPath = new URL(feed.feedUrl!).pathname;
      const feedSecret = feedPath
        .split('/')
        .pop()!
        .replace(/\.atom$/, '');
      secrets.push(feedSecret);
      expect((await send(feedPath)).status).toBe(200);
      const forged = secret();
      secrets.push(forged);
      expect((await send(`/FEEDS//subscriptions/${forged}.atom`, { headers: { accept: 'text/html' } })).status).toBe(404);
      const unsubscribe = signUnsubscribeToken(feed.id, config.appSecret);
      secrets.push(unsubscribe);
      expect((await send(`/unsubscribe/${unsubscribe}`, { headers: { accept: 'text/html' } })).status).toBe(200);

      const text = capture.text();
      for (const id of ids) expect(text).toContain(`"requestId":"${id}"`);
      for (const value of secrets) {
        expect(value.length).toBeGreaterThan(8);
        expect(text).not.toContain(value);
        expect(text).not.toContain(encodeURIComponent(value));
      }
      // The completion lines still say what was asked for.
      expect(completion(await linesOf(ids.at(-1)!)).req).toEqual({ method: 'GET', url: '/unsubscribe/[redacted]' });
      expect(text).toContain('/feeds/subscriptions/[redacted]');
    });
  });

  it('redacts credentials and SAML messages that code logs by mistake, at any level', () => {
    const values = {
      cookie: secret(),
      authorization: `Bearer ${secret()}`,
      SAMLResponse: secret(),
      RelayState: secret(),
      webhookSecret: `whsec_${secret()}`,
      token: secret(),
    };
    new Logger('Careless').error({
      msg: 'careless line',
      headers: { cookie: values.cookie, authorization: values.authorization },
      SAMLResponse: values.SAMLResponse,
      body: { RelayState: values.RelayState },
      subscription: { webhookSecret: values.webhookSecret },
      token: values.token,
    });
    const line = capture.lines.find((l) => l.msg === 'careless line')!;
    expect(line).toEqual(
      expect.objectContaining({
        headers: { cookie: '[redacted]', authorization: '[redacted]' },
        SAMLResponse: '[redacted]',
        body: { RelayState: '[redacted]' },
        subscription: { webhookSecret: '[redacted]' },
        token: '[redacted]',
      }),
    );
    for (const value of Object.values(values)) expect(capture.text()).not.toContain(value);
  });

  describe('jobs', () => {
    let worker: RunningWorker | undefined;
    afterAll(() => worker?.stop());

    it("carries the publishing request's id into the publication job, and on into the deliveries it sends", async () => {
      worker = await startWorker(t.app.get(AppConfig), t.dataSource, capture.logger, { pollingIntervalSeconds: 0.5 });
      const tag = `logs-${unique()}`;
      const feed = await subscribe(t, member, { channel: 'ATOM', frequency: 'IMMEDIATE', filter: { tags: [tag] } });
      const draft = await createPractice(t.app, member, { status: PracticeStatus.DRAFT, tags: [tag], visibility: Visibility.TLP_CLEAR });
      const response = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}`, 'x-request-id': 'logs-publish-1' },
        body: JSON.stringify({ query: 'mutation($id: ID!) { publishPractice(input: { id: $id }) { status } }', variables: { id: draft.gid } }),
      });
      expectOk((await response.json()) as never, 'publishPractice');

      // The deliver job the publication job sent, finished, still names the request.
      const deadline = Date.now() + 30_000;
      let delivered: { id: string }[] = [];
      while (Date.now() < deadline && !delivered.length) {
        delivered = await t.dataSource.query(
          `SELECT id FROM pgboss.job WHERE name = 'digest-deliver' AND state = 'completed' AND data->>'requestId' = 'logs-publish-1' AND data::text LIKE $1`,
          [`%${feed.id}%`],
        );
        if (!delivered.length) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(delivered).toHaveLength(1);
      const [publication] = await t.dataSource.query(`SELECT id FROM pgboss.job WHERE name = 'digest-publication' AND data->>'requestId' = 'logs-publish-1'`);
      expect(publication).toBeDefined();
      const jobLines = capture.lines.filter((line) => line.requestId === 'logs-publish-1' && line.jobId);
      expect(jobLines).toContainEqual(expect.objectContaining({ msg: 'Job finished', kind: 'digest-publication', jobId: publication.id, attempt: 1 }));
      expect(jobLines).toContainEqual(expect.objectContaining({ msg: 'Job finished', kind: 'digest-deliver', jobId: delivered[0]!.id, attempt: 1 }));
    });
  });
});
