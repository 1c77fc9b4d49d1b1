import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppConfig } from '#config';
import { OrganisationService, Role, SESSION_COOKIE } from '#identity';
import { runCli } from '../../apps/cli/src/run-cli.js';
import { createMember } from '../factories/index.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type TestIdp } from '../support/saml-idp.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient } from '../support/web-client.js';
import { unique } from '../support/unique.js';

/**
 * Bootstrapping: the operator invites a member with `member:create` (roles and all, no IdP subject yet), and the
 * first real SAML sign-in with that address through an IdP of the member's own organisation takes the invitation
 * up, once, audited. The IdPs are the signing test fixture; the CLI runs in-process on the API's database.
 */

const STATE_COOKIE = 'pe_saml_state';
const APP_SECRET = 'x'.repeat(32);
const ME = '{ me { id name email roles organisation { slug } } }';
const CONFIGURE = 'mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { id trustConfirmed } }';

interface Org {
  slug: string;
  domain: string;
  idp: TestIdp;
}

interface AcsResult {
  status: number;
  session: string | null;
  text: string;
}

describe('member:create invites; the first sign-in through the organisation IdP claims the invitation', () => {
  let t: TestApp;
  let config: AppConfig;
  let council: TestIdp;
  let other: TestIdp;
  let attacker: TestIdp;
  let dir: string;

  beforeAll(async () => {
    [t, council, other, attacker] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.council.test/saml', ssoUrl: 'https://idp.council.test/sso', sloUrl: 'https://idp.council.test/slo' }),
      createTestIdp({ entityId: 'https://idp.other.test/saml', ssoUrl: 'https://idp.other.test/sso', sloUrl: 'https://idp.other.test/slo' }),
      createTestIdp({ entityId: 'https://idp.attacker.test/saml', ssoUrl: 'https://idp.attacker.test/sso', sloUrl: 'https://idp.attacker.test/slo' }),
    ]);
    config = t.app.get(AppConfig);
    dir = mkdtempSync(path.join(os.tmpdir(), 'pe-invitation-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ status: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATABASE_URL: t.databaseUrl, APP_SECRET } });
    return { status, out: out.join('\n'), err: err.join('\n') };
  }

  async function ok(...args: string[]): Promise<string> {
    const run = await cli(...args);
    expect({ status: run.status, err: run.err }).toEqual({ status: 0, err: '' });
    return run.out;
  }

  /** An organisation and its IdP `main`, both set up by the operator with the CLI (so the IdP's trust is confirmed). */
  async function operatorOrg(idp: TestIdp = council): Promise<Org> {
    const slug = `inv-${unique()}`;
    await ok('org:create', '--slug', slug, '--name', `Council ${slug}`, '--kind', 'UK_COUNCIL', '--country', 'GB', '--domains', `${slug}.gov.uk`);
    const file = path.join(dir, `${slug}.xml`);
    writeFileSync(file, idp.metadataXml);
    await ok('idp:configure', '--org', slug, '--metadata-file', file);
    return { slug, domain: `${slug}.gov.uk`, idp };
  }

  /** A whole browser sign-in at `org`'s ACS, answered by `by` (by default the organisation's IdP) for `nameId` and `mail`. */
  async function signIn(org: Org, nameId: string, mail: string, by: TestIdp = org.idp): Promise<AcsResult> {
    const login = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=/`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const state = login.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${STATE_COOKIE}=`))!
      .split(';')[0]!
      .split('=')[1]!;
    const base = `${config.publicUrl}/auth/saml/${org.slug}`;
    const samlResponse = by.loginResponse({
      acsUrl: `${base}/acs`,
      spEntityId: `${base}/metadata`,
      inResponseTo: parseAuthnRequest(login.headers.get('location')!).id,
      nameId,
      nameIdFormat: NAMEID_FORMAT.persistent,
      attributes: { mail, displayName: 'Ada Admin' },
    });
    const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${STATE_COOKIE}=${state}` },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
    const html = await response.text();
    const session = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    return {
      status: response.status,
      session: session ? session.split(';')[0]!.slice(SESSION_COOKIE.length + 1) : null,
      text: html
        .replace(/<(style|title)>[\s\S]*?<\/\1>/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&#39;/g, "'")
        .replace(/\s+/g, ' ')
        .trim(),
    };
  }

  const expectSignedIn = (result: AcsResult) =>
    expect({ status: result.status, session: result.session !== null, text: result.status === 303 ? '' : result.text }).toEqual({
      status: 303,
      session: true,
      text: '',
    });

  async function me(session: string) {
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${session}` },
      body: JSON.stringify({ query: ME }),
    });
    return ((await response.json()) as { data: { me: { name: string; email: string; roles: string[]; organisation: { slug: string } } | null } }).data.me;
  }

  const memberRow = async (email: string) =>
    (await t.dataSource.query('SELECT id, name, roles::text[] AS roles, deactivated_at FROM member WHERE email = $1', [email]))[0] as
      { id: string; name: string; roles: string[]; deactivated_at: Date | null } | undefined;
  const identitiesOf = (memberId: string): Promise<{ name_id: string; idp_key: string; slug: string }[]> =>
    t.dataSource.query(
      `SELECT mi.name_id, i.key AS idp_key, o.slug FROM member_identity mi JOIN identity_provider i ON i.id = mi.identity_provider_id JOIN organisation o ON o.id = i.organisation_id
        WHERE mi.member_id = $1 ORDER BY mi.created_at`,
      [memberId],
    );
  const claims = (memberId: string): Promise<{ actor_member_id: string | null; organisation_id: string; details: Record<string, unknown> }[]> =>
    t.dataSource.query(`SELECT actor_member_id, organisation_id, details FROM audit_event WHERE action = 'MEMBER_INVITATION_CLAIMED' AND subject_id = $1`, [
      memberId,
    ]);
  const refusalReasons = async (slug: string): Promise<string[]> =>
    (
      await t.dataSource.query(
        `SELECT a.details->>'reason' AS reason FROM audit_event a JOIN organisation o ON o.id = a.organisation_id WHERE a.action = 'SIGN_IN_REFUSED' AND o.slug = $1 ORDER BY a.occurred_at, a.id`,
        [slug],
      )
    ).map((r: { reason: string }) => r.reason);

  it('the first platform admin: invited with the CLI, signs in through the organisation IdP, holds PLATFORM_ADMIN, reaches /platform; the claim is audited once', async () => {
    const org = await operatorOrg();
    const email = `ada@${org.domain}`;
    const invited = await ok('member:create', '--org', org.slug, '--email', email, '--name', 'A. Admin', '--roles', 'PLATFORM_ADMIN');
    expect(invited).toContain('invited');
    const before = (await memberRow(email))!;
    expect(before.roles).toEqual(['PLATFORM_ADMIN']);
    expect(await identitiesOf(before.id)).toEqual([]);

    // The IdP sends the address in another case: addresses compare case-insensitively.
    const nameId = `nid-${unique()}`;
    const first = await signIn(org, nameId, `Ada@${org.domain.toUpperCase()}`);
    expectSignedIn(first);
    expect(await me(first.session!)).toEqual({ id: expect.any(String), name: 'Ada Admin', email, roles: ['PLATFORM_ADMIN'], organisation: { slug: org.slug } });

    // The same member (no second one), its subject linked, the claim audited with the IdP, then the sign-in.
    expect(await memberRow(email)).toEqual({ id: before.id, name: 'Ada Admin', roles: ['PLATFORM_ADMIN'], deactivated_at: null });
    expect(Number((await t.dataSource.query('SELECT count(*) FROM member WHERE email = $1', [email]))[0].count)).toBe(1);
    expect(await identitiesOf(before.id)).toEqual([{ name_id: nameId, idp_key: 'main', slug: org.slug }]);
    expect(await claims(before.id)).toEqual([
      { actor_member_id: before.id, organisation_id: expect.any(String), details: { identityProvider: 'main', roles: ['PLATFORM_ADMIN'] } },
    ]);
    const [signInRow] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'SIGN_IN' AND subject_id = $1`, [before.id]);
    expect(signInRow.n).toBe(1);

    // The platform admins' web pages open with that session.
    const browser = new WebClient(t.baseUrl);
    browser.cookies.set(SESSION_COOKIE, first.session!);
    const page = await browser.get('/platform');
    expect(page.status).toBe(200);
    expect(page.html).toContain(org.slug);

    // Signing in again is an ordinary sign-in: no second claim.
    expectSignedIn(await signIn(org, nameId, email));
    expect(await claims(before.id)).toHaveLength(1);
  });

  it('once claimed, another subject with the same address is refused (EMAIL_IN_USE) and linked to nothing', async () => {
    const org = await operatorOrg();
    const email = `bob@${org.domain}`;
    await ok('member:create', '--org', org.slug, '--email', email, '--name', 'Bob', '--roles', 'CONTRIBUTOR,MODERATOR');
    const member = (await memberRow(email))!;
    expectSignedIn(await signIn(org, `nid-${unique()}`, email));

    const second = await signIn(org, `nid-${unique()}`, email);
    expect({ status: second.status, session: second.session }).toEqual({ status: 400, session: null });
    expect(second.text).toContain('already exists');
    expect(await refusalReasons(org.slug)).toEqual(['EMAIL_IN_USE']);
    expect(await identitiesOf(member.id)).toHaveLength(1);
    expect(await claims(member.id)).toHaveLength(1);
    // The roles the operator granted, MODERATOR included (an IdP never grants it), are kept.
    expect((await memberRow(email))!.roles.sort()).toEqual(['CONTRIBUTOR', 'MODERATOR']);
  });

  it('two first sign-ins with different subjects at the same moment: exactly one claims the invitation', async () => {
    const org = await operatorOrg();
    const email = `race@${org.domain}`;
    await ok('member:create', '--org', org.slug, '--email', email, '--name', 'Race', '--roles', 'CONTRIBUTOR');
    const member = (await memberRow(email))!;
    const results = await Promise.all([signIn(org, `nid-${unique()}`, email), signIn(org, `nid-${unique()}`, email)]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(await identitiesOf(member.id)).toHaveLength(1);
    expect(await claims(member.id)).toHaveLength(1);
    expect(await refusalReasons(org.slug)).toEqual(['EMAIL_IN_USE']);
  });

  it("another organisation's IdP does not claim it, even when that organisation now owns the address's domain", async () => {
    const home = await operatorOrg();
    const elsewhere = await operatorOrg(other);
    const email = `carol@${home.domain}`;
    await ok('member:create', '--org', home.slug, '--email', email, '--name', 'Carol', '--roles', 'PLATFORM_ADMIN');
    const member = (await memberRow(email))!;

    // The other IdP cannot sign in an address of a domain its organisation does not have.
    const foreign = await signIn(elsewhere, `nid-${unique()}`, email);
    expect({ status: foreign.status, session: foreign.session }).toEqual({ status: 400, session: null });
    // The domain moves to the other organisation: its IdP now passes the domain check, and still claims nothing.
    await ok('org:domains', '--org', home.slug, '--remove', home.domain);
    await ok('org:domains', '--org', elsewhere.slug, '--add', home.domain);
    const moved = await signIn(elsewhere, `nid-${unique()}`, email);
    expect({ status: moved.status, session: moved.session }).toEqual({ status: 400, session: null });
    expect(await refusalReasons(elsewhere.slug)).toEqual(['DOMAIN_NOT_ALLOWED', 'EMAIL_IN_USE']);
    expect(await identitiesOf(member.id)).toEqual([]);
    expect(await claims(member.id)).toEqual([]);
    expect((await memberRow(email))!.roles).toEqual(['PLATFORM_ADMIN']);
  });

  it('a platform admin invitation is not claimed through an IdP whose trust change awaits confirmation; once the operator confirms, it is', async () => {
    const org = await operatorOrg();
    const orgAdmin = await createMember(t.app, await t.app.get(OrganisationService).requireBySlug(org.slug), [Role.ORG_ADMIN]);
    const email = `dan@${org.domain}`;
    await ok('member:create', '--org', org.slug, '--email', email, '--name', 'Dan', '--roles', 'PLATFORM_ADMIN');
    const member = (await memberRow(email))!;

    // The organisation's admin points the IdP at one they control: a trust change no platform admin confirmed.
    expect(
      expectOk(
        await t.gql(CONFIGURE, { input: { organisationSlug: org.slug, metadataXml: attacker.metadataXml } }, orgAdmin.token),
        'configureIdentityProvider',
      ).trustConfirmed,
    ).toBe(false);
    const refused = await signIn(org, `nid-${unique()}`, email, attacker);
    expect({ status: refused.status, session: refused.session }).toEqual({ status: 400, session: null });
    expect(refused.text).toMatch(/platform admin must confirm/i);
    expect(await refusalReasons(org.slug)).toEqual(['TRUST_CHANGE_UNCONFIRMED']);
    expect(await identitiesOf(member.id)).toEqual([]);
    expect(await claims(member.id)).toEqual([]);

    // The operator saves the IdP as it now is, which confirms its trust: the invitation is claimed.
    const file = path.join(dir, `${org.slug}-attacker.xml`);
    writeFileSync(file, attacker.metadataXml);
    await ok('idp:configure', '--org', org.slug, '--metadata-file', file);
    const nameId = `nid-${unique()}`;
    const accepted = await signIn(org, nameId, email, attacker);
    expectSignedIn(accepted);
    expect((await me(accepted.session!))!.roles).toEqual(['PLATFORM_ADMIN']);
    expect((await identitiesOf(member.id)).map((i) => i.name_id)).toEqual([nameId]);
    expect(await claims(member.id)).toHaveLength(1);
  });

  it('a deactivated invitation cannot be claimed', async () => {
    const org = await operatorOrg();
    const email = `erin@${org.domain}`;
    await ok('member:create', '--org', org.slug, '--email', email, '--name', 'Erin', '--roles', 'ORG_ADMIN');
    await ok('member:deactivate', '--email', email);
    const member = (await memberRow(email))!;
    const refused = await signIn(org, `nid-${unique()}`, email);
    expect({ status: refused.status, session: refused.session }).toEqual({ status: 400, session: null });
    expect(await refusalReasons(org.slug)).toEqual(['DEACTIVATED']);
    expect(await identitiesOf(member.id)).toEqual([]);
    expect(await claims(member.id)).toEqual([]);
  });
});
