import type { BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, describeInBrowser, screenshot, useDemoBrowser } from '../support/browser.js';

/**
 * WCAG 2.2 AA on every page there is, in Chromium against the demo server: axe-core finds nothing (signed out and
 * signed in, with and without form errors, in English and Welsh); every flow works by keyboard alone with a visible
 * focus; and at 320 CSS pixels wide (400 % zoom of a 1280 pixel window, WCAG 1.4.10) nothing scrolls sideways and the
 * service navigation folds into a menu button that opens it. Screenshots go to test/artifacts/a11y-*.png.
 */
describeInBrowser('accessibility of the pages', () => {
  const contexts: BrowserContext[] = [];

  /** A demo practice everyone may read, with comments, replies and adoptions; and one only Kent reads (AMBER). */
  const PUBLIC_PRACTICE = 'Quarterly phishing simulations for councillors and the elections team';
  const KENT_AMBER_PRACTICE = 'Zoned access control and accreditation at count centres';

  const demo = useDemoBrowser();

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function newPage(viewport = { width: 1100, height: 900 }): Promise<{ page: Page; errors: string[] }> {
    const { context, page, errors } = await demo.newPage(viewport);
    contexts.push(context);
    return { page, errors };
  }

  /** Signs in through the demo IdP, as a person would (the demo IdP's own page is not ours, so it is not checked). */
  async function signIn(page: Page, email: string, name: string): Promise<void> {
    await page.goto('/');
    await page.getByLabel('Work email address').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(`${demo.server.baseUrl}/`);
  }

  /** The address of a practice, found the way a visitor finds it. */
  async function practiceHref(page: Page, title: string): Promise<string> {
    await page.goto(`/practices?q=${encodeURIComponent(title)}`);
    return (await page.getByRole('link', { name: title, exact: true }).getAttribute('href'))!;
  }

  /** The pages a visitor reaches, with one form error each where the page has a form. */
  async function pagesOf(page: Page, signedIn: boolean): Promise<{ name: string; open: () => Promise<unknown> }[]> {
    const practice = await practiceHref(page, signedIn ? KENT_AMBER_PRACTICE : PUBLIC_PRACTICE);
    const go = (path: string) => () => page.goto(path);
    const pages: { name: string; open: () => Promise<unknown> }[] = [
      { name: 'start', open: go('/') },
      { name: 'practices', open: go('/practices') },
      { name: 'practices-search', open: go('/practices?q=phishing&order=relevance') },
      { name: 'practices-error', open: go('/practices?published-after-day=31&published-after-month=2&published-after-year=2025&order=relevance') },
      { name: 'practice', open: go(practice) },
      { name: 'help', open: go('/help') },
      { name: 'help-tlp', open: go('/help/tlp') },
      { name: 'help-identity-providers', open: go('/help/identity-providers') },
      { name: 'help-api', open: go('/help/api') },
      { name: 'help-accessibility', open: go('/help/accessibility') },
      { name: 'not-found', open: go('/practices/not-a-practice') },
      { name: 'practices-cy', open: go('/practices?lang=cy') },
      { name: 'practice-cy', open: go(`${practice}?lang=cy`) },
      { name: 'practices-error-cy', open: go('/practices?published-after-day=31&published-after-month=2&published-after-year=2025&lang=cy') },
      { name: 'help-accessibility-cy', open: go('/help/accessibility?lang=cy') },
    ];
    if (signedIn) {
      pages.push({ name: 'sign-out', open: go('/sign-out?lang=en') });
      pages.push({
        // The error page of a form whose token is no longer valid (here, altered before sending).
        name: 'form-expired-error',
        open: async () => {
          await page.goto('/sign-out?lang=en');
          await page.locator('input[name="_csrf"]').evaluate((input: HTMLInputElement) => (input.value = 'expired'));
          await page.getByRole('button', { name: 'Sign out' }).click();
          await page.getByRole('heading', { name: 'This form has expired' }).waitFor();
        },
      });
    } else {
      pages.push({
        name: 'start-error',
        open: async () => {
          await page.goto('/?lang=en');
          await page.getByLabel('Work email address').fill('not an address');
          await page.getByRole('button', { name: 'Continue' }).click();
          await page.getByRole('alert').waitFor();
        },
      });
      pages.push({
        name: 'start-error-cy',
        open: async () => {
          await page.goto('/?lang=cy');
          await page.getByRole('button', { name: 'Parhau' }).click();
          await page.getByRole('alert').waitFor();
        },
      });
    }
    return pages;
  }

  /** What the browser shows as the focus of the element that has it: an outline or a box shadow that can be seen. */
  function focusIndicator(page: Page) {
    return page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return { element: 'body', visible: false };
      // GOV.UK checkboxes and radios hide the input itself and draw its focus around the box before its label.
      const custom = element.matches('.govuk-checkboxes__input, .govuk-radios__input') ? element.nextElementSibling : null;
      const style = custom ? getComputedStyle(custom, '::before') : getComputedStyle(element);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && style.outlineColor !== 'rgba(0, 0, 0, 0)';
      const shadow = style.boxShadow !== 'none' && !/^rgba\(0, 0, 0, 0\)/.test(style.boxShadow);
      const box = (custom ?? element).getBoundingClientRect();
      const label = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
      return { element: label, visible: (outline || shadow) && box.width > 0 && box.height > 0 };
    });
  }

  /** Tabs through the whole page, checking each stop shows its focus; the stops, in order. */
  async function tabThrough(page: Page): Promise<string[]> {
    const stops: string[] = [];
    for (let i = 0; i < 250; i += 1) {
      await page.keyboard.press('Tab');
      // Marks each stop, so coming back to the first one (Tab wraps around) ends the walk.
      const seen = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return true;
        const before = element.dataset.a11yStop === 'seen';
        element.dataset.a11yStop = 'seen';
        return before;
      });
      if (seen) break;
      const { element, visible } = await focusIndicator(page);
      expect([element, visible]).toEqual([element, true]);
      stops.push(element);
    }
    return stops;
  }

  /** Presses Tab until `locator`'s element has the focus; fails after `max` presses. */
  async function tabTo(page: Page, selector: string, max = 150): Promise<number> {
    for (let presses = 1; presses <= max; presses += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return presses;
    }
    throw new Error(`${selector} never received the focus in ${max} presses of Tab`);
  }

  it('axe finds no WCAG 2.2 AA violation on any page, signed out and signed in, with and without errors', async () => {
    for (const signedIn of [false, true]) {
      const { page, errors } = await newPage();
      if (signedIn) await signIn(page, 'sarah.okafor@kent.gov.uk', 'Sarah Okafor');
      for (const { name, open } of await pagesOf(page, signedIn)) {
        await open();
        await page.waitForLoadState('load');
        const found = await accessibilityViolations(page);
        expect([signedIn, name, found]).toEqual([signedIn, name, []]);
        if (name.includes('error') && !name.startsWith('form-expired')) expect([name, await page.getByRole('alert').count()]).toEqual([name, 1]);
        if (name.endsWith('-cy')) expect([name, await page.locator('html').getAttribute('lang')]).toEqual([name, 'cy']);
        await screenshot(page, `a11y-${signedIn ? 'member' : 'visitor'}-${name}`);
      }
      // Nothing the pages load was refused or failed (a CSP refusal, a script error, a missing stylesheet).
      expect(errors).toEqual([]);
    }
  }, 300_000);

  it('works by keyboard alone: the skip link first, focus always visible, sign in and search with Enter', async () => {
    const { page, errors } = await newPage();
    await page.goto('/');

    // The skip link is the first stop, shows itself when focused, and moves the focus to the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to main content');
    expect((await focusIndicator(page)).visible).toBe(true);
    expect(await page.getByRole('link', { name: 'Skip to main content' }).isVisible()).toBe(true);
    await screenshot(page, 'a11y-keyboard-skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');

    // Every stop of the start page shows where the focus is; the e-mail field is reached from the main content.
    await page.goto('/');
    const stops = await tabThrough(page);
    expect(stops[0]).toContain('Skip to main content');
    expect(stops.some((stop) => stop.startsWith('input#email'))).toBe(true);

    // A mistake: Enter on the empty field shows the error summary, focused; its link leads back to the field.
    await page.goto('/');
    await tabTo(page, '#email');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
    await page.keyboard.press('Tab');
    expect((await focusIndicator(page)).element).toContain('Enter your work email address');
    await screenshot(page, 'a11y-keyboard-error-summary');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');

    // Sign in: type the address, Enter; on the demo IdP, Tab to a person and Enter.
    await page.keyboard.type('sarah.okafor@kent.gov.uk');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/demo-idp\/sso/);
    await tabTo(page, 'button');
    while (!(await page.evaluate(() => document.activeElement?.textContent?.includes('Sarah Okafor')))) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${demo.server.baseUrl}/`);
    expect(await page.getByText('You are signed in as Sarah Okafor of Kent County Council.').count()).toBe(1);

    // To the practices from the service navigation, then search: Tab to the search field, type, Enter.
    await tabTo(page, '.govuk-service-navigation__link[href="/practices"]');
    expect((await focusIndicator(page)).visible).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/practices$/);
    const presses = await tabTo(page, '#q');
    await page.keyboard.type('phishing');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/practices\?.*q=phishing/);
    expect(await page.getByRole('heading', { level: 3 }).count()).toBeGreaterThan(0);
    // The search field comes before the filters, so it is reached in a few presses, not after every checkbox.
    expect(presses).toBeLessThan(20);
    await screenshot(page, 'a11y-keyboard-search');

    // Every stop of the results page and of a practice shows its focus too.
    await page.goto('/practices?q=phishing');
    const resultStops = await tabThrough(page);
    expect(resultStops.length).toBeGreaterThan(10);
    await page.goto(await practiceHref(page, PUBLIC_PRACTICE));
    await tabThrough(page);

    // Sign out by keyboard: Tab to the navigation's link, Enter, then Tab to the button and Enter.
    await page.goto('/help');
    await tabTo(page, '.govuk-service-navigation__link[href="/sign-out"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sign-out$/);
    await tabTo(page, 'button.govuk-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${demo.server.baseUrl}/`);
    expect(await page.getByLabel('Work email address').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 180_000);

  it('reflows at 320 CSS pixels wide (400 % zoom): no sideways scrolling, and the menu button opens the navigation', async () => {
    for (const signedIn of [false, true]) {
      const { page, errors } = await newPage({ width: 320, height: 640 });
      if (signedIn) await signIn(page, 'sarah.okafor@kent.gov.uk', 'Sarah Okafor');
      for (const { name, open } of await pagesOf(page, signedIn)) {
        await open();
        await page.waitForLoadState('load');
        const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
          const root = document.documentElement;
          // What sticks out, to say which element breaks the reflow.
          const wide = [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
          return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
        });
        expect([signedIn, name, scrollWidth <= clientWidth + 1, wide]).toEqual([signedIn, name, true, []]);
        await screenshot(page, `a11y-320-${signedIn ? 'member' : 'visitor'}-${name}`);
      }

      // The service navigation is behind its menu button, which opens it.
      await page.goto('/help?lang=en');
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await menu.isVisible()).toBe(true);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      const navigation = page.getByRole('navigation', { name: 'Menu' });
      expect(await navigation.getByRole('link', { name: 'Practices' }).isVisible()).toBe(false);
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      expect(await navigation.getByRole('link', { name: 'Practices' }).isVisible()).toBe(true);
      expect(await navigation.getByRole('link', { name: signedIn ? 'Sign out' : 'Sign in' }).isVisible()).toBe(true);
      expect(await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Cymraeg' }).isVisible()).toBe(true);
      await screenshot(page, `a11y-320-${signedIn ? 'member' : 'visitor'}-menu-open`);
      // And by keyboard: the button takes the focus, and Enter closes it again.
      await menu.focus();
      expect((await focusIndicator(page)).visible).toBe(true);
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(errors).toEqual([]);
    }
  }, 300_000);
});
