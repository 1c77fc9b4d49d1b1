import { IdentityProviderRepository, Role, SessionService, type OrganisationEntity } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createAdoption, createComment, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, csrfTokenOf, textOf, titleOf } from '../support/web-client.js';

/** The web pages over HTTP, as a browser without JavaScript sees them: security headers, forms, read rules, language. */
describe('web pages', () => {
  let t: TestApp;
  let kent: OrganisationEntity;
  let other: OrganisationEntity;
  let author: TestMember;
  let reader: TestMember;
  let idp: TestIdp;

  beforeAll(async () => {
    [t, idp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.web.test/saml', ssoUrl: 'https://idp.web.test/sso', sloUrl: 'https://idp.web.test/slo' }),
    ]);
    kent = await createOrganisation(t.app, { name: 'Kent Test Council' });
    other = await createOrganisation(t.app, { name: 'Other Test Council' });
    author = await createMember(t.app, kent, [Role.CONTRIBUTOR]);
    reader = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    await t.app.get(IdentityProviderRepository).save({
      organisationId: kent.id,
      key: 'main',
      name: 'Kent staff sign-in',
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      sloUrl: idp.sloUrl,
      certificates: [idp.certificateBase64],
      attributeMapping: {},
    });
  });
  afterAll(() => t.close());

  const client = () => new WebClient(t.baseUrl);

  describe('every page', () => {
    it('carries a strict CSP whose nonce is on every script, and no inline handler', async () => {
      const page = await client().get('/');
      expect(page.status).toBe(200);
      const csp = page.headers.get('content-security-policy')!;
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain(`script-src 'self' 'nonce-${nonce}'`);
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const scripts = page.html.match(/<script\b[^>]*>/g)!;
      expect(scripts.length).toBeGreaterThanOrEqual(3);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(page.html).toMatch(/<script type="module" src="\/assets\/govuk-frontend.min.js"/);
      expect(page.html).not.toMatch(/\son[a-z]+=/i);
      expect(page.html).not.toMatch(/https?:\/\/[^"']*(cdn|unpkg|jsdelivr)/i);
      // A fresh nonce for every response.
      const again = await client().get('/');
      expect(again.headers.get('content-security-policy')).not.toContain(nonce);
    });

    it('is never stored when signed in, and revalidated otherwise', async () => {
      expect((await client().get('/practices')).headers.get('cache-control')).toBe('private, no-cache');
      const signedIn = client();
      await signedIn.signIn(t.app, reader.member);
      expect((await signedIn.get('/practices')).headers.get('cache-control')).toBe('no-store');
      expect((await signedIn.get('/')).headers.get('cache-control')).toBe('no-store');
    });

    it('serves GOV.UK Frontend from the package, and nothing outside the asset folders', async () => {
      const css = await fetch(`${t.baseUrl}/assets/govuk-frontend.min.css`);
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toContain('text/css');
      const js = await fetch(`${t.baseUrl}/assets/govuk-frontend.min.js`);
      expect(js.headers.get('content-type')).toContain('javascript');
      expect(await js.text()).toContain('initAll');
      expect((await fetch(`${t.baseUrl}/assets/fonts/bold-b542beb274-v2.woff2`)).status).toBe(200);
      expect((await fetch(`${t.baseUrl}/assets/app/init.mjs`)).status).toBe(200);
      expect((await fetch(`${t.baseUrl}/assets/app/app.css`)).status).toBe(200);
      for (const path of ['/assets/..%2fpackage.json', '/assets/app/..%2f..%2fsrc%2fpaths.ts', '/assets/app/.hidden', '/assets/nothing-here.css']) {
        expect([(await fetch(`${t.baseUrl}${path}`)).status, path]).toEqual([404, path]);
      }
      expect(await (await fetch(`${t.baseUrl}/assets/nothing-here.css`)).text()).toBe('There is no file at this address.');
    });

    it('answers an unknown address with the GOV.UK 404 page for browsers and JSON for API clients', async () => {
      const page = await client().get('/no-such-page');
      expect(page.status).toBe(404);
      expect(titleOf(page.html)).toBe('Page not found – Practice Exchange');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'nonce-");
      const api = await fetch(`${t.baseUrl}/no-such-page`, { headers: { accept: 'application/json' } });
      expect(api.status).toBe(404);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    });
  });

  describe('start and sign in', () => {
    it('refuses a form without this browser\'s token, with the "form has expired" page', async () => {
      const browser = client();
      await browser.get('/');
      const page = await browser.post('/sign-in', { _csrf: 'forged', email: `someone@${kent.slug}.gov.uk` });
      expect(page.status).toBe(403);
      expect(titleOf(page.html)).toBe('This form has expired – Practice Exchange');
      expect((await client().post('/sign-in', { _csrf: null, email: 'x@y.gov.uk' })).status).toBe(403);
    });

    it('shows the GOV.UK error summary and keeps what was typed', async () => {
      const browser = client();
      await browser.get('/');
      const empty = await browser.post('/sign-in', { email: '' });
      expect(empty.status).toBe(400);
      expect(titleOf(empty.html)).toBe('Error: Sign in – Practice Exchange');
      expect(textOf(empty.html)).toContain('There is a problem Enter your work email address');
      expect(empty.html).toContain('href="#email"');
      const unknown = await browser.post('/sign-in', { email: 'someone@unknown-council.gov.uk' });
      expect(textOf(unknown.html)).toContain('We do not recognise the organisation of this email address');
      expect(unknown.html).toContain('value="someone@unknown-council.gov.uk"');
      const malformed = await browser.post('/sign-in', { email: 'not an address' });
      expect(textOf(malformed.html)).toContain('Enter an email address in the correct format');
    });

    it("sends a known address to its organisation's IdP, keeping where to return", async () => {
      const browser = client();
      const start = await browser.get('/?returnTo=/practices');
      // The answer redirects to an IdP of any organisation: the sign-in page's form-action allows it.
      expect(start.headers.get('content-security-policy')).toMatch(/form-action 'self' https:/);
      const page = await browser.post('/sign-in', { email: `Someone@${kent.slug.toUpperCase()}.gov.uk`, returnTo: '/practices' });
      expect(page.status).toBe(303);
      expect(page.location).toBe(`/auth/saml/${kent.slug}/login?returnTo=%2Fpractices`);
      const login = await fetch(`${t.baseUrl}${page.location}`, { redirect: 'manual' });
      expect(login.headers.get('location')!.startsWith(`${idp.ssoUrl}?`)).toBe(true);
    });

    it('lets the person choose when the organisation has several IdPs, and says when it has none', async () => {
      const several = await createOrganisation(t.app, { name: 'Two Door Council' });
      for (const key of ['staff', 'members']) {
        await t.app.get(IdentityProviderRepository).save({
          organisationId: several.id,
          key,
          name: `Sign-in for ${key}`,
          entityId: `https://${key}.idp.test`,
          ssoUrl: `https://${key}.idp.test/sso`,
          sloUrl: null,
          certificates: [idp.certificateBase64],
          attributeMapping: {},
        });
      }
      const browser = client();
      await browser.get('/');
      const choose = await browser.post('/sign-in', { email: `a@${several.slug}.gov.uk` });
      expect(choose.status).toBe(200);
      expect(textOf(choose.html)).toContain('Choose how to sign in to Two Door Council');
      expect(choose.html).toContain(`href="/auth/saml/${several.slug}/login?idp=members"`);
      expect(choose.html).toContain(`href="/auth/saml/${several.slug}/login?idp=staff"`);
      const none = await browser.post('/sign-in', { email: `a@${other.slug}.gov.uk` });
      expect(textOf(none.html)).toContain('Other Test Council has not set up sign-in yet');
    });

    it('shows a signed-in person who they are and where to go next', async () => {
      const browser = client();
      await browser.signIn(t.app, reader.member);
      const page = await browser.get('/');
      expect(textOf(page.html)).toContain(`You are signed in as ${reader.member.name} of Other Test Council.`);
      expect(page.html).toContain('href="/practices"');
      expect(page.html).toContain('href="/sign-out"');
      expect(page.html).not.toContain('name="email"');
    });
  });

  describe('sign out', () => {
    it('ends the session with a POST form, and continues to the IdP when it has single logout', async () => {
      const browser = client();
      await browser.signIn(t.app, author.member, {
        identityProviderId: (await t.app.get(IdentityProviderRepository).listEnabledOfOrganisation(kent.id))[0]!.id,
        nameId: author.member.email,
        sessionIndex: 'idx-1',
      });
      const confirm = await browser.get('/sign-out');
      expect(confirm.status).toBe(200);
      expect(confirm.headers.get('content-security-policy')).toContain("form-action 'self' https://idp.web.test;");
      const cookie = browser.cookies.get('pe_session')!;
      const refused = await browser.post('/sign-out', { _csrf: 'not-the-token' });
      expect(refused.status).toBe(403);
      await expect(t.app.get(SessionService).authenticate(cookie)).resolves.toBeDefined();
      const done = await browser.post('/sign-out', {});
      expect(done.status).toBe(303);
      expect(done.location!.startsWith(`${idp.sloUrl}?SAMLRequest=`)).toBe(true);
      expect(browser.cookies.has('pe_session')).toBe(false);
      await expect(t.app.get(SessionService).authenticate(cookie)).rejects.toThrow('Your session has ended');
    });

    it('goes back to the start page without single logout, and sends signed-out visitors there', async () => {
      const browser = client();
      await browser.signIn(t.app, reader.member);
      await browser.get('/sign-out');
      const done = await browser.post('/sign-out', {});
      expect([done.status, done.location]).toEqual([303, '/']);
      expect((await browser.get('/sign-out')).location).toBe('/');
    });
  });

  describe('practices', () => {
    let clear: Awaited<ReturnType<typeof createPractice>>;
    let green: Awaited<ReturnType<typeof createPractice>>;
    let amber: Awaited<ReturnType<typeof createPractice>>;
    beforeAll(async () => {
      clear = await createPractice(t.app, author, {
        visibility: Visibility.TLP_CLEAR,
        title: 'Clear zebra <script>alert(1)</script> drill',
        summary: 'We **trained** staff. <img src=x onerror="alert(2)"> [bad](javascript:alert(3)) [good](https://example.org/guide)',
        tags: ['Zebra drills'],
      });
      green = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, title: 'Green zebra crossing plan', tags: ['Zebra drills'] });
      amber = await createPractice(t.app, author, { visibility: Visibility.TLP_AMBER, audience: [other], title: 'Amber zebra secret plan' });
      const comment = await createComment(t.app, reader, clear, 'A **useful** idea.');
      await createComment(t.app, author, clear, 'Thanks!', comment.id);
      await createAdoption(t.app, reader, clear);
    });

    it('lists public practices only to signed-out visitors, and GREEN ones to members', async () => {
      const anonymous = await client().get('/practices?q=zebra');
      expect(anonymous.status).toBe(200);
      expect(anonymous.html).toContain(`href="/practices/${clear.gid}"`);
      expect(anonymous.html).not.toContain(green.gid);
      expect(anonymous.html).not.toContain(amber.gid);
      const browser = client();
      await browser.signIn(t.app, reader.member);
      const member = await browser.get('/practices?q=zebra');
      expect(member.html).toContain(green.gid);
      expect(member.html).toContain(amber.gid);
    });

    it('escapes what practices say, and marks search matches only', async () => {
      const page = await client().get('/practices?q=trained');
      expect(page.html).not.toContain('<script>alert(1)');
      expect(page.html).toContain('Clear zebra &lt;script&gt;alert(1)&lt;/script&gt; drill');
      expect(page.html).toContain('<mark>trained</mark> staff. &lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
      expect(page.html).not.toContain('onerror="alert');
    });

    it("filters by tag and date with the API's own rules, and explains a wrong date", async () => {
      const browser = client();
      await browser.signIn(t.app, reader.member);
      const tagged = await browser.get('/practices?tags=zebra-drills');
      expect(tagged.html).toContain(clear.gid);
      expect(tagged.html).toContain(green.gid);
      expect(tagged.html).not.toContain(amber.gid);
      expect(tagged.html).toMatch(/name="tags" type="checkbox" value="zebra-drills" checked/);
      const bad = await browser.get('/practices?published-after-day=31&published-after-month=2&published-after-year=2025');
      expect(bad.status).toBe(400);
      expect(textOf(bad.html)).toContain('Published after must be a real date');
      expect(bad.html).toContain('href="#published-after-day"');
      const relevance = await browser.get('/practices?order=relevance');
      expect(textOf(relevance.html)).toContain('Enter search words to sort by most relevant');
      const future = await browser.get('/practices?tags=zebra-drills&published-after-day=1&published-after-month=1&published-after-year=2999');
      expect(future.html).not.toContain(clear.gid);
      expect(textOf(future.html)).toContain('No practices match your search.');
    });

    it('pages through results with previous and next links', async () => {
      for (let i = 0; i < 23; i += 1) await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, tags: ['Paging check'] });
      const browser = client();
      const first = await browser.get('/practices?tags=paging-check');
      expect(first.html.match(/class="pe-result"/g)).toHaveLength(20);
      const next = /<div class="govuk-pagination__next">\s*<a[^>]*href="([^"]+)"/.exec(first.html)![1]!.replace(/&amp;/g, '&');
      expect(first.html).not.toContain('govuk-pagination__prev');
      const second = await browser.get(next);
      expect(titleOf(second.html)).toBe('Practices (page 2) – Practice Exchange');
      expect(second.html.match(/class="pe-result"/g)).toHaveLength(3);
      expect(second.html).not.toContain('govuk-pagination__next');
      const previous = /<div class="govuk-pagination__prev">\s*<a[^>]*href="([^"]+)"/.exec(second.html)![1]!.replace(/&amp;/g, '&');
      expect(previous).toBe('/practices?tags=paging-check');
      expect((await browser.get('/practices?tags=paging-check&after=not-a-cursor')).status).toBe(400);
    });

    it('shows a practice with its sections, TLP label, comments with replies and adoptions, rendered safely', async () => {
      const page = await client().get(`/practices/${clear.gid}`);
      expect(page.status).toBe(200);
      expect(titleOf(page.html)).toBe('Clear zebra <script>alert(1)</script> drill – Practice Exchange');
      expect(page.html).toContain('<strong class="pe-tlp pe-tlp--tlp-clear">TLP:CLEAR</strong>');
      expect(page.html).toContain('<p class="govuk-body">We <strong>trained</strong> staff.');
      expect(page.html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
      expect(page.html).not.toContain('href="javascript:');
      expect(page.html).toContain('<a href="https://example.org/guide" class="govuk-link" rel="noreferrer noopener">good</a>');
      expect(textOf(page.html)).toContain('Comments (2)');
      expect(page.html).toContain('A <strong>useful</strong> idea.');
      expect(page.html).toContain('pe-comments--replies');
      expect(textOf(page.html)).toContain('Adopted by 1 organisation');
      expect(textOf(page.html)).toContain('Other Test Council');
      // Members' names are for members: a signed-out visitor sees neither author nor commenters.
      expect(page.html).not.toContain(author.member.name);
      expect(page.html).not.toContain(reader.member.name);
      const browser = client();
      await browser.signIn(t.app, reader.member);
      const signedIn = await browser.get(`/practices/${clear.gid}`);
      expect(signedIn.html).toContain(author.member.name);
      expect(signedIn.html).toContain(reader.member.name);
    });

    it('answers 404 for what the visitor may not read, and keeps AMBER titles out of <title>', async () => {
      for (const path of [`/practices/${green.gid}`, `/practices/${amber.gid}`, '/practices/not-an-id', `/practices/${reader.id}`]) {
        const page = await client().get(path);
        expect([page.status, titleOf(page.html), path]).toEqual([404, 'Page not found – Practice Exchange', path]);
      }
      const stranger = client();
      await stranger.signIn(t.app, (await createMember(t.app, await createOrganisation(t.app))).member);
      expect((await stranger.get(`/practices/${amber.gid}`)).status).toBe(404);
      const audience = client();
      await audience.signIn(t.app, reader.member);
      const page = await audience.get(`/practices/${amber.gid}`);
      expect(page.status).toBe(200);
      expect(titleOf(page.html)).toBe('Practice with restricted sharing – Practice Exchange');
      expect(page.html).toContain('Amber zebra secret plan</h1>');
      expect(page.html).toContain('TLP:AMBER</strong>');
      expect(textOf(page.html)).toContain('Also shared with: Other Test Council');
    });

    it('shows a draft to its own organisation only, marked as a draft', async () => {
      const draft = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, status: PracticeStatus.DRAFT, title: 'Draft zebra notes' });
      const colleague = client();
      await colleague.signIn(t.app, author.member);
      const page = await colleague.get(`/practices/${draft.gid}`);
      expect(page.status).toBe(200);
      expect(textOf(page.html)).toContain('Draft: only your organisation can see it');
      const outsider = client();
      await outsider.signIn(t.app, reader.member);
      expect((await outsider.get(`/practices/${draft.gid}`)).status).toBe(404);
    });

    it('marks text written in another language than the page', async () => {
      const welsh = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: 'Ymarfer cyfrif diogel' });
      await t.dataSource.query(`UPDATE practice SET language = 'cy' WHERE id = $1`, [welsh.id]);
      const english = await client().get(`/practices/${welsh.gid}`);
      expect(english.html).toContain('<h1 class="govuk-heading-xl" lang="cy">Ymarfer cyfrif diogel</h1>');
      const inWelsh = await client().get(`/practices/${welsh.gid}?lang=cy`);
      expect(inWelsh.html).toContain('<h1 class="govuk-heading-xl">Ymarfer cyfrif diogel</h1>');
    });
  });

  describe('Welsh', () => {
    it('switches with ?lang=cy, remembers the choice, and links each language to the same page', async () => {
      const browser = client();
      const english = await browser.get('/practices?q=zebra');
      expect(english.html).toMatch(/<html lang="en"/);
      expect(english.html).toContain('href="/practices?q=zebra&amp;lang=cy"');
      const welsh = await browser.get('/practices?q=zebra&lang=cy');
      expect(welsh.html).toMatch(/<html lang="cy"/);
      expect(welsh.headers.get('content-language')).toBe('cy');
      expect(titleOf(welsh.html)).toBe('Arferion – Cyfnewidfa Arferion');
      expect(welsh.html).toContain('href="/practices?q=zebra&amp;lang=en"');
      const remembered = await browser.get('/help/tlp');
      expect(titleOf(remembered.html)).toBe("Beth mae'r labeli TLP yn ei olygu – Cyfnewidfa Arferion");
      const form = await browser.get('/');
      expect(textOf(form.html)).toContain('Cyfeiriad e-bost gwaith');
      const error = await browser.post('/sign-in', { email: '' });
      expect(titleOf(error.html)).toBe('Gwall: Mewngofnodi – Cyfnewidfa Arferion');
      expect(textOf(error.html)).toContain('Mae problem wedi codi Rhowch eich cyfeiriad e-bost gwaith');
    });

    it('writes dates with Intl in the page language', async () => {
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, publishedAt: new Date('2025-03-05T12:00:00Z') });
      expect(textOf((await client().get(`/practices/${practice.gid}`)).html)).toContain('5 March 2025');
      expect(textOf((await client().get(`/practices/${practice.gid}?lang=cy`)).html)).toContain('5 Mawrth 2025');
    });
  });

  it('has a help page about TLP', async () => {
    const page = await client().get('/help/tlp');
    expect(page.status).toBe(200);
    for (const label of ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT']) expect(page.html).toContain(`>${label}</strong>`);
    expect(csrfTokenOf(page.html)).toBeUndefined();
  });
});
