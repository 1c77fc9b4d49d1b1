import { createHash } from 'node:crypto';
import { AppConfig } from '#config';
import { signUnsubscribeToken } from '#digests';
import { Role, SessionService } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { subscribe } from '../support/digests.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Security headers on every response (GraphQL, health, HTML pages, 404s, refusals): no MIME sniffing, no framing, and
 * a Content-Security-Policy under which a page runs only the inline code it was served with.
 */

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

function expectBaseHeaders(response: Response) {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  const csp = directives(response.headers.get('content-security-policy'));
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(response.headers.get('x-powered-by')).toBeNull();
}

/**
 * An HTML page under a strict policy: scripts and styles only by this response's nonce (no 'unsafe-inline', no
 * host), no inline event handlers, and every inline `<script>` and `<style>` carrying that nonce.
 */
function expectStrictPage(response: Response, html: string) {
  expectBaseHeaders(response);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = directives(response.headers.get('content-security-policy'));
  const scriptSrc = csp.get('script-src')!;
  expect(scriptSrc).toHaveLength(1);
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc[0]!)?.[1];
  expect(nonce).toBeDefined();
  expect(csp.get('style-src')).toEqual([`'nonce-${nonce}'`]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  const inline = [...html.matchAll(/<(script|style)\b([^>]*)>/gi)];
  for (const [tag, , attributes] of inline) {
    expect({ tag, nonce: /\bnonce="([^"]*)"/.exec(attributes!)?.[1] }).toEqual({ tag, nonce });
  }
  return nonce!;
}

/**
 * A GOV.UK page: scripts from this origin or by this response's nonce, styles from this origin's stylesheets only
 * (no inline `<style>` at all), no inline event handlers, every inline `<script>` carrying the nonce.
 */
function expectWebPage(response: Response, html: string) {
  expectBaseHeaders(response);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = directives(response.headers.get('content-security-policy'));
  const scriptSrc = csp.get('script-src')!;
  expect(scriptSrc).toHaveLength(2);
  expect(scriptSrc[0]).toBe("'self'");
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc[1]!)?.[1];
  expect(nonce).toBeDefined();
  expect(csp.get('style-src')).toEqual(["'self'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/<style\b/i);
  for (const [, attributes] of html.matchAll(/<script\b([^>]*)>/gi)) {
    expect(/\bnonce="([^"]*)"/.exec(attributes!)?.[1]).toBe(nonce);
  }
  return nonce!;
}

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('on GraphQL answers, health, a 404, and a refused body', async () => {
    const graphql = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(200);
    expectBaseHeaders(graphql);
    const health = await fetch(`${t.baseUrl}/health`);
    expect(health.status).toBe(200);
    expectBaseHeaders(health);
    const missing = await fetch(`${t.baseUrl}/no/such/page`);
    expect(missing.status).toBe(404);
    expectBaseHeaders(missing);
    const malformed = await fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(malformed.status).toBe(400);
    expectBaseHeaders(malformed);
  });

  it('the start page, signed out and signed in, runs only its own scripts; each response has a fresh nonce', async () => {
    const first = await fetch(`${t.baseUrl}/`);
    const nonce = expectWebPage(first, await first.text());
    const member = await createMember(t.app, await createOrganisation(t.app), [Role.CONTRIBUTOR]);
    const { cookie } = await t.app.get(SessionService).start(member.member, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: null });
    const signedIn = await fetch(`${t.baseUrl}/`, { headers: { cookie: `pe_session=${cookie}` } });
    const html = await signedIn.text();
    expect(html).toContain('Sign out');
    expect(html).toMatch(/<script [^>]*nonce=/);
    expect(expectWebPage(signedIn, html)).not.toBe(nonce);
  });

  it('the sign-in refusal page styles itself only with its nonce', async () => {
    const refused = await fetch(`${t.baseUrl}/auth/saml/no-such-organisation/login`);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('Sign-in did not work');
    expect(html).toMatch(/<style nonce=/);
    expectStrictPage(refused, html);
  });

  it('the unsubscribe confirmation and its refusal page', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app), [Role.CONTRIBUTOR]);
    const { id } = await subscribe(t, owner, { channel: 'ATOM' });
    const token = signUnsubscribeToken(id, t.app.get(AppConfig).appSecret);
    const confirm = await fetch(`${t.baseUrl}/unsubscribe/${token}`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('<form method="post">');
    expectStrictPage(confirm, html);
    // Its form posts back to this origin, which the policy allows.
    expect(directives(confirm.headers.get('content-security-policy')).get('form-action')).toContain("'self'");
    const refused = await fetch(`${t.baseUrl}/unsubscribe/not-a-token`);
    expect(refused.status).toBe(404);
    expectStrictPage(refused, await refused.text());
  });

  it('the GraphiQL page of development admits its own inline script by hash and its CDN, nothing else', async () => {
    const response = await fetch(`${t.baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expectBaseHeaders(response);
    const scriptSrc = directives(response.headers.get('content-security-policy')).get('script-src')!;
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    const inlineScripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
    expect(inlineScripts.length).toBeGreaterThan(0);
    // A new version of the page changes the hash: update GRAPHIQL_INLINE_SCRIPT_HASH after reading the new script.
    for (const hash of inlineScripts) expect(scriptSrc).toContain(hash);
    for (const [, src] of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) expect(src!.startsWith('https://unpkg.com/')).toBe(true);
  });

  describe('in demo mode', () => {
    let demo: TestApp;
    beforeAll(async () => {
      // No DATABASE_URL in the configuration is demo mode (the app still runs on the test's own database).
      demo = await startTestApp({ DATABASE_URL: '' });
    });
    afterAll(() => demo.close());

    it("the demo IdP's pages, and its hand-back that posts itself by script, run only their own inline code", async () => {
      const refused = await fetch(`${demo.baseUrl}/demo-idp/sso?SAMLRequest=nonsense`);
      expect(refused.status).toBe(400);
      expectStrictPage(refused, await refused.text());
      const config = demo.app.get(AppConfig);
      const handBack = await fetch(`${demo.baseUrl}/demo-idp/respond`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'sarah.okafor@kent.gov.uk',
          acsUrl: `${config.publicUrl}/auth/saml/kent/acs`,
          audience: `${config.publicUrl}/auth/saml/kent/metadata`,
          requestId: '_r1',
          relayState: '',
        }),
      });
      expect(handBack.status).toBe(201);
      const html = await handBack.text();
      expect(html).toMatch(/<script nonce="[^"]+">document\.getElementById\('f'\)\.submit\(\)<\/script>/);
      expectStrictPage(handBack, html);
      // It posts to the ACS at PUBLIC_URL, which the policy names.
      expect(directives(handBack.headers.get('content-security-policy')).get('form-action')).toContain(new URL(config.publicUrl).origin);
    });
  });
});
