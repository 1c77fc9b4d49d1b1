import { connect } from 'node:net';
import { AppConfig } from '#config';
import { signUnsubscribeToken } from '#digests';
import { Role } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient } from '../support/web-client.js';

/**
 * Refusals on the HTTP routes (feeds, unsubscribe links, SAML metadata, the GraphQL endpoint's body) tell a person what
 * to do in our words: never the framework's or the database's text, never the input echoed back; an unknown failure
 * is a generic message with the request id.
 */
const INTERNALS =
  /Failed to decode|Unexpected token|JSON at position|Expected property name|Cannot (GET|POST)|QueryFailed|relation|pool|Driver|syntax|stack|\bat \w+ \(/i;

describe('HTTP refusals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a damaged unsubscribe link opened in a browser: a 400 page in our words, the input not echoed', async () => {
    const response = await fetch(`${t.baseUrl}/unsubscribe/%E0%A4%A`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('The request could not be read');
    expect(html).not.toMatch(INTERNALS);
    expect(html).not.toContain('%E0%A4%A');
  });

  it('a feed address of a weird shape: 4xx with a readable message', async () => {
    const damaged = await fetch(`${t.baseUrl}/feeds/subscriptions/%ZZ%00.atom`);
    expect(damaged.status).toBe(400);
    const body = (await damaged.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_USER_INPUT');
    expect(body.error.message).not.toMatch(INTERNALS);
    const unknown = await fetch(`${t.baseUrl}/feeds/subscriptions/${'A'.repeat(3000)}.atom`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/^No such feed/);
  });

  it('SAML metadata of a damaged organisation slug: 400 in our words', async () => {
    const response = await fetch(`${t.baseUrl}/auth/saml/%C0%AF/metadata`);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).not.toMatch(INTERNALS);
  });

  it('a GraphQL body that is not JSON: 400 BAD_USER_INPUT saying so, not the parser’s words', async () => {
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ me { id } }",',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('valid JSON') });
    expect(body.error.message).not.toMatch(INTERNALS);
  });

  it('a NUL character anywhere (address, form, JSON variables, a GraphQL string): 400 saying so, nothing reaches the database', async () => {
    const org = await createOrganisation(t.app);
    const member = await createMember(t.app, org, [Role.CONTRIBUTOR, Role.ORG_ADMIN]);
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM practice');
    const variables = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
      body: JSON.stringify({
        query: 'mutation($i: CreatePracticeInput!) { createPractice(input: $i) { id } }',
        variables: { i: { title: 'a\u0000b', summary: 's', problem: 'p', approach: 'a', outcomes: 'o', tags: [], visibility: 'TLP_GREEN' } },
      }),
    });
    expect(variables.status).toBe(400);
    expect(await variables.json()).toEqual({ error: { code: 'BAD_USER_INPUT', message: expect.stringContaining('NUL character') } });
    const inline = await t.gql('{ organisation(slug: "kent\\u0000") { id } }');
    expect({ status: inline.status, code: inline.errors?.[0]?.extensions?.code, message: inline.errors?.[0]?.message }).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('NUL character'),
    });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM practice')).toEqual(before);

    const page = await fetch(`${t.baseUrl}/practices?q=a%00`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('NUL character');
    const web = new WebClient(t.baseUrl);
    await web.signIn(t.app, member.member);
    await web.get('/practices/new');
    const form = await web.post('/practices/new', { title: 'a\u0000b', summary: 's' });
    expect(form.status).toBe(400);
    expect(form.html).not.toMatch(INTERNALS);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM practice')).toEqual(before);
  });

  it('an address over the header limit, or a request that is not HTTP: 4xx with a JSON message, not an empty answer', async () => {
    const long = await fetch(`${t.baseUrl}/auth/saml/kent/slo?SAMLRequest=${'A'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect(await long.json()).toEqual({ error: { code: 'BAD_USER_INPUT', message: expect.stringContaining('too long') } });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(t.baseUrl).port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('"code":"BAD_USER_INPUT"');
    expect((await fetch(`${t.baseUrl}/health`)).status).toBe(200);
  });

  it('an unknown address: 404 in our words', async () => {
    const response = await fetch(`${t.baseUrl}/no/such/page`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).not.toMatch(INTERNALS);
    expect(body.error.message).not.toContain('/no/such/page');
  });
});

describe('HTTP routes when the database is gone', () => {
  it('answer a generic message with the request id, never the error text', async () => {
    const t = await startTestApp();
    const token = signUnsubscribeToken('4a4b3f3e-0d7b-4d63-9a4e-2f9e3f0c9a11', t.app.get(AppConfig).appSecret);
    await t.dataSource.destroy();
    try {
      const metadata = await fetch(`${t.baseUrl}/auth/saml/some-org/metadata`, { headers: { accept: 'application/json', 'x-request-id': 'req-metadata-1' } });
      expect(metadata.status).toBe(500);
      const body = (await metadata.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body.error.message).toContain('req-metadata-1');
      expect(body.error.message).not.toMatch(INTERNALS);
      // Liveness does not depend on the database; readiness names it, in its own words.
      expect((await fetch(`${t.baseUrl}/health`)).status).toBe(200);
      const ready = await fetch(`${t.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      const readiness = await ready.text();
      expect(JSON.parse(readiness).error.database.status).toBe('down');
      expect(readiness).not.toMatch(INTERNALS);
      const page = await fetch(`${t.baseUrl}/unsubscribe/${token}`, { headers: { accept: 'text/html', 'x-request-id': 'req-unsub-1' } });
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain('Something went wrong');
      expect(html).toContain('req-unsub-1');
      expect(html).not.toMatch(INTERNALS);
    } finally {
      await t.app.close();
    }
  });
});
