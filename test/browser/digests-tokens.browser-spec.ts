import type { BrowserContext, Locator, Page } from 'playwright-core';
import { accessibilityViolations, describeInBrowser, screenshot, useDemoBrowser } from '../support/browser.js';

/**
 * "My digests" and "API tokens" in a real browser against the demo server: a government liaison signs in through the
 * demo identity provider, subscribes to a daily e-mail digest on a topic with the keyboard alone, previews it (after
 * a council publishes a practice on that topic), pauses it and reads its delivery log; then creates an API token,
 * copies it with the copy button and revokes it. axe-core checks every page, with and without a form error, and each
 * page is photographed under test/artifacts/ (digests-*.png, tokens-*.png).
 */
describeInBrowser('my digests and API tokens in a browser', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  const demo = useDemoBrowser();

  beforeEach(async () => {
    ({ context, page, errors } = await demo.newPage());
    // The copy button writes to the clipboard; the test reads it back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.server.baseUrl });
  });

  afterEach(async () => {
    await context.close();
  });

  async function checkPage(name: string): Promise<void> {
    await page.waitForLoadState('load');
    expect([name, await accessibilityViolations(page)]).toEqual([name, []]);
    expect(errors).toEqual([]);
    await screenshot(page, name);
  }

  async function signInAs(email: string, name: string): Promise<void> {
    await page.goto('/');
    await page.getByLabel('Work email address').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(`${demo.server.baseUrl}/`);
  }

  const menu = () => page.getByRole('navigation', { name: 'Menu' });

  /** Presses Tab until `target` has the focus, as a keyboard user moves through a form. */
  async function tabTo(target: Locator, limit = 400): Promise<void> {
    for (let i = 0; i < limit; i += 1) {
      if (await target.evaluate((element) => element === document.activeElement)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${target.toString()}`);
  }

  /** A practice on `tag`, published by the demo contributor through the API (the printed demo token). */
  async function publishPractice(title: string, tag: string): Promise<void> {
    const token = /Demo contributor token \(Kent County Council\): (\S+)/.exec(demo.server.output.join(''))![1]!;
    const call = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${demo.server.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data!;
    };
    const text = { summary: 'Short drills for councillors.', problem: 'Councillors were targeted.', approach: 'Monthly drills.', outcomes: 'Fewer clicks.' };
    const { createPractice } = await call(`mutation($input: CreatePracticeInput!) { createPractice(input: $input) { id } }`, {
      input: { title, ...text, tags: [tag], visibility: 'TLP_GREEN' },
    });
    await call(`mutation($id: ID!) { publishPractice(input: { id: $id }) { id } }`, { id: createPractice!.id });
  }

  it('a government liaison subscribes to a daily e-mail digest by keyboard, previews it, pauses it and reads its log', async () => {
    await signInAs('joanna.price@communities.gov.uk', 'Joanna Price');
    await menu().getByRole('link', { name: 'My digests' }).click();
    await page.waitForURL(/\/digests$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My digests');
    await checkPage('digests-list-empty');

    await page.getByRole('button', { name: 'Create a digest' }).click();
    await page.waitForURL(/\/digests\/new$/);
    await checkPage('digests-new');

    // The form by keyboard alone: first sent empty, to see its errors.
    const create = page.getByRole('button', { name: 'Create digest' });
    await tabTo(create);
    await page.keyboard.press('Enter');
    const summary = page.getByRole('alert');
    await summary.waitFor();
    await page.waitForLoadState('load');
    expect(await page.title()).toBe('Error: Create a digest – Practice Exchange');
    expect(await summary.textContent()).toContain('Enter a name for the digest');
    // GOV.UK Frontend moves the focus to the summary; its first link goes to the field.
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('govuk-error-summary');
    await checkPage('digests-new-error');
    await tabTo(summary.getByRole('link', { name: 'Enter a name for the digest' }));
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');
    await page.keyboard.type('Phishing, daily');
    await tabTo(page.getByRole('checkbox', { name: 'Phishing', exact: true }));
    await page.keyboard.press('Space');
    await tabTo(page.getByRole('radio', { name: 'As soon as practices are published' }));
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'Once a day' }).isChecked()).toBe(true);
    // 07:00 in Europe/London stay as they are.
    await tabTo(page.getByRole('radio', { name: 'Email' }));
    await page.keyboard.press('Space');
    await tabTo(create);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/digests\/[^/]+\?done=created$/);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Phishing, daily');
    expect(await page.getByText('Your digest has been created.').count()).toBe(1);
    expect(await page.getByText('Every day at 07:00 (Europe/London)').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Digests sent' }).count()).toBe(1);
    expect(await page.getByText('No digest has been sent yet.').count()).toBe(1);
    await checkPage('digests-digest');

    // A council publishes a practice on the topic: the next digest would carry it.
    await publishPractice('Phishing drills for polling station staff', 'Phishing');
    await page.getByRole('button', { name: 'Preview the next digest' }).click();
    await page.waitForURL(/\/preview$/);
    expect(await page.getByText('If the digest were sent now, it would include this practice.').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Phishing drills for polling station staff' }).count()).toBe(1);
    await checkPage('digests-preview');

    await page.getByRole('link', { name: 'Back', exact: true }).first().click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForURL(/\?done=paused$/);
    expect(await page.getByText('This digest is paused: nothing is sent.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(1);
    await checkPage('digests-paused');

    await menu().getByRole('link', { name: 'My digests' }).click();
    expect(await page.getByRole('heading', { name: 'Phishing, daily' }).count()).toBe(1);
    await checkPage('digests-list');
  }, 180_000);

  it('shows the secret address of a feed digest with a copy button, and confirms a delete', async () => {
    await signInAs('joanna.price@communities.gov.uk', 'Joanna Price');
    await page.goto('/digests/new');
    await page.getByLabel('Name of the digest').fill('Disinformation in my reader');
    await page.getByRole('checkbox', { name: 'Disinformation', exact: true }).check();
    await page.getByRole('radio', { name: 'Once a week' }).check();
    await page.getByRole('combobox', { name: /^Day of the week/ }).selectOption('THURSDAY');
    await page.getByRole('radio', { name: 'Private feed' }).check();
    await page.getByRole('button', { name: 'Create digest' }).click();
    await page.waitForURL(/\?done=created$/);
    const feed = page.getByLabel('Private feed address');
    const address = await feed.inputValue();
    expect(address).toMatch(/\/feeds\/subscriptions\/[0-9a-f]{32}\.[\w-]{43}\.atom$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(address);
    await checkPage('digests-feed');

    await page.getByRole('link', { name: 'Make a new feed address' }).click();
    await checkPage('digests-new-address');
    await page.getByRole('button', { name: 'Make a new address' }).click();
    await page.waitForURL(/\?done=rotated$/);
    expect(await page.getByLabel('Private feed address').inputValue()).not.toBe(address);

    await page.getByRole('link', { name: 'Delete this digest' }).click();
    await checkPage('digests-delete');
    await page.getByRole('button', { name: 'Delete digest' }).click();
    await page.waitForURL(/\/digests\?done=deleted$/);
    expect(await page.getByText('The digest has been deleted.').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Disinformation in my reader' }).count()).toBe(0);
  }, 120_000);

  it('creates an API token, copies it, and revokes it', async () => {
    await signInAs('joanna.price@communities.gov.uk', 'Joanna Price');
    await menu().getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL(/\/tokens$/);
    await checkPage('tokens-list-empty');

    await page.getByRole('button', { name: 'Create a token' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    expect(await page.title()).toBe('Error: Create an API token – Practice Exchange');
    expect(await page.getByRole('alert').textContent()).toContain('Select at least one thing the token may do');
    await checkPage('tokens-new-error');

    await page.getByLabel('Name of the token').fill('Briefing dashboard');
    await page.getByRole('checkbox', { name: 'Read' }).check();
    await page.getByRole('radio', { name: 'In 30 days' }).check();
    await checkPage('tokens-new');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.waitForLoadState('load');
    expect(await page.title()).toBe('Your new API token – Practice Exchange');
    // Shown on the answer to the form: the address is the form's, with no token in it.
    expect(page.url()).toBe(`${demo.server.baseUrl}/tokens/new`);
    const token = await page.getByLabel('Your new API token').inputValue();
    expect(token).toMatch(/^pe_[0-9a-f]{32}_[0-9a-f]{64}$/);
    expect(await page.getByText('Copy the token now. You will not be able to see it again.').count()).toBe(1);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByRole('button', { name: 'Token copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await checkPage('tokens-created');

    await page.getByRole('link', { name: 'I have copied the token: go to my API tokens' }).click();
    await page.waitForURL(/\/tokens$/);
    expect(await page.content()).not.toContain(token);
    expect(await page.getByRole('heading', { name: 'Briefing dashboard' }).count()).toBe(1);
    await checkPage('tokens-list');

    await page.getByRole('link', { name: 'Revoke Briefing dashboard' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Are you sure you want to revoke this token?');
    expect(await page.getByText('Any tokens created with this token will be revoked too.').count()).toBe(1);
    await checkPage('tokens-revoke');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.waitForURL(/\/tokens\?revoked=/);
    expect(await page.getByText('The token ‘Briefing dashboard’ has been revoked, with any tokens created with it.').count()).toBe(1);
    await checkPage('tokens-revoked');
    const refused = await fetch(`${demo.server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    const answer = (await refused.json()) as { data?: { me: unknown } | null; errors?: { extensions?: { code?: string } }[] };
    expect(answer.data?.me ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 120_000);
});
