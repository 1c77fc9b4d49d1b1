import { AppConfig } from '#config';
import { IdentityProviderRepository, type AttributeMapping, type IdentityProviderEntity, type OrganisationEntity } from '#identity';
import { createOrganisation } from '../factories/index.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type ResponseParams, type TestIdp } from './saml-idp.js';
import { startTestApp, type TestApp } from './test-app.js';
import { unique } from './unique.js';

/** What the SAML sign-in specs (saml-sign-in-*.e2e-spec.ts) share: cookies, a browser's steps and the database checks. */

export const STATE_COOKIE = 'pe_saml_state';
export const SESSION_COOKIE = 'pe_session';
export const ME = '{ me { name email roles organisation { slug } } }';

export interface SetCookie {
  name: string;
  value: string;
  /** The attributes after the value, as sent (`HttpOnly`, `SameSite=Lax`, ...). */
  attributes: string[];
}

/** The cookies a response sets, by name (Node's fetch keeps every Set-Cookie header apart). */
export function setCookies(response: Response): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';').map((s) => s.trim());
    const at = pair!.indexOf('=');
    const name = pair!.slice(0, at);
    out.set(name, { name, value: pair!.slice(at + 1), attributes });
  }
  return out;
}

export interface Org {
  organisation: OrganisationEntity;
  slug: string;
  domain: string;
  idpRecord: IdentityProviderEntity;
  idp: TestIdp;
  /** What the SP expects (from PUBLIC_URL): the response's Destination, Recipient and Audience. */
  urls: { acs: string; entityId: string; slo: string };
}

export interface Login {
  state: string;
  requestId: string;
  location: string;
}

export interface AcsResult {
  status: number;
  location: string | null;
  cookies: Map<string, SetCookie>;
  body: string;
}

