import { AppConfig } from '#config';
import { Role, type OrganisationEntity } from '#identity';
import { Visibility } from '#practices';
import { buildSchema } from 'graphql';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, csrfTokenOf, textOf, titleOf } from '../support/web-client.js';

const HTML_ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&#92;': '\\', '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** The help pages, the accessibility statement, and the pages in Welsh, over HTTP. */
describe('web help pages and Welsh', () => {
  let t: TestApp;
  let publicUrl: string;
  let cardiff: OrganisationEntity;
  let officer: TestMember;
  let practiceGid: string;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_MEMBER_PER_MINUTE: '1500', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '4000' });
    publicUrl = t.app.get(AppConfig).publicUrl;
    cardiff = await createOrganisation(t.app, { name: 'Cardiff Test Council', slug: 'cardiff-test' });
    officer = await createMember(t.app, cardiff, [Role.CONTRIBUTOR]);
    practiceGid = (await createPractice(t.app, officer, { visibility: Visibility.TLP_CLEAR, title: 'Checking ballot boxes' })).gid;
  });
  afterAll(() => t.close());

  const client = () => new WebClient(t.baseUrl);

  describe('help', () => {
    it('lists every help page on the help index, and the footer links the accessibility statement', async () => {
      const page = await client().get('/help');
      expect(page.status).toBe(200);
      for (const href of ['/help/tlp', '/help/identity-providers', '/help/api', '/help/accessibility']) {
        expect([href, page.html.includes(`href="${href}"`)]).toEqual([href, true]);
        const help = await client().get(href);
        expect([href, help.status]).toEqual([href, 200]);
        // Public pages with no form: nothing to protect, and nothing is kept from one visitor to the next.
        expect(csrfTokenOf(help.html)).toBeUndefined();
        expect(help.headers.get('cache-control')).toBe('private, no-cache');
        // Service navigation: Help is the current area.
        expect(help.html).toMatch(
          /<li class="govuk-service-navigation__item govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="\/help"/,
        );
      }
      expect((await client().get('/practices')).html).toMatch(/<footer[\s\S]*href="\/help\/accessibility">Accessibility statement<\/a>[\s\S]*<\/footer>/);
    });

    it("gives the IdP's administrator this installation's SP addresses: a pattern signed out, the member's own signed in", async () => {
      const anonymous = await client().get('/help/identity-providers');
      expect(titleOf(anonymous.html)).toBe("How to connect your organisation's identity provider – Practice Exchange");
      const text = textOf(anonymous.html);
      expect(text).toContain(`${publicUrl}/auth/saml/&lt;organisation&gt;/metadata`);
      expect(text).toContain(`${publicUrl}/auth/saml/&lt;organisation&gt;/acs`);
      expect(text).toContain(`${publicUrl}/auth/saml/&lt;organisation&gt;/slo`);
      expect(text).toContain('replace &lt;organisation&gt; with your organisation');
      for (const part of [
        'Microsoft Entra ID',
        'Active Directory Federation Services (ADFS)',
        'Shibboleth',
        'Changes that wait for a platform administrator',
        'Not transient',
      ])
        expect(text).toContain(part);

      const member = client();
      await member.signIn(t.app, officer.member);
      const own = textOf((await member.get('/help/identity-providers')).html);
      expect(own).toContain('These are the values for Cardiff Test Council.');
      expect(own).toContain(`${publicUrl}/auth/saml/cardiff-test/metadata`);
      expect(own).toContain(`${publicUrl}/auth/saml/cardiff-test/acs`);
      expect(own).not.toContain('&lt;organisation&gt;');
      // The metadata address shown is the one the SP answers.
      const metadata = await fetch(`${t.baseUrl}/auth/saml/cardiff-test/metadata`);
      expect(metadata.status).toBe(200);
      expect(await metadata.text()).toContain(`entityID="${publicUrl}/auth/saml/cardiff-test/metadata"`);
    });

    it('explains the API with the endpoint, an example, the schema, the rate limits and what 429 means', async () => {
      const page = await client().get('/help/api');
      const text = textOf(page.html);
      expect(text).toContain(`${publicUrl}/graphql`);
      expect(page.html).toContain(`curl -s ${publicUrl}/graphql &#92;`);
      expect(page.html).toContain('-H &quot;authorization: Bearer $TOKEN&quot;');
      expect(text).toContain('Each token, and each signed-in person, may make 1,500 requests a minute.');
      expect(text).toContain('Without a token, each address may make 4,000 requests a minute.');
      expect(text).toContain('429 (Too Many Requests)');
      expect(text).toContain('Retry-After');
      expect(text).toContain('docs/webhooks.md');
      expect(page.html).toContain('href="/help/api/schema.graphql"');
      expect(page.html).toContain('href="https://www.standardwebhooks.com/" rel="noreferrer noopener"');
      // Welsh numbers too.
      expect(textOf((await client().get('/help/api?lang=cy')).html)).toContain('wneud 1,500 cais y funud');

      // The example works as written: the same query, sent as the page's curl sends it.
      const code = /<pre class="pe-code-block"[^>]*><code>([\s\S]*?)<\/code><\/pre>/
        .exec(page.html)![1]!
        .replace(/&(quot|#39|#92|amp|lt|gt);/g, (entity) => HTML_ENTITIES[entity]!);
      const { query } = JSON.parse(/--data '(.*)'$/m.exec(code)![1]!) as { query: string };
      const answer = await t.gql<{ practices: { edges: unknown[] } }>(query);
      expect(answer.errors).toBeUndefined();
      expect(Array.isArray(answer.data!.practices.edges)).toBe(true);
    });

    it('serves the schema, the one integrators code against', async () => {
      const response = await fetch(`${t.baseUrl}/help/api/schema.graphql`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const schema = buildSchema(await response.text());
      expect(schema.getQueryType()!.getFields().practices).toBeDefined();
      expect(schema.getMutationType()!.getFields().createPractice).toBeDefined();
    });

    it('has an accessibility statement in the GOV.UK model, in English and Welsh', async () => {
      const page = await client().get('/help/accessibility');
      expect(titleOf(page.html)).toBe('Accessibility statement – Practice Exchange');
      const text = textOf(page.html);
      for (const heading of [
        'Accessibility statement for Practice Exchange',
        'How accessible this website is',
        'Feedback and contact information',
        'Reporting accessibility problems with this website',
        'Enforcement procedure',
        'Technical information about this website',
        'Compliance status',
        'Non-accessible content',
        'Preparation of this accessibility statement',
      ])
        expect(text).toContain(heading);
      expect(text).toContain('Equality and Human Rights Commission (EHRC)');
      expect(text).toContain('Equality Commission for Northern Ireland (ECNI)');
      expect(text).toContain('partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard');
      expect(page.html).toContain('href="https://www.equalityadvisoryservice.com/"');
      expect(page.html).toContain('href="https://www.equalityni.org/Home"');
      const welsh = await client().get('/help/accessibility?lang=cy');
      expect(titleOf(welsh.html)).toBe('Datganiad hygyrchedd – Cyfnewidfa Arferion');
      expect(textOf(welsh.html)).toContain('Gweithdrefn orfodi');
    });
  });

  describe('accessibility', () => {
    it('puts the practices search before its filters, and lists its errors in the order of the fields', async () => {
      const page = await client().get('/practices?published-after-day=31&published-after-month=2&published-after-year=2025&order=relevance');
      expect(page.status).toBe(400);
      expect(page.html.indexOf('id="q"')).toBeLessThan(page.html.indexOf('name="tags"'));
      expect(page.html.indexOf('>Results</h2>')).toBeLessThan(page.html.indexOf('>Filter</h2>'));
      const summary = [...page.html.matchAll(/<a href="#([\w-]+)">/g)].map((m) => m[1]);
      expect(summary).toEqual(['order', 'published-after-day']);
    });
  });

  describe('Welsh', () => {
    /** Every page there is today, as a visitor or a member reaches it. */
    const pages = () => [
      '/',
      '/practices',
      '/practices?q=ballot&order=newest',
      `/practices/${practiceGid}`,
      '/help',
      '/help/tlp',
      '/help/identity-providers',
      '/help/api',
      '/help/accessibility',
      '/no-such-page',
      '/practices/not-a-practice',
    ];

    it('sets lang="cy" on every page once Welsh is chosen, and remembers the choice by cookie', async () => {
      const browser = client();
      const chosen = await browser.get('/help?lang=cy');
      expect(chosen.headers.get('set-cookie')).toMatch(/(^|, )pe_lang=cy; Max-Age=31536000; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax(,|$)/);
      expect(browser.cookies.get('pe_lang')).toBe('cy');
      for (const path of pages()) {
        const page = await browser.get(path);
        expect([path, /<html lang="cy"/.test(page.html), page.headers.get('content-language')]).toEqual([path, true, 'cy']);
        expect(textOf(page.html)).toContain('Neidio i&#39;r prif gynnwys');
      }
      const member = client();
      await member.signIn(t.app, officer.member);
      await member.get('/?lang=cy');
      for (const path of [...pages(), '/sign-out']) {
        const page = await member.get(path);
        expect([path, /<html lang="cy"/.test(page.html)]).toEqual([path, true]);
      }
      const error = await member.post('/sign-out', { _csrf: 'forged' });
      expect(/<html lang="cy"/.test(error.html)).toBe(true);
      // A form's error page in Welsh: the sign-in form of a signed-out visitor.
      const visitor = client();
      await visitor.get('/?lang=cy');
      const invalid = await visitor.post('/sign-in', { email: 'not an address' });
      expect([invalid.status, /<html lang="cy"/.test(invalid.html)]).toEqual([400, true]);
      expect(textOf(invalid.html)).toContain('Mae problem wedi codi');
      // And back: English is remembered the same way.
      await browser.get('/help?lang=en');
      expect(/<html lang="en"/.test((await browser.get('/practices')).html)).toBe(true);
    });

    it('links each language to the same page with the same query, marked with its own language', async () => {
      for (const path of pages()) {
        const page = await client().get(path);
        const cymraeg = /<a class="govuk-language-navigation__link" href="([^"]+)" rel="alternate" lang="cy" hreflang="cy">Cymraeg\s*<\/a>/.exec(page.html);
        expect([path, cymraeg !== null]).toEqual([path, true]);
        const href = cymraeg![1]!.replace(/&amp;/g, '&');
        const target = new URL(href, 'http://x');
        const source = new URL(path, 'http://x');
        expect([path, target.pathname]).toEqual([path, source.pathname]);
        for (const [name, value] of source.searchParams) expect([path, name, target.searchParams.get(name)]).toEqual([path, name, value]);
        expect(target.searchParams.get('lang')).toBe('cy');
        const welsh = await client().get(href);
        expect([path, /<html lang="cy"/.test(welsh.html)]).toEqual([path, true]);
        expect(welsh.html).toMatch(
          /<a class="govuk-language-navigation__link" href="[^"]*lang=en[^"]*" rel="alternate" lang="en" hreflang="en">English\s*<\/a>/,
        );
        expect(welsh.html).toMatch(/<span class="govuk-language-navigation__text"\s+aria-current="true" lang="cy">Cymraeg<\/span>/);
      }
    });

    it('marks a practice written in another language than the page with its language', async () => {
      const welsh = await createPractice(t.app, officer, {
        visibility: Visibility.TLP_CLEAR,
        title: 'Gwirio blychau pleidleisio',
        summary: 'Rydym yn gwirio pob blwch pleidleisio cyn y cyfrif.',
        tags: ['Cyfrif'],
      });
      await t.dataSource.query(`UPDATE practice SET language = 'cy' WHERE id = $1`, [welsh.id]);
      const english = await client().get(`/practices/${welsh.gid}`);
      expect(english.html).toMatch(/<h1 class="govuk-heading-xl" lang="cy">Gwirio blychau pleidleisio<\/h1>/);
      // Its text is marked, and the page's own headings around it are not.
      expect(english.html).toMatch(/<h2 class="govuk-heading-m">Summary<\/h2>\s*<div lang="cy">\s*<p class="govuk-body">Rydym yn gwirio/);
      const list = await client().get('/practices?q=blychau');
      expect(list.html).toContain(`<a class="govuk-link" href="/practices/${welsh.gid}" lang="cy">Gwirio blychau pleidleisio</a>`);
      expect(list.html).toMatch(/<div class="pe-result__summary" lang="cy">/);
      // In Welsh, the page's own language covers it; an English practice is marked instead.
      const inWelsh = await client().get(`/practices/${welsh.gid}?lang=cy`);
      expect(inWelsh.html).toContain('<h1 class="govuk-heading-xl">Gwirio blychau pleidleisio</h1>');
      const englishInWelsh = await client().get(`/practices/${practiceGid}?lang=cy`);
      expect(englishInWelsh.html).toContain('<h1 class="govuk-heading-xl" lang="en">Checking ballot boxes</h1>');
    });
  });
});
