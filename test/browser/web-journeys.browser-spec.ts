import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdentityProviderRepository, Role, SESSION_COOKIE, SessionService } from '#identity';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMember, createOrganisation } from '../factories/index.js';
import { accessibilityViolations, describeInBrowser, launchChromium, screenshot, useDemoBrowser } from '../support/browser.js';
import { createTestIdp } from '../support/saml-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The pages in a real browser (Debian's Chromium through playwright-core), against the real server in demo mode with
 * its demo identity provider, as a visitor and a council officer use them. Each page is checked with axe-core
 * (WCAG 2.2 AA) and photographed under test/artifacts/. Elements are found by role and label, as a screen reader does.
 */
describeInBrowser('web pages in a browser', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  const demo = useDemoBrowser();

  beforeEach(async () => {
    ({ context, page, errors } = await demo.newPage());
  });

  afterEach(async () => {
    await context.close();
  });

  /** axe finds nothing, the browser reported no error (a CSP refusal, say), and a screenshot is taken. */
  async function checkPage(name: string): Promise<void> {
    await page.waitForLoadState('load');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, name);
  }

  it('an anonymous visitor searches the public practices and opens one', async () => {
    await page.goto('/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Share what works against election interference');
    // GOV.UK Frontend's JavaScript ran (its module is allowed by the nonce).
    expect(await page.locator('body').getAttribute('class')).toContain('govuk-frontend-supported');
    await checkPage('start-signed-out');

    await page.getByRole('link', { name: 'Browse public practices' }).click();
    await page.getByLabel('Search practices').fill('phishing');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/practices\?.*q=phishing/);
    const results = page.getByRole('heading', { level: 3 });
    expect(await results.count()).toBeGreaterThan(0);
    expect(await page.getByText('TLP:GREEN', { exact: true }).count()).toBe(0);
    expect(await page.getByText('TLP:CLEAR', { exact: true }).count()).toBeGreaterThan(0);
    await checkPage('practices-signed-out');

    const first = results.first().getByRole('link');
    const title = (await first.textContent())!.trim();
    await first.click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    expect(await page.title()).toBe(`${title} – Practice Exchange`);
    expect(await page.getByRole('heading', { name: 'What we did' }).count()).toBe(1);
    await checkPage('practice-signed-out');
  }, 120_000);

  it('shows the error summary for a sign-in address it does not know, and moves focus to it', async () => {
    await page.goto('/');
    await page.getByLabel('Work email address').fill('someone@unknown-council.gov.uk');
    await page.getByRole('button', { name: 'Continue' }).click();
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).toContain('We do not recognise the organisation of this email address');
    expect(await page.title()).toBe('Error: Sign in – Practice Exchange');
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('govuk-error-summary');
    await checkPage('start-error');

    await page.getByRole('link', { name: /We do not recognise/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
  }, 60_000);

  it('a council officer signs in through the demo IdP, sees GREEN practices, switches to Welsh and signs out', async () => {
    await page.goto('/');
    await page.getByLabel('Work email address').fill('rhian.pritchard@cardiff.gov.uk');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign in as Rhian Pritchard' }).click();
    await page.waitForURL(`${demo.server.baseUrl}/`);
    expect(await page.getByText('You are signed in as Rhian Pritchard of Cardiff Council.').count()).toBe(1);
    await checkPage('home-signed-in');

    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Practices' }).click();
    await page.waitForURL(/\/practices$/);
    expect(await page.getByText('TLP:GREEN', { exact: true }).count()).toBeGreaterThan(0);
    await checkPage('practices-signed-in');

    const green = page
      .locator('.pe-result', { has: page.getByText('TLP:GREEN', { exact: true }) })
      .first()
      .getByRole('heading')
      .getByRole('link');
    const greenTitle = (await green.textContent())!.trim();
    await green.click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(greenTitle);
    expect(await page.getByText('Written by').count()).toBe(1);
    await checkPage('practice-signed-in');

    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Cymraeg' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(greenTitle);
    expect(await page.getByRole('heading', { name: 'Crynodeb' }).count()).toBe(1);
    await checkPage('practice-signed-in-cy');

    // The choice is remembered from page to page.
    await page.getByRole('navigation', { name: 'Dewislen' }).getByRole('link', { name: 'Arferion' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.getByLabel('Chwilio arferion').count()).toBe(1);
    await checkPage('practices-signed-in-cy');
    await page.getByRole('navigation', { name: 'Iaith' }).getByRole('link', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Sign out' }).click();
    await checkPage('sign-out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${demo.server.baseUrl}/`);
    expect(await page.getByLabel('Work email address').count()).toBe(1);
    await page.goto('/practices');
    expect(await page.getByText('TLP:GREEN', { exact: true }).count()).toBe(0);
  }, 180_000);

  it('the help page and the "page not found" page', async () => {
    await page.goto('/help/tlp');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('What the TLP labels mean');
    await checkPage('help-tlp');

    const response = await page.goto('/practices/not-a-practice');
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await checkPage('not-found');
  }, 60_000);
});

/**
 * Browsers apply form-action to the redirects that follow a form, so the pages whose forms lead to an identity
 * provider on another origin (sign-in, single logout) must allow it, and only those. Here the IdP is a server on
 * another port of this machine.
 */
describeInBrowser('forms that continue to an identity provider on another origin', () => {
  let browser: Browser;
  let idpServer: Server;
  let idpOrigin: string;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    idpServer = createServer((req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>IdP</title><h1>IdP ${req.url!.split('?')[0]}</h1>`),
    );
    await new Promise<void>((resolve) => idpServer.listen(0, '127.0.0.1', resolve));
    idpOrigin = `http://localhost:${(idpServer.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(apps.map((app) => app.close()));
    await new Promise((resolve) => idpServer.close(resolve));
  });

  /** A test app whose organisation signs in at the IdP server; `env` as the app's configuration. */
  async function appWithIdp(env: Record<string, string>) {
    const t = await startTestApp(env);
    apps.push(t);
    const organisation = await createOrganisation(t.app, { name: 'Elsewhere Council' });
    const idp = await createTestIdp({ entityId: `${idpOrigin}/saml`, ssoUrl: `${idpOrigin}/sso`, sloUrl: `${idpOrigin}/slo` });
    const { idp: record } = await t.app.get(IdentityProviderRepository).save({
      organisationId: organisation.id,
      key: 'main',
      name: 'Elsewhere sign-in',
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      sloUrl: idp.sloUrl,
      certificates: [idp.certificateBase64],
      attributeMapping: {},
    });
    return { t, organisation, record };
  }

  it('the e-mail form reaches the IdP, and the browser refuses the same redirect from a page that does not allow it', async () => {
    // http IdPs are allowed where private networks are (tests, closed networks); otherwise https only.
    for (const [env, reached] of [
      [{ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }, true],
      [{}, false],
    ] as const) {
      const { t, organisation } = await appWithIdp(env);
      const context = await browser.newContext({ baseURL: t.baseUrl });
      const page = await context.newPage();
      const messages: string[] = [];
      page.on('console', (message) => messages.push(message.text()));
      await page.goto('/');
      await page.getByLabel('Work email address').fill(`someone@${organisation.slug}.gov.uk`);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState('load');
      await page.waitForTimeout(500);
      expect([env, page.url().startsWith(`${idpOrigin}/sso?SAMLRequest=`)]).toEqual([env, reached]);
      expect(messages.some((text) => text.includes('violates the following Content Security Policy directive: "form-action'))).toBe(!reached);
      await context.close();
    }
  }, 120_000);

  it("the sign-out form continues to the IdP's single logout", async () => {
    const { t, organisation, record } = await appWithIdp({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
    const { member } = await createMember(t.app, organisation, [Role.CONTRIBUTOR]);
    const { cookie } = await t.app
      .get(SessionService)
      .start(member, { identityProviderId: record.id, nameId: member.email, sessionIndex: 's1', userAgent: null });
    const context = await browser.newContext({ baseURL: t.baseUrl });
    await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: t.baseUrl }]);
    const page = await context.newPage();
    await page.goto('/sign-out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(new RegExp(`^${idpOrigin}/slo\\?SAMLRequest=`));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('IdP /slo');
    await context.close();
  }, 60_000);
});
