/**
 * "API tokens" over HTTP: the list, the form (its errors with what was typed kept), the new token shown once on the
 * answer to the form and never again, and revocation (with the tokens minted from it). Every POST is checked against
 * the api_token rows; a form without its CSRF token and another member's token change nothing.
 */
import { Actor, ApiTokenService, TokenScope, toGlobalId, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, textOf, titleOf, type WebPage } from '../support/web-client.js';
import { unique } from '../support/unique.js';

const DAY = 86_400_000;
const TOKEN = /pe_[0-9a-f]{32}_[0-9a-f]{64}/g;

function inputNamed(html: string, name: string): string {
  return new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
}

function summaryOf(page: WebPage): { text: string; href: string | null }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(page.html)?.[0] ?? '';
  return [...summary.matchAll(/<li>\s*(?:<a href="([^"]*)">)?([\s\S]*?)(?:<\/a>)?\s*<\/li>/g)].map((m) => ({ text: textOf(m[2]!), href: m[1] ?? null }));
}

describe('web pages: API tokens', () => {
  let t: TestApp;
  let organisation: OrganisationEntity;
  let owner: TestMember;
  let stranger: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    organisation = await createOrganisation(t.app, { name: 'Token Test Council' });
    owner = await createMember(t.app, organisation);
    stranger = await createMember(t.app, await createOrganisation(t.app));
  });
  afterAll(() => t.close());

  async function signedIn(member: TestMember = owner): Promise<WebClient> {
    const browser = new WebClient(t.baseUrl);
    await browser.signIn(t.app, member.member);
    return browser;
  }

  const tokenRows = (member: TestMember): Promise<Record<string, any>[]> =>
    t.dataSource.query('SELECT * FROM api_token WHERE member_id = $1 ORDER BY created_at, id', [member.member.id]);
  const tokenRow = async (id: string): Promise<Record<string, any>> => (await t.dataSource.query('SELECT * FROM api_token WHERE id = $1', [id]))[0];

  it('asks a signed-out visitor to sign in, and refuses a token without the admin scope', async () => {
    const visitor = new WebClient(t.baseUrl);
    expect((await visitor.get('/tokens')).status).toBe(401);
    expect((await visitor.get('/tokens/new')).status).toBe(401);
    const { token } = await t.app.get(ApiTokenService).createForMember(owner.member, { name: 'read only', scopes: [TokenScope.READ] });
    const page = await visitor.get('/tokens', { authorization: `Bearer ${token}` });
    expect([page.status, titleOf(page.html)]).toEqual([404, 'Page not found – Practice Exchange']);
  });

  it("lists the member's tokens, with their scopes, dates and status", async () => {
    const browser = await signedIn();
    const page = await browser.get('/tokens');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(titleOf(page.html)).toBe('API tokens – Practice Exchange');
    const text = textOf(page.html);
    // The factory's token, with every scope.
    expect(text).toContain('test');
    expect(text).toContain('Scopes Read, Write, Moderate, Administer');
    expect(text).toContain('Last used Never');
    expect(text).toContain('Status Active');
    expect(page.html).toContain('href="/tokens/new"');
    expect(page.html).not.toMatch(TOKEN);
  });

  it('creates a token and shows it once, on the answer to the form, never in an address nor again', async () => {
    const browser = await signedIn();
    const form = await browser.get('/tokens/new');
    expect(form.status).toBe(200);
    expect(titleOf(form.html)).toBe('Create an API token – Practice Exchange');
    expect(inputNamed(form.html, 'expiry')).toBeTruthy();
    expect(form.html).toMatch(/name="expiry" type="radio" value="90" checked/);
    for (const scope of ['read', 'write', 'moderate', 'admin']) expect(form.html).toMatch(new RegExp(`name="scopes" type="checkbox" value="${scope}"`));
    const before = Date.now();
    const created = await browser.post('/tokens/new', { name: 'Intranet news feed', scopes: ['read', 'write'], expiry: '30' });
    expect(created.status).toBe(201);
    expect(created.location).toBeNull();
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(titleOf(created.html)).toBe('Your new API token – Practice Exchange');
    const shown = [...new Set(created.html.match(TOKEN))];
    expect(shown).toHaveLength(1);
    const token = shown[0]!;
    expect(created.html).toMatch(new RegExp(`<textarea[^>]*id="token"[^>]*readonly[^>]*>${token}</textarea>`));
    expect(created.html).toContain('data-pe-copy="token"');
    expect(textOf(created.html)).toContain('Copy the token now. You will not be able to see it again.');
    expect(created.html).toMatch(/<script type="module" src="\/assets\/app\/copy.mjs" nonce="[^"]+"><\/script>/);

    const row = (await tokenRows(owner)).find((r) => r.name === 'Intranet news feed')!;
    expect(row).toMatchObject({ scopes: '{read,write}', revoked_at: null, created_by_token_id: null });
    expect(Math.abs(row.expires_at.getTime() - (before + 30 * DAY))).toBeLessThan(60_000);
    expect(row.secret_hash.toString('hex')).not.toContain(token.slice(36));
    // It works, as the one it says it is.
    const actor = await t.app.get(ApiTokenService).authenticate(token);
    expect([actor.memberId, actor.scopes]).toEqual([owner.member.id, [TokenScope.READ, TokenScope.WRITE]]);

    // Never again: not on the list, the form, or the revocation page.
    for (const path of ['/tokens', '/tokens/new', `/tokens/${toGlobalId('ApiToken', row.id)}/revoke`]) {
      const page = await browser.get(path);
      expect([path, page.status, page.html.includes(token)]).toEqual([path, 200, false]);
    }
    expect(textOf((await browser.get('/tokens')).html)).toContain('Intranet news feed');
  });

  it('shows the errors in a summary and beside each field, keeps the answers, and writes nothing', async () => {
    const browser = await signedIn();
    const before = (await tokenRows(owner)).length;
    await browser.get('/tokens/new');
    const empty = await browser.post('/tokens/new', { name: '', expiry: '' });
    expect(empty.status).toBe(400);
    expect(titleOf(empty.html)).toBe('Error: Create an API token – Practice Exchange');
    expect(summaryOf(empty)).toEqual([
      { text: 'Enter a name for the token', href: '#name' },
      { text: 'Select at least one thing the token may do', href: '#scopes' },
      { text: 'Choose when the token expires', href: '#expiry' },
    ]);
    const kept = await browser.post('/tokens/new', { name: 'x'.repeat(101), scopes: ['read', 'moderate'], expiry: '9999' });
    expect(summaryOf(kept)).toEqual([
      { text: 'The name must be 100 characters or fewer', href: '#name' },
      { text: 'Choose when the token expires', href: '#expiry' },
    ]);
    expect(inputNamed(kept.html, 'name')).toContain(`value="${'x'.repeat(101)}"`);
    expect(kept.html).toMatch(/name="scopes" type="checkbox" value="read" checked/);
    expect(kept.html).toMatch(/name="scopes" type="checkbox" value="moderate" checked/);
    expect(kept.html).not.toMatch(/name="scopes" type="checkbox" value="write" checked/);
    const wrongScope = await browser.post('/tokens/new', { name: 'Odd', scopes: ['everything'], expiry: '7' });
    expect(summaryOf(wrongScope)).toEqual([{ text: 'Choose what the token may do from the list', href: '#scopes' }]);
    expect(kept.html).not.toMatch(TOKEN);
    expect((await tokenRows(owner)).length).toBe(before);
  });

  it('refuses a form without its CSRF token, and writes nothing', async () => {
    const browser = await signedIn();
    const before = (await tokenRows(owner)).length;
    await browser.get('/tokens/new');
    const refused = await browser.post('/tokens/new', { name: 'No token', scopes: ['read'], expiry: '7', _csrf: null });
    expect([refused.status, titleOf(refused.html)]).toEqual([403, 'This form has expired – Practice Exchange']);
    expect(refused.html).not.toMatch(TOKEN);
    const [{ id }] = await tokenRows(owner);
    expect((await browser.post(`/tokens/${toGlobalId('ApiToken', id)}/revoke`, { _csrf: 'forged' })).status).toBe(403);
    expect((await tokenRows(owner)).length).toBe(before);
    expect((await tokenRow(id)).revoked_at).toBeNull();
  });

  it('revokes a token after a confirmation that names the tokens minted from it, and revokes those too', async () => {
    const member = await createMember(t.app, organisation);
    const service = t.app.get(ApiTokenService);
    const parent = await service.create(member.actor, { name: 'CI pipeline', scopes: [TokenScope.READ, TokenScope.ADMIN] });
    const asParent = Actor.member(member.member.id, organisation.id, member.member.roles, {
      id: parent.apiToken.id,
      scopes: parent.apiToken.scopes,
      expiresAt: parent.apiToken.expiresAt,
    });
    const child = await service.create(asParent, { name: `Nightly job ${unique()}`, scopes: [TokenScope.READ] });
    const browser = await signedIn(member);
    const gid = toGlobalId('ApiToken', parent.apiToken.id);

    const list = await browser.get('/tokens');
    expect(textOf(list.html)).toContain('Created with the token CI pipeline');
    const confirm = await browser.get(`/tokens/${gid}/revoke`);
    expect(confirm.status).toBe(200);
    expect(titleOf(confirm.html)).toBe('Revoke a token – API tokens – Practice Exchange');
    expect(textOf(confirm.html)).toContain('This token was used to create another token, which will be revoked too:');
    expect(textOf(confirm.html)).toContain(child.apiToken.name);
    expect((await tokenRow(parent.apiToken.id)).revoked_at).toBeNull();

    const revoked = await browser.post(`/tokens/${gid}/revoke`, {});
    expect([revoked.status, revoked.location]).toEqual([303, `/tokens?revoked=${gid}`]);
    expect((await tokenRow(parent.apiToken.id)).revoked_at).toBeInstanceOf(Date);
    expect((await tokenRow(child.apiToken.id)).revoked_at).toBeInstanceOf(Date);
    await expect(service.authenticate(child.token)).rejects.toThrow();
    const after = await browser.get(revoked.location!);
    expect(textOf(after.html)).toContain('The token ‘CI pipeline’ has been revoked, with any tokens created with it.');
    expect(textOf(after.html)).toMatch(/Status Revoked .*Revoked on \d+ \w+ \d{4}/);
    expect(after.html).not.toContain(`/tokens/${gid}/revoke`);
  });

  it("answers 404 for another member's token, and revokes nothing", async () => {
    const [theirs] = await tokenRows(owner);
    const gid = toGlobalId('ApiToken', theirs!.id);
    const browser = await signedIn(stranger);
    for (const path of [`/tokens/${gid}/revoke`, '/tokens/not-an-id/revoke', `/tokens/${owner.id}/revoke`]) {
      const page = await browser.get(path);
      expect([path, page.status, titleOf(page.html)]).toEqual([path, 404, 'Page not found – Practice Exchange']);
    }
    await browser.get('/tokens/new');
    expect((await browser.post(`/tokens/${gid}/revoke`, {})).status).toBe(404);
    expect((await tokenRow(theirs!.id)).revoked_at).toBeNull();
    expect(textOf((await browser.get('/tokens')).html)).not.toContain(owner.member.name);
  });

  it('speaks Welsh', async () => {
    const browser = await signedIn();
    const page = await browser.get('/tokens/new?lang=cy');
    expect(titleOf(page.html)).toBe('Creu tocyn API – Cyfnewidfa Arferion');
    expect(textOf(page.html)).toContain('Ymhen 90 diwrnod');
  });
});
