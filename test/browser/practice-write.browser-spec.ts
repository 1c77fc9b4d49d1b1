import type { Page } from 'playwright-core';
import { accessibilityViolations, describeInBrowser, screenshot, useDemoBrowser } from '../support/browser.js';

/**
 * Posting a practice and taking part in it, in Chromium against the demo server: a Cardiff officer signs in through the
 * demo IdP, posts a practice (the form filled by keyboard alone), publishes it and edits it, meets a conflict with a
 * colleague's edit and compares revisions; then a liaison of the Elections Division finds it by search, comments and
 * records an adoption. axe-core checks every page (with and without errors); screenshots go to test/artifacts/.
 */
describeInBrowser('posting a practice and taking part in it, in a browser', () => {
  /** Words of the new practice's title that the liaison searches for. */
  const TITLE = 'Bilingual polling card proofreading before dispatch';

  const demo = useDemoBrowser();

  const newPage = () => demo.newPage();

  /** axe finds nothing, the browser reported no error (a CSP refusal, say), and a screenshot is taken. */
  async function checkPage(page: Page, errors: string[], name: string): Promise<void> {
    await page.waitForLoadState('load');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, name);
  }

  /** Signs in through the demo identity provider as the demo member with this address and name. */
  async function signIn(page: Page, email: string, name: string): Promise<void> {
    await page.goto('/');
    await page.getByLabel('Work email address').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(`${demo.server.baseUrl}/`);
  }

  /** Presses Tab until the element with `id` has focus (at most `limit` times), as a keyboard user moves on. */
  async function tabTo(page: Page, id: string, limit = 8): Promise<void> {
    for (let i = 0; i < limit; i += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    }
    throw new Error(`Tab never reached #${id}; focus is on #${await page.evaluate(() => document.activeElement?.id)}`);
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  let practiceUrl: string;

  it('an officer posts a practice by keyboard, publishes it, edits it, meets a conflict and compares revisions', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'rhian.pritchard@cardiff.gov.uk', 'Rhian Pritchard');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Practices' }).click();
    await page.waitForURL(/\/practices$/);
    await checkPage(page, errors, 'write-practices-list');
    await page.getByRole('button', { name: 'Post a practice' }).click();
    await page.waitForURL(/\/practices\/new$/);
    expect(await page.title()).toBe('Post a practice – Practice Exchange');
    await checkPage(page, errors, 'write-new');

    // Saved with nothing typed: the error summary takes focus and lists every missing answer.
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForLoadState('load');
    expect(await page.title()).toBe('Error: Post a practice – Practice Exchange');
    const summary = page.getByRole('alert');
    for (const problem of [
      'Enter a title',
      'Enter a summary',
      'Describe the problem',
      'Describe what you did',
      'Describe the outcomes and evidence',
      'Select who can read it',
    ]) {
      expect(await summary.textContent()).toContain(problem);
    }
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('govuk-error-summary');
    await checkPage(page, errors, 'write-new-error');

    // From here on, the keyboard alone: the summary's first link leads to the title.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Enter a title');
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('title');
    await page.keyboard.type(TITLE);
    await tabTo(page, 'summary');
    await page.keyboard.type('Two officers check every Welsh and English polling card proof side by side before it goes to the printer.');
    await tabTo(page, 'problem');
    await page.keyboard.type('A mistranslated polling station address went out on 4,000 cards.');
    await tabTo(page, 'approach');
    await page.keyboard.type('- A bilingual checklist\n- A second reader for every proof');
    await tabTo(page, 'outcomes');
    await page.keyboard.type('No reprints at the last two elections.');
    await tabTo(page, 'resource-1-title');
    await page.keyboard.type('Proofreading checklist');
    await tabTo(page, 'resource-1-url');
    await page.keyboard.type('https://example.org/checklist');
    await tabTo(page, 'tags', 12);
    await page.keyboard.type('Polling cards, Welsh language');
    await tabTo(page, 'language');
    // The first level (TLP:CLEAR) takes focus; the arrow key moves to and chooses TLP:GREEN.
    await tabTo(page, 'visibility');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('TLP:GREEN', { exact: true }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Save as draft');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/practices\/[A-Za-z0-9_-]+\?done=created$/);
    practiceUrl = page.url().split('?')[0]!;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await page.getByText('Your practice is saved as a draft.').count()).toBe(1);
    await checkPage(page, errors, 'practice-draft');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    expect(await page.title()).toBe('Publish practice – Practice Exchange');
    await checkPage(page, errors, 'write-publish');
    await page.getByRole('button', { name: 'Publish practice' }).click();
    await page.waitForURL(/\?done=published$/);
    expect(await page.getByText('The practice is published.').count()).toBe(1);
    await checkPage(page, errors, 'practice-published');

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    expect(await page.title()).toBe('Edit practice – Practice Exchange');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(TITLE);
    await checkPage(page, errors, 'write-edit');
    await page
      .getByLabel('Outcomes and evidence', { exact: true })
      .fill('No reprints at the last two elections, and proofs back from the printer a day sooner.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\?done=saved$/);
    expect(await page.getByText('Your changes are saved.').count()).toBe(1);

    // A colleague saves while the officer is still editing: both versions are shown, and nothing typed is lost.
    await page.goto(`${practiceUrl}/edit`);
    const { page: colleague } = await newPage();
    await signIn(colleague, 'owain.llewellyn@caerdydd.gov.uk', 'Owain Llewellyn');
    await colleague.goto(`${practiceUrl}/edit`);
    await colleague.getByLabel('Summary', { exact: true }).fill('Every bilingual polling card proof is read by two officers, one of them a Welsh speaker.');
    await colleague.getByRole('button', { name: 'Save changes' }).click();
    await colleague.waitForURL(/\?done=saved$/);
    await page.getByLabel('Summary', { exact: true }).fill('Two officers, one a Welsh speaker, check each proof side by side.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForLoadState('load');
    expect(await page.title()).toBe('Error: Edit practice – Practice Exchange');
    expect(await page.getByRole('alert').textContent()).toContain('Someone else changed this practice while you were editing it');
    const conflict = page.getByRole('region', { name: 'Someone else changed this practice' });
    expect(await conflict.textContent()).toContain('one of them a Welsh speaker');
    expect(await conflict.textContent()).toContain('one a Welsh speaker, check each proof side by side');
    expect(await page.getByLabel('Summary', { exact: true }).inputValue()).toBe('Two officers, one a Welsh speaker, check each proof side by side.');
    await checkPage(page, errors, 'write-conflict');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\?done=saved$/);
    expect(await page.getByText('Two officers, one a Welsh speaker, check each proof side by side.').count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Compare revisions' }).click();
    expect(await page.title()).toBe('Revision history – Practice Exchange');
    await page.getByLabel('Older revision').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/revisions\?from=2&to=\d+/);
    expect(await page.getByRole('heading', { level: 2, name: /^Changes from revision 2 to revision \d+$/ }).count()).toBe(1);
    expect(await page.locator('del').filter({ hasText: 'Removed:' }).count()).toBeGreaterThan(0);
    expect(await page.locator('ins').filter({ hasText: 'Added:' }).count()).toBeGreaterThan(0);
    await checkPage(page, errors, 'practice-revisions');
  }, 240_000);

  it('a liaison of another organisation finds it by search, comments and records an adoption', async () => {
    expect(practiceUrl).toBeDefined();
    const { page, errors } = await newPage();
    await signIn(page, 'joanna.price@communities.gov.uk', 'Joanna Price');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Practices' }).click();
    await page.getByLabel('Search practices').fill('bilingual polling card proofreading');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/practices\?.*q=bilingual/);
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(practiceUrl);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    // Not theirs to change.
    expect(await page.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
    await checkPage(page, errors, 'practice-liaison');

    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('alert').textContent()).toContain('Enter your comment');
    await checkPage(page, errors, 'practice-comment-error');
    await page.getByLabel('Add a comment').fill('We will share this with **every** returning officer in our network.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForURL(/\?done=commented#comment-/);
    expect(await page.getByText('Your comment is posted.').count()).toBe(1);
    expect(await page.locator('.pe-comment strong', { hasText: 'every' }).count()).toBe(1);
    await checkPage(page, errors, 'practice-commented');

    await page.getByRole('button', { name: 'Record that your organisation adopted this' }).click();
    expect(await page.title()).toBe('Record an adoption – Practice Exchange');
    await checkPage(page, errors, 'practice-adoption');
    await page.getByRole('button', { name: 'Record adoption' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('alert').textContent()).toContain('Enter the outcome');
    await checkPage(page, errors, 'practice-adoption-error');
    await page.getByLabel('Outcome', { exact: true }).fill('Adopted in our guidance to Welsh councils');
    await page.getByLabel('How you used it').fill('We added the two-reader check to the guidance we send to every council in Wales.');
    await page.getByRole('button', { name: 'Record adoption' }).click();
    await page.waitForURL(/\?done=adopted#adoptions$/);
    expect(await page.getByRole('heading', { name: 'Adopted by 1 organisation' }).count()).toBe(1);
    expect(await page.getByText('Adopted in our guidance to Welsh councils').count()).toBe(1);
    // Recorded once per organisation: the button now changes what was recorded.
    expect(await page.getByRole('button', { name: 'Change what your organisation recorded' }).count()).toBe(1);
    await checkPage(page, errors, 'practice-adopted');

    // The report form, looked at and left.
    await page.getByRole('link', { name: 'Report this practice' }).click();
    expect(await page.title()).toBe('Report this practice – Practice Exchange');
    await checkPage(page, errors, 'practice-flag');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('alert').textContent()).toContain('Select why you are reporting it');
    await checkPage(page, errors, 'practice-flag-error');
  }, 180_000);
});
