import type { BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, describeInBrowser, screenshot, useDemoBrowser } from '../support/browser.js';
import { createTestIdp } from '../support/saml-idp.js';

/**
 * The admin pages in a real browser against the demo server, as the demo people use them: an organisation admin
 * adds an identity provider from a metadata file, a moderator hides a flagged practice and brings it back, and a
 * platform admin confirms the IdP and keeps the organisations. Each page is checked with axe-core (WCAG 2.2 AA), with
 * and without an error, and photographed under test/artifacts/.
 */
describeInBrowser('admin pages in a browser', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  /** The practice the moderator journey flags, hides and brings back. */
  let flagged: { id: string; title: string };

  const demo = useDemoBrowser();

  beforeEach(async () => {
    ({ context, page, errors } = await demo.newPage());
  });

  afterEach(async () => {
    await context.close();
  });

  async function checkPage(name: string, on: Page = page): Promise<void> {
    await on.waitForLoadState('load');
    expect([name, await accessibilityViolations(on)]).toEqual([name, []]);
    expect(errors).toEqual([]);
    await screenshot(on, name);
  }

  /** Signs in through the demo identity provider, as the start page leads. */
  async function signIn(email: string, name: string, on: Page = page): Promise<void> {
    await on.goto('/');
    await on.getByLabel('Work email address').fill(email);
    await on.getByRole('button', { name: 'Continue' }).click();
    await on.waitForLoadState('load');
    // Kent has two identity providers once its admin has added one: the start page asks which.
    if (await on.getByRole('heading', { name: /Choose how to sign in/ }).count()) await on.getByRole('link', { name: 'Demo IdP' }).click();
    await on.getByRole('button', { name: `Sign in as ${name}` }).click();
    await on.waitForURL(`${demo.server.baseUrl}/`);
  }

  const menu = (on: Page = page) => on.getByRole('navigation', { name: 'Menu' });

  it('an organisation admin sees the members and adds an identity provider from a metadata file, which waits for confirmation', async () => {
    await signIn('priya.chauhan@kent.gov.uk', 'Priya Chauhan');
    await menu().getByRole('link', { name: 'My organisation' }).click();
    await page.waitForURL(/\/organisation$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kent County Council');
    expect(await page.getByRole('row', { name: /Sarah Okafor/ }).count()).toBe(1);
    await checkPage('organisation-members');

    await page.getByRole('link', { name: 'Change roles – Sarah Okafor' }).click();
    expect(await page.getByRole('checkbox', { name: 'Moderator' }).count()).toBe(0);
    expect(await page.getByText('Only platform admins give or take away these roles: Moderator, Platform admin.').count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Contributor' }).isChecked()).toBe(true);
    await checkPage('organisation-roles');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await page.getByRole('link', { name: 'Deactivate – James Whitfield' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Deactivate James Whitfield?');
    await checkPage('organisation-deactivate');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await page.getByRole('navigation', { name: 'Organisation pages' }).getByRole('link', { name: 'Identity providers' }).click();
    await page.waitForURL(/\/organisation\/identity-providers$/);
    expect(await page.getByRole('heading', { name: 'Demo IdP (demo)' }).count()).toBe(1);
    expect(await page.getByText(`${demo.server.baseUrl}/auth/saml/kent/acs`, { exact: true }).count()).toBe(1);
    await checkPage('organisation-identity-providers');

    await page.getByRole('button', { name: 'Add an identity provider' }).click();
    await page.waitForURL(/\/organisation\/identity-providers\/new$/);
    await checkPage('organisation-idp-form');

    // Nothing chosen: the error summary takes the focus, and its link leads to the question.
    await page.getByRole('button', { name: 'Add identity provider' }).click();
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).toContain('Enter the metadata address or select the metadata file');
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('govuk-error-summary');
    await checkPage('organisation-idp-error');

    // By keyboard: the name and the short name; the file comes from the file chooser.
    const idp = await createTestIdp({
      entityId: 'https://login.kent-staff.example/saml',
      ssoUrl: 'https://login.kent-staff.example/sso',
      sloUrl: 'https://login.kent-staff.example/slo',
    });
    await page.getByLabel('Name (optional)', { exact: true }).focus();
    await page.keyboard.type('Kent staff sign-in');
    await page.keyboard.press('Tab');
    await page.keyboard.type('staff');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('metadataUrl');
    await page
      .getByLabel('Upload the metadata file')
      .setInputFiles({ name: 'kent-staff-metadata.xml', mimeType: 'application/xml', buffer: Buffer.from(idp.metadataXml) });
    await page.getByRole('button', { name: 'Add identity provider' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/organisation\/identity-providers\?done=added$/);
    expect(await page.getByText('The identity provider has been saved.').count()).toBe(1);
    const card = page.locator('.govuk-summary-card', { has: page.getByRole('heading', { name: 'Kent staff sign-in (staff)' }) });
    expect(await card.getByText('Waiting for confirmation').count()).toBe(1);
    expect(await card.getByText('https://login.kent-staff.example/saml', { exact: true }).count()).toBe(1);
    expect(await card.getByText(/expires on \d+ \w+ \d{4}/).count()).toBe(1);
    await checkPage('organisation-identity-providers-added');

    await page.getByRole('navigation', { name: 'Organisation pages' }).getByRole('link', { name: 'Audit log' }).click();
    expect(await page.getByRole('cell', { name: 'Identity provider changed' }).count()).toBeGreaterThan(0);
    await checkPage('organisation-audit');

    // Welsh, on the same page.
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Cymraeg' }).click();
    expect(await page.getByRole('heading', { name: 'Cofnod archwilio' }).count()).toBe(1);
    await checkPage('organisation-audit-cy');
    await page.getByRole('navigation', { name: 'Iaith' }).getByRole('link', { name: 'English' }).click();
  }, 240_000);

  it('a moderator hides a flagged practice and brings it back', async () => {
    // A member flags a practice, as the practice page's flag form would (through the API's flagContent).
    await signIn('sarah.okafor@kent.gov.uk', 'Sarah Okafor');
    const listed = await page.request.post('/graphql', {
      headers: { 'content-type': 'application/json' },
      data: { query: '{ practices(first: 20) { edges { node { id title visibility organisation { slug } } } } }' },
    });
    const edges = (
      (await listed.json()) as { data: { practices: { edges: { node: { id: string; title: string; visibility: string; organisation: { slug: string } } }[] } } }
    ).data.practices.edges;
    const node = edges.map((e) => e.node).find((p) => p.visibility === 'TLP_GREEN' && p.organisation.slug !== 'kent')!;
    flagged = { id: node.id, title: node.title };
    const flag = await page.request.post('/graphql', {
      headers: { 'content-type': 'application/json' },
      data: {
        query: 'mutation($input: FlagContentInput!) { flagContent(input: $input) { id status } }',
        variables: { input: { subjectId: flagged.id, reason: 'FALSE_INFORMATION', note: 'The figures in the outcomes look invented.' } },
      },
    });
    expect(((await flag.json()) as { data: { flagContent: { status: string } } }).data.flagContent.status).toBe('OPEN');
    await context.clearCookies();

    await signIn('nadia.kowalska@cabinetoffice.gov.uk', 'Nadia Kowalska');
    await menu().getByRole('link', { name: 'Moderation' }).click();
    await page.waitForURL(/\/moderation$/);
    const card = page.locator('.govuk-summary-card', { has: page.getByRole('link', { name: flagged.title }) });
    expect(await card.getByText('The figures in the outcomes look invented.').count()).toBe(1);
    expect(await card.getByText('False information').count()).toBe(1);
    expect(await card.getByText(/Sarah Okafor \(Kent County Council\)/).count()).toBe(1);
    await checkPage('moderation-queue');

    await card.getByRole('button', { name: `Hide – ${flagged.title}` }).click();
    await page.waitForURL(/done=hidden/);
    expect(await page.getByText('The content is hidden. Its flags are closed.').count()).toBe(1);
    await checkPage('moderation-hidden-done');

    // The practice is gone for everyone, the moderator included.
    const gone = await page.goto(`/practices/${flagged.id}`);
    expect(gone?.status()).toBe(404);

    await page.goto('/moderation');
    await page.getByRole('navigation', { name: 'Flags by status' }).getByRole('link', { name: 'Hidden' }).click();
    await page.waitForURL(/status=hidden/);
    const hidden = page.locator('.govuk-summary-card', { hasText: 'The figures in the outcomes look invented.' });
    expect(await hidden.getByRole('heading', { name: 'Hidden practice' }).count()).toBe(1);
    expect(await page.getByText(flagged.title).count()).toBe(0);
    await checkPage('moderation-hidden');

    // A second tab still shows the button once the first has brought the practice back: the page says so.
    const second = await context.newPage();
    await second.goto('/moderation?status=hidden');
    await hidden.getByRole('button', { name: 'Bring back – Hidden practice' }).click();
    await page.waitForURL(/done=unhidden/);
    expect(await page.getByText('The content is back where it was.').count()).toBe(1);
    expect((await page.goto(`/practices/${flagged.id}`))?.status()).toBe(200);

    await second
      .locator('.govuk-summary-card', { hasText: 'The figures in the outcomes look invented.' })
      .getByRole('button', { name: /Bring back/ })
      .click();
    await second.waitForLoadState('load');
    expect(await second.getByRole('alert').textContent()).toContain('This content is no longer hidden');
    await checkPage('moderation-error', second);

    await page.goto('/moderation?status=unhidden');
    const back = (await page.locator('.govuk-summary-card', { hasText: 'The figures in the outcomes look invented.' }).textContent())!.replace(/\s+/g, ' ');
    expect(back).toContain('Brought back by Nadia Kowalska (Defending Democracy Election Security Unit)');
    await checkPage('moderation-unhidden');
  }, 240_000);

  it('a platform admin confirms the new identity provider and adds an organisation with its domains', async () => {
    await signIn('eleanor.hart@cabinetoffice.gov.uk', 'Eleanor Hart');
    await menu().getByRole('link', { name: 'Platform' }).click();
    await page.waitForURL(/\/platform$/);
    expect(
      await page
        .getByRole('row', { name: /Cardiff Council/ })
        .getByText('caerdydd.gov.uk')
        .count(),
    ).toBe(1);
    await checkPage('platform-organisations');

    await page.getByRole('link', { name: 'Members and sign-in – Kent County Council' }).click();
    await page.getByRole('navigation', { name: 'Organisation pages' }).getByRole('link', { name: 'Identity providers' }).click();
    await page.getByRole('button', { name: 'Confirm this change – Kent staff sign-in' }).click();
    await page.waitForURL(/done=confirmed/);
    expect(await page.getByText('Waiting for confirmation').count()).toBe(0);
    await checkPage('organisation-identity-providers-confirmed');

    await page.goto('/platform');
    await page.getByRole('button', { name: 'Add an organisation' }).click();
    await page.getByRole('button', { name: 'Add organisation' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Enter a short name');
    await checkPage('platform-organisation-error');

    // By keyboard, from the first field to the button.
    await page.getByLabel('Short name', { exact: true }).focus();
    await page.keyboard.type('north-somerset');
    await page.keyboard.press('Tab');
    await page.keyboard.type('North Somerset Council');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('UK council').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('GB');
    await page.keyboard.press('Tab');
    await page.keyboard.type('South West');
    await page.keyboard.press('Tab');
    await page.keyboard.type('n-somerset.gov.uk\nkent.gov.uk');
    await page.getByRole('button', { name: 'Add organisation' }).focus();
    await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    // kent.gov.uk is Kent's: the service's refusal, on the form, with what was typed.
    expect(await page.getByRole('alert').textContent()).toContain('kent.gov.uk already belongs to another organisation');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('North Somerset Council');
    await checkPage('platform-organisation-domain-taken');
    await page.getByLabel('Email domains').fill('n-somerset.gov.uk');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.waitForURL(/\/platform\?done=created$/);
    expect(
      await page
        .getByRole('row', { name: /North Somerset Council/ })
        .getByText('n-somerset.gov.uk')
        .count(),
    ).toBe(1);
    await checkPage('platform-organisations-created');

    // At 400 % zoom (320 CSS pixels wide) the tables reflow: nothing needs scrolling sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    for (const path of [
      '/platform',
      '/organisation?org=kent',
      '/organisation/audit?org=kent',
      '/organisation/identity-providers?org=kent',
      '/organisation/identity-providers/new?org=kent',
    ]) {
      const response = await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect([path, response?.status(), overflow]).toEqual([path, 200, 0]);
    }
    await screenshot(page, 'platform-organisations-400-percent');
    await page.goto('/organisation?org=kent');
    await screenshot(page, 'organisation-members-400-percent');
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto('/platform');

    await page.getByRole('link', { name: 'Change – North Somerset Council' }).click();
    expect(await page.getByText('Short name: north-somerset. It cannot be changed.').count()).toBe(1);
    await checkPage('platform-organisation-edit');
  }, 240_000);
});