/** A browser's steps through sign-in, and the rows a refusal must leave alone, against the running test app; `defaultIdp` serves organisations set up without one. */
export function samlSteps(app: () => TestApp, defaultIdp: () => TestIdp) {
  // -------------------------------------------------------------------------------------------------------------
  // Set-up and the browser's steps

  async function setUpOrg(options: { idp?: TestIdp; attributeMapping?: AttributeMapping; wantAuthnResponseSigned?: boolean } = {}): Promise<Org> {
    const organisation = await createOrganisation(app().app);
    const orgIdp = options.idp ?? defaultIdp();
    const { idp: idpRecord } = await app()
      .app.get(IdentityProviderRepository)
      .save({
        organisationId: organisation.id,
        key: 'main',
        name: 'Test IdP',
        entityId: orgIdp.entityId,
        ssoUrl: orgIdp.ssoUrl,
        sloUrl: orgIdp.sloUrl,
        certificates: [orgIdp.certificateBase64],
        attributeMapping: options.attributeMapping ?? {},
        ...(options.wantAuthnResponseSigned !== undefined ? { wantAuthnResponseSigned: options.wantAuthnResponseSigned } : {}),
      });
    const base = `${app().app.get(AppConfig).publicUrl}/auth/saml/${organisation.slug}`;
    return {
      organisation,
      slug: organisation.slug,
      domain: `${organisation.slug}.gov.uk`,
      idpRecord,
      idp: orgIdp,
      urls: { acs: `${base}/acs`, entityId: `${base}/metadata`, slo: `${base}/slo` },
    };
  }

  /** GET /login as a browser: the redirect to the IdP, the state cookie, and the AuthnRequest's ID. */
  async function startLogin(org: Org, returnTo = '/practices'): Promise<Login> {
    const response = await fetch(`${app().baseUrl}/auth/saml/${org.slug}/login?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${org.idp.ssoUrl}?`)).toBe(true);
    expect(new URL(location).searchParams.get('SAMLRequest')).toBeTruthy();
    const state = setCookies(response).get(STATE_COOKIE);
    expect(state).toBeDefined();
    // The IdP's POST back is cross-site: only a SameSite=None (hence Secure) cookie comes with it.
    expect(state!.attributes.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining(['httponly', 'secure', 'samesite=none', `path=/auth/saml/${org.slug}`]),
    );
    return { state: state!.value, requestId: parseAuthnRequest(location).id, location };
  }

  /** The IdP's auto-submitted form: POST SAMLResponse to an organisation's ACS, with the state cookie when given. */
  async function postAcs(slug: string, samlResponse: string, state?: string | null): Promise<AcsResult> {
    const response = await fetch(`${app().baseUrl}/auth/saml/${slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(state ? { cookie: `${STATE_COOKIE}=${state}` } : {}) },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
    return { status: response.status, location: response.headers.get('location'), cookies: setCookies(response), body: await response.text() };
  }

  /** A good response to `login`: persistent NameID, mail in the organisation's domain, a display name. */
  function params(org: Org, login: Login | null, overrides: Partial<ResponseParams> = {}): ResponseParams {
    return {
      acsUrl: org.urls.acs,
      spEntityId: org.urls.entityId,
      ...(login ? { inResponseTo: login.requestId } : {}),
      nameId: `nid-${unique()}`,
      nameIdFormat: NAMEID_FORMAT.persistent,
      attributes: { mail: `officer@${org.domain}`, displayName: 'A. Officer' },
      sessionIndex: `_si-${unique()}`,
      ...overrides,
    };
  }

  /** A whole good sign-in; returns the ACS answer and the parameters used. */
  async function signIn(org: Org, overrides: Partial<ResponseParams> = {}, returnTo = '/practices') {
    const login = await startLogin(org, returnTo);
    const p = params(org, login, overrides);
    const result = await postAcs(org.slug, org.idp.loginResponse(p), login.state);
    return { result, login, params: p };
  }

  /** The refusal's reason and message from the error page, so a failed sign-in says why. */
  function refusalOf(result: AcsResult): string | null {
    if (result.status === 303) return null;
    const text = result.body
      .replace(/<(style|title)>[\s\S]*?<\/\1>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, ' ')
      .trim();
    return text;
  }

  /** The sign-in went through (on failure, the message shows the refusal page's text). */
  function expectSignedIn(result: AcsResult, location?: string): void {
    expect({ status: result.status, refusal: refusalOf(result) }).toEqual({ status: 303, refusal: null });
    if (location !== undefined) expect(result.location).toBe(location);
    expect(result.cookies.has(SESSION_COOKIE)).toBe(true);
  }

  async function gqlWithCookie(query: string, cookie: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${app().baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${cookie}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }) };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Database state

  const count = async (sql: string, args: unknown[] = []): Promise<number> => Number((await app().dataSource.query(sql, args))[0].count);

  interface Snapshot {
    sessions: number;
    members: number;
    identities: number;
    refusalIds: Set<string>;
  }

  async function snapshot(): Promise<Snapshot> {
    const refusals = (await app().dataSource.query(`SELECT id FROM audit_event WHERE action = 'SIGN_IN_REFUSED'`)) as { id: string }[];
    return {
      sessions: await count('SELECT count(*) FROM session'),
      members: await count('SELECT count(*) FROM member'),
      identities: await count('SELECT count(*) FROM member_identity'),
      refusalIds: new Set(refusals.map((r) => r.id)),
    };
  }

  /** SIGN_IN_REFUSED rows written since `before`. */
  async function newRefusals(
    before: Snapshot,
  ): Promise<{ organisation_id: string | null; subject_id: string | null; details: { reason: string; path: string } }[]> {
    const rows = (await app().dataSource.query(
      `SELECT id, organisation_id, subject_id, details FROM audit_event WHERE action = 'SIGN_IN_REFUSED' ORDER BY occurred_at`,
    )) as {
      id: string;
      organisation_id: string | null;
      subject_id: string | null;
      details: { reason: string; path: string };
    }[];
    return rows.filter((r) => !before.refusalIds.has(r.id));
  }

  /**
   * The response was refused: a 400 page, no session cookie, no session, member or identity row, and one
   * SIGN_IN_REFUSED audit row for this ACS with one of `reasons` (any reason when none are given).
   */
  async function expectRefused(before: Snapshot, result: AcsResult, slug: string, reasons?: string[]): Promise<string> {
    expect({ status: result.status, location: result.location }).toEqual({ status: 400, location: null });
    expect(result.cookies.has(SESSION_COOKIE)).toBe(false);
    const after = await snapshot();
    expect({ sessions: after.sessions, members: after.members, identities: after.identities }).toEqual({
      sessions: before.sessions,
      members: before.members,
      identities: before.identities,
    });
    const refusals = await newRefusals(before);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.details.path).toBe(`/auth/saml/${slug}/acs`);
    if (reasons) expect(reasons).toContain(refusals[0]!.details.reason);
    expect(result.body).toContain('Sign-in did not work');
    return refusals[0]!.details.reason;
  }

  async function refusedFor(org: Org, build: (p: ResponseParams) => string, overrides: Partial<ResponseParams> = {}, reasons?: string[]): Promise<string> {
    const login = await startLogin(org);
    const before = await snapshot();
    const result = await postAcs(org.slug, build(params(org, login, overrides)), login.state);
    return expectRefused(before, result, org.slug, reasons);
  }

  return { setUpOrg, startLogin, postAcs, params, signIn, refusalOf, expectSignedIn, gqlWithCookie, count, snapshot, newRefusals, expectRefused, refusedFor };
}

/**
 * The set-up every SAML sign-in spec repeats: the test app, the IdP most organisations use and a second, unrelated
 * one, the app closed after. `started` receives them once they run; the sign-in steps (against the first IdP) are
 * returned.
 */
export function samlSignInSuite(started: (running: { t: TestApp; config: AppConfig; idp: TestIdp; otherIdp: TestIdp }) => void) {
  let t: TestApp | undefined;
  let idp: TestIdp | undefined;
  beforeAll(async () => {
    let otherIdp: TestIdp;
    [t, idp, otherIdp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.council.test/saml', ssoUrl: 'https://idp.council.test/sso', sloUrl: 'https://idp.council.test/slo' }),
      createTestIdp({ entityId: 'https://idp.other.test/saml', ssoUrl: 'https://idp.other.test/sso', sloUrl: 'https://idp.other.test/slo' }),
    ]);
    started({ t, config: t.app.get(AppConfig), idp, otherIdp });
  });
  afterAll(() => t?.close());
  return samlSteps(
    () => t!,
    () => idp!,
  );
}
