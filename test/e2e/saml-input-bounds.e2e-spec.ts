import { createSign, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { AppConfig } from '#config';
import { type IdentityProviderEntity, type OrganisationEntity } from '#identity';
import { createOrganisation, createIdentityProvider } from '../factories/index.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type TestIdp } from '../support/saml-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * What one crafted request costs the SAML entry points: every message is bounded before it is inflated or parsed,
 * a Redirect-binding logout message is read only after its signature checked out, and no XML is read with a
 * regular expression. Each attack is answered with a 4xx, and the server still answers `/health` within a second
 * (the one timed assertion of the suite: an unbounded inflate or a quadratic regular expression holds the event
 * loop for seconds to hours on these inputs). Refusal pages show only our own sentences, never a library's or the
 * database's message.
 */

const STATE_COOKIE = 'pe_saml_state';
const SIG_ALG = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** Generous: the fixed server answers in a few milliseconds, the old one took seconds. */
const WITHIN_MS = 1000;

/** A LogoutRequest start followed by `<Issuer` many times: a regular expression looking for an Issuer backtracks quadratically. */
const issuerBomb = (repeats: number) => `<samlp:LogoutRequest xmlns:samlp="${SAMLP}" ID="_x" Version="2.0">${'<Issuer'.repeat(repeats)}`;

interface Org {
  organisation: OrganisationEntity;
  slug: string;
  idpRecord: IdentityProviderEntity;
  urls: { acs: string; entityId: string; slo: string };
}

describe('SAML entry points bound what a crafted request costs', () => {
  let t: TestApp;
  let config: AppConfig;
  let idp: TestIdp;

  beforeAll(async () => {
    [t, idp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.bounds.test/saml', ssoUrl: 'https://idp.bounds.test/sso', sloUrl: 'https://idp.bounds.test/slo' }),
    ]);
    config = t.app.get(AppConfig);
    expect((await fetch(`${t.baseUrl}/health`)).status).toBe(200);
  });
  afterAll(() => t.close());

  async function setUpOrg(): Promise<Org> {
    const organisation = await createOrganisation(t.app);
    const idpRecord = await createIdentityProvider(t.app, organisation, idp);
    const base = `${config.publicUrl}/auth/saml/${organisation.slug}`;
    return { organisation, slug: organisation.slug, idpRecord, urls: { acs: `${base}/acs`, entityId: `${base}/metadata`, slo: `${base}/slo` } };
  }

  /**
   * Sends the crafted request, then asks `/health`; both must be answered within {@link WITHIN_MS} of sending the
   * first. Returns the crafted request's status and page.
   */
  async function answeredQuickly(send: () => Promise<Response>): Promise<{ status: number; body: string }> {
    const started = Date.now();
    const response = await send();
    const body = await response.text();
    const health = await fetch(`${t.baseUrl}/health`);
    const elapsed = Date.now() - started;
    expect({ health: health.status, withinLimit: elapsed < WITHIN_MS, elapsed: elapsed < WITHIN_MS ? 'ok' : elapsed }).toEqual({
      health: 200,
      withinLimit: true,
      elapsed: 'ok',
    });
    return { status: response.status, body };
  }

  /** The reasons of SIGN_IN_REFUSED rows of this organisation, oldest first. */
  async function refusalReasons(org: Org): Promise<string[]> {
    const rows = (await t.dataSource.query(`SELECT details FROM audit_event WHERE action = 'SIGN_IN_REFUSED' AND organisation_id = $1 ORDER BY occurred_at`, [
      org.organisation.id,
    ])) as { details: { reason: string } }[];
    return rows.map((r) => r.details.reason);
  }

  /** A Redirect-binding query `SAMLRequest=…&SigAlg=…&Signature=…` for `xml`, signed with `privateKey` (or a made-up signature). */
  function redirectQuery(xml: string, privateKey: string | null): string {
    let query = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8'), { level: 9 }).toString('base64'))}&SigAlg=${encodeURIComponent(SIG_ALG)}`;
    const signature = privateKey ? createSign('RSA-SHA256').update(query).sign(privateKey, 'base64') : randomBytes(256).toString('base64');
    query += `&Signature=${encodeURIComponent(signature)}`;
    return query;
  }

  describe('GET /auth/saml/:org/slo (HTTP-Redirect)', () => {
    it('a few hundred bytes inflating to "<Issuer" repeated, with a made-up signature: 400 before anything is inflated, and /health within a second', async () => {
      const org = await setUpOrg();
      const query = redirectQuery(issuerBomb(20_000), null);
      expect(query.length).toBeLessThan(1500);
      const result = await answeredQuickly(() => fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo?${query}`, { redirect: 'manual' }));
      expect(result.status).toBe(400);
      expect(await refusalReasons(org)).toEqual(['INVALID_SIGNATURE']);
      expect(result.body).toContain('not signed by an identity provider of this organisation');
    });

    it("a message signed with the IdP's own key that inflates to 4 MB: refused as too large, and /health within a second", async () => {
      const org = await setUpOrg();
      const query = redirectQuery(issuerBomb((4 * 1024 * 1024) / 7), idp.privateKey);
      expect(query.length).toBeLessThan(10_000);
      const result = await answeredQuickly(() => fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo?${query}`, { redirect: 'manual' }));
      expect(result.status).toBe(400);
      expect(await refusalReasons(org)).toEqual(['TOO_LARGE']);
    });

    it('a well-formed LogoutRequest signed by a key of no IdP of the organisation ends nothing: refused on the signature', async () => {
      const org = await setUpOrg();
      const xml = Buffer.from(
        idp.logoutRequest({ sloUrl: org.urls.slo, spEntityId: org.urls.entityId, nameId: `nid-${unique()}`, sign: false }),
        'base64',
      ).toString('utf8');
      const result = await answeredQuickly(() =>
        fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo?${redirectQuery(xml, idp.otherKey.privateKey)}`, { redirect: 'manual' }),
      );
      expect(result.status).toBe(400);
      expect(await refusalReasons(org)).toEqual(['INVALID_SIGNATURE']);
    });

    it('a signed message with a DOCTYPE is refused before it is parsed', async () => {
      const org = await setUpOrg();
      const xml = `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${issuerBomb(1)}`;
      const result = await answeredQuickly(() => fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo?${redirectQuery(xml, idp.privateKey)}`, { redirect: 'manual' }));
      expect(result.status).toBe(400);
      expect(await refusalReasons(org)).toEqual(['DOCTYPE']);
    });
  });

  describe('POST /auth/saml/:org/slo (HTTP-POST)', () => {
    it('"<Issuer" repeated in a posted LogoutRequest: 400, and /health within a second', async () => {
      const org = await setUpOrg();
      const body = new URLSearchParams({ SAMLRequest: Buffer.from(issuerBomb(9_000), 'utf8').toString('base64') }).toString();
      expect(body.length).toBeLessThan(100 * 1024);
      const result = await answeredQuickly(() =>
        fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
      expect(result.status).toBe(400);
      expect(await refusalReasons(org)).toEqual(['MALFORMED']);
    });
  });

  describe('POST /auth/saml/:org/acs', () => {
    it('a body over 100 kB is refused (413) before any SAML parsing, and /health within a second', async () => {
      const org = await setUpOrg();
      const body = new URLSearchParams({ SAMLResponse: randomBytes(120 * 1024).toString('base64') }).toString();
      const result = await answeredQuickly(() =>
        fetch(`${t.baseUrl}/auth/saml/${org.slug}/acs`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
      expect(result.status).toBe(413);
    });

    it('deeply nested XML is refused with 400, and /health within a second', async () => {
      const org = await setUpOrg();
      const body = new URLSearchParams({
        SAMLResponse: Buffer.from(`<samlp:Response xmlns:samlp="${SAMLP}">${'<a>'.repeat(20_000)}`, 'utf8').toString('base64'),
      }).toString();
      const result = await answeredQuickly(() =>
        fetch(`${t.baseUrl}/auth/saml/${org.slug}/acs`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
      expect(result.status).toBe(400);
      expect(await refusalReasons(org)).toEqual(['MALFORMED']);
    });
  });

  describe('refusal pages show our sentences, never internal or database messages', () => {
    /** The text a person reads on a page. */
    const textOf = (html: string) =>
      html
        .replace(/<(style|title)>[\s\S]*?<\/\1>/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();

    async function postAcs(slug: string, samlResponse: string, state?: string) {
      const response = await fetch(`${t.baseUrl}/auth/saml/${slug}/acs`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(state ? { cookie: `${STATE_COOKIE}=${state}` } : {}) },
        body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
      });
      return { status: response.status, text: textOf(await response.text()) };
    }

    it('a response whose InResponseTo holds a NUL character: 400 with our sentence, no database message', async () => {
      const org = await setUpOrg();
      const xml = `<samlp:Response xmlns:samlp="${SAMLP}" ID="_r" Version="2.0" InResponseTo="_a\u0000b"></samlp:Response>`;
      const result = await postAcs(org.slug, Buffer.from(xml, 'utf8').toString('base64'));
      expect(result.status).toBe(400);
      expect(result.text).not.toMatch(/byte sequence|encoding|UTF8|0x00|syntax|query|relation|column/i);
      expect(result.text).toContain('Sign-in did not work');
    });

    it('an organisation slug with a NUL character: 400 saying so, no database message', async () => {
      const response = await fetch(`${t.baseUrl}/auth/saml/a%00b/login?returnTo=/`, { redirect: 'manual' });
      const text = textOf(await response.text());
      expect(response.status).toBe(400);
      expect(text).not.toMatch(/byte sequence|encoding|UTF8|0x00/i);
      expect(text).toContain('NUL character');
    });

    it("node-saml's message for an audience mismatch is logged, not shown: the page says what to do", async () => {
      const org = await setUpOrg();
      const login = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=/`, { redirect: 'manual' });
      const state = login.headers
        .getSetCookie()
        .find((c) => c.startsWith(`${STATE_COOKIE}=`))!
        .split(';')[0]!
        .split('=')[1]!;
      const requestId = parseAuthnRequest(login.headers.get('location')!).id;
      const samlResponse = idp.loginResponse({
        acsUrl: org.urls.acs,
        spEntityId: 'https://other-sp.example/metadata',
        inResponseTo: requestId,
        nameId: `nid-${unique()}`,
        nameIdFormat: NAMEID_FORMAT.persistent,
        attributes: { mail: `officer@${org.slug}.gov.uk` },
      });
      const result = await postAcs(org.slug, samlResponse, state);
      expect(result.status).toBe(400);
      expect(result.text).not.toMatch(/audience mismatch|Expected:|Received:|other-sp\.example/);
      expect(result.text).toContain('meant for another service');
      expect(await refusalReasons(org)).toEqual(['INVALID']);
    });

    it("node-saml's message for a bad signature is not shown either", async () => {
      const org = await setUpOrg();
      const login = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=/`, { redirect: 'manual' });
      const state = login.headers
        .getSetCookie()
        .find((c) => c.startsWith(`${STATE_COOKIE}=`))!
        .split(';')[0]!
        .split('=')[1]!;
      const requestId = parseAuthnRequest(login.headers.get('location')!).id;
      const samlResponse = idp.signedByOtherKey({
        acsUrl: org.urls.acs,
        spEntityId: org.urls.entityId,
        inResponseTo: requestId,
        nameId: `nid-${unique()}`,
        attributes: { mail: `officer@${org.slug}.gov.uk` },
      });
      const result = await postAcs(org.slug, samlResponse, state);
      expect(result.status).toBe(400);
      expect(result.text).not.toMatch(/Invalid (document )?signature/);
      expect(result.text).toContain('signature does not match the certificates registered');
    });
  });
});
