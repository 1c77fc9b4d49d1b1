import type { Page } from 'playwright-core';
import { describeInBrowser, screenshot, useDemoBrowser } from '../support/browser.js';

/**
 * 400 % zoom (WCAG 1.4.10 Reflow) of the pages an officer works in: writing a practice, the practice's own action pages,
 * "My digests" and "API tokens", at 320 CSS pixels wide (a 1280 pixel window at 400 %), with and without form errors.
 * Nothing may scroll sideways. The pages of accessibility.browser-spec.ts and the admin pages have their own check.
 * Screenshots: test/artifacts/reflow-*.png.
 */
describeInBrowser('reflow at 320 CSS pixels of the write, practice action, digest and token pages', () => {
  /** A demo practice of another organisation (Kent's), with comments to reply to. */
  const OTHERS_PRACTICE = 'Quarterly phishing simulations for councillors and the elections team';

  const demo = useDemoBrowser();

  /** What sticks out to the right of the viewport: nothing, when the page reflows. */
  async function overflow(page: Page): Promise<{ scrolls: boolean; wide: string[] }> {
    return page.evaluate(() => {
      const root = document.documentElement;
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`);
      const scrolls = root.scrollWidth > root.clientWidth + 1;
      // Nothing visibly wider yet the page scrolls: name what scrolls inside (a select's or a hidden element's width).
      if (scrolls && !wide.length) {
        wide.push(
          `scrollWidth ${root.scrollWidth}`,
          ...[...document.querySelectorAll('body *')]
            .filter((e) => e.scrollWidth > root.clientWidth)
            .slice(-3)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')} ${e.scrollWidth}`),
        );
      }
      return { scrolls, wide };
    });
  }

  it('nothing scrolls sideways at 320 CSS pixels, with and without errors', async () => {
    const { page, errors } = await demo.newPage({ width: 320, height: 640 });
    await page.goto('/');
    await page.getByLabel('Work email address').fill('tom.ashworth@manchester.gov.uk');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign in as Tom Ashworth' }).click();
    await page.waitForURL(`${demo.server.baseUrl}/`);

    // Every page is measured before any is judged, so one run names all that overflow.
    const checked: string[] = [];
    const overflowing: { name: string; wide: string[] }[] = [];
    const check = async (name: string) => {
      await page.waitForLoadState('load');
      const { scrolls, wide } = await overflow(page);
      if (scrolls || wide.length) overflowing.push({ name, wide });
      await screenshot(page, `reflow-${name}`);
      checked.push(name);
    };
    const submitEmpty = async (button: string) => {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.getByRole('alert').waitFor();
    };

    // Writing: a new practice, its errors, then the officer's own draft, edited into a second revision.
    await page.goto('/practices/new');
    await check('practice-new');
    await submitEmpty('Save as draft');
    await check('practice-new-error');
    await page.getByLabel('Title', { exact: true }).fill('Locked ballot box seals with numbered tags, checked at every hand-over');
    await page.getByLabel('Summary', { exact: true }).fill('Numbered seals on every ballot box, logged at each hand-over.');
    await page.getByLabel('The problem', { exact: true }).fill('Nobody could say who had last handled a box.');
    await page
      .getByLabel('What you did', { exact: true })
      .fill('A seal log, signed at each hand-over: https://example.org/a-very-long-address/that-does-not-break/easily/seal-log-template-version-two.pdf');
    await page.getByLabel('Outcomes and evidence', { exact: true }).fill('Every box accounted for at the last count.');
    await page.getByLabel('Topics', { exact: true }).fill('Count centres, Ballot security');
    await page.getByLabel('TLP:GREEN', { exact: true }).check();
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForURL(/\/practices\/[A-Za-z0-9_-]+\?done=created$/);
    const own = new URL(page.url()).pathname;
    await check('practice-draft');
    await page.goto(`${own}/edit`);
    await check('practice-edit');
    await page.getByLabel('Summary', { exact: true }).fill('Numbered seals on every ballot box, logged and signed at each hand-over.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\?done=saved$/);
    await page.goto(`${own}/edit`);
    await page.getByLabel('Title', { exact: true }).fill('');
    await submitEmpty('Save changes');
    await check('practice-edit-error');
    await page.goto(`${own}/publish`);
    await check('practice-publish');
    await page.goto(`${own}/revisions`);
    await check('revisions');
    await page.goto(`${own}/revisions?from=1&to=2`);
    expect(await page.getByRole('heading', { level: 2, name: 'Changes from revision 1 to revision 2' }).count()).toBe(1);
    await check('revisions-diff');
    await page.goto(`${own}/archive`);
    await check('practice-archive');

    // Another organisation's practice: reply to a comment, flag it, record an adoption.
    await page.goto(`/practices?q=${encodeURIComponent(OTHERS_PRACTICE)}`);
    const practice = (await page.getByRole('link', { name: OTHERS_PRACTICE, exact: true }).getAttribute('href'))!;
    await page.goto(practice);
    await check('practice-others');
    const reply = (await page
      .getByRole('link', { name: /^Reply/ })
      .first()
      .getAttribute('href'))!;
    await page.goto(reply);
    await check('comment-reply');
    await submitEmpty('Post reply');
    await check('comment-reply-error');
    await page.goto(`${practice}/flag`);
    await check('flag');
    await page.goto(`${practice}/adoption`);
    await check('adoption');

    // My digests.
    await page.goto('/digests');
    await check('digests-empty');
    await page.goto('/digests/new');
    await check('digests-new');
    await submitEmpty('Create digest');
    await check('digests-new-error');
    await page.getByLabel('Name of the digest').fill('Count centre security, every Monday morning for the whole elections team');
    await page.getByRole('checkbox', { name: 'Phishing', exact: true }).check();
    await page.getByRole('radio', { name: 'Once a week' }).check();
    await page.getByRole('radio', { name: 'Private feed' }).check();
    await page.getByRole('button', { name: 'Create digest' }).click();
    await page.waitForURL(/\/digests\/[^/]+\?done=created$/);
    const digest = new URL(page.url()).pathname;
    await check('digest');
    await page.goto(`${digest}/edit`);
    await check('digest-edit');
    await page.goto(`${digest}/preview`);
    await check('digest-preview');
    await page.goto(`${digest}/delete`);
    await check('digest-delete');
    await page.goto('/digests');
    await check('digests');

    // API tokens.
    await page.goto('/tokens');
    await check('tokens');
    await page.goto('/tokens/new');
    await check('tokens-new');
    await submitEmpty('Create token');
    await check('tokens-new-error');
    await page.getByLabel('Name of the token').fill('Intranet news feed of practices about count centres');
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Create token', exact: true }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await check('token-created');
    await page.goto('/tokens');
    await check('tokens-one');

    expect(overflowing).toEqual([]);
    expect(errors).toEqual([]);
    expect(checked.length).toBeGreaterThan(25);
  }, 300_000);
});
