import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import PgBoss from 'pg-boss';
import type { Page } from 'playwright-core';
import { accessibilityViolations, describeInBrowser, screenshot, useDemoBrowser } from '../support/browser.js';

/**
 * The end of the liaison's journey, in Chromium against the demo server run as `npm start` runs it (API and worker in
 * one process): a government liaison subscribes to a daily e-mail digest on a topic, a council officer publishes a
 * practice on that topic through the pages, the worker's scheduler finds the digest due and the worker sends it (in
 * demo mode, as an .eml file under DATA_DIR/mail), and the link in the e-mail leads the liaison back to the practice.
 * Screenshots: test/artifacts/digest-email-*.png.
 */
describeInBrowser('a daily digest e-mail leads back to the practice', () => {
  const TITLE = 'Phishing-resistant sign-in for postal vote staff';
  const TOPIC = 'Phishing';
  const ZONE = 'Europe/London';

  const demo = useDemoBrowser({ worker: true });

  const newPage = () => demo.newPage();

  async function signIn(page: Page, email: string, name: string): Promise<void> {
    await page.goto('/');
    await page.getByLabel('Work email address').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(`${demo.server.baseUrl}/`);
  }

  async function checkPage(page: Page, errors: string[], name: string): Promise<void> {
    await page.waitForLoadState('load');
    expect([name, await accessibilityViolations(page)]).toEqual([name, []]);
    expect(errors).toEqual([]);
    await screenshot(page, `digest-email-${name}`);
  }

  /** The hour it is now in `timeZone`, 0–23: a daily digest at this hour is due at the scheduler's next run. */
  function hourNowIn(timeZone: string): number {
    return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
  }

  /**
   * One run of the worker's digest scheduler, now. It runs by itself every five minutes (its cron); rather than wait for
   * that, the test puts the very message pg-boss's cron would put on the `digest-schedule` queue of the demo server's
   * embedded database, and the server's own worker runs it.
   */
  async function runDigestSchedulerNow(): Promise<void> {
    // The embedded cluster's port is in its postmaster.pid (line 4); its password is libs/database's fixed demo one.
    const port = readFileSync(path.join(demo.server.databaseDir, 'postmaster.pid'), 'utf8').split('\n')[3]!.trim();
    const boss = new PgBoss({
      connectionString: `postgres://postgres:practice-exchange@127.0.0.1:${port}/practice_exchange`,
      schema: 'pgboss',
      supervise: false,
      schedule: false,
      migrate: false,
      max: 1,
    });
    boss.on('error', () => undefined);
    await boss.start();
    try {
      expect(await boss.send('digest-schedule', {})).toBeTruthy();
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  }

  /** The .eml files the demo mail transport has written so far. */
  function mails(): string[] {
    const folder = path.join(demo.server.dataDir, 'mail');
    return existsSync(folder)
      ? readdirSync(folder)
          .filter((name) => name.endsWith('.eml'))
          .map((name) => path.join(folder, name))
      : [];
  }

  async function waitForMail(timeoutMs: number): Promise<string> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const [file] = mails();
      if (file) return file;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`No digest e-mail in ${timeoutMs} ms under ${demo.server.dataDir}/mail:\n${demo.server.output.join('').slice(-4000)}`);
  }

  it('a liaison subscribes daily, a council publishes, the worker mails the digest and its link opens the practice', async () => {
    // A government liaison subscribes to a daily e-mail digest on the topic, at this very hour.
    const liaison = await newPage();
    await signIn(liaison.page, 'joanna.price@communities.gov.uk', 'Joanna Price');
    await liaison.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'My digests' }).click();
    await liaison.page.getByRole('button', { name: 'Create a digest' }).click();
    await liaison.page.waitForURL(/\/digests\/new$/);
    await liaison.page.getByLabel('Name of the digest').fill('Phishing, daily at this hour');
    await liaison.page.getByRole('checkbox', { name: TOPIC, exact: true }).check();
    await liaison.page.getByRole('radio', { name: 'Once a day' }).check();
    await liaison.page.getByLabel('Time zone').selectOption(ZONE);
    const hour = hourNowIn(ZONE);
    await liaison.page.getByLabel('Time', { exact: true }).selectOption(String(hour));
    await liaison.page.getByRole('radio', { name: 'Email' }).check();
    await checkPage(liaison.page, liaison.errors, 'subscribe');
    await liaison.page.getByRole('button', { name: 'Create digest' }).click();
    await liaison.page.waitForURL(/\/digests\/[^/]+\?done=created$/);
    expect(await liaison.page.getByText(`Every day at ${String(hour).padStart(2, '0')}:00 (${ZONE})`).count()).toBe(1);
    expect(await liaison.page.getByText('No digest has been sent yet.').count()).toBe(1);
    const digestUrl = liaison.page.url().split('?')[0]!;

    // An officer of a council publishes a practice on that topic, through the pages.
    const officer = await newPage();
    await signIn(officer.page, 'rhian.pritchard@cardiff.gov.uk', 'Rhian Pritchard');
    await officer.page.goto('/practices/new');
    await officer.page.getByLabel('Title', { exact: true }).fill(TITLE);
    await officer.page.getByLabel('Summary', { exact: true }).fill('Security keys instead of passwords for everyone who handles postal vote packs.');
    await officer.page.getByLabel('The problem', { exact: true }).fill('Two staff gave their passwords to a fake IT helpdesk page during postal vote opening.');
    await officer.page
      .getByLabel('What you did', { exact: true })
      .fill('- A security key for every member of the team\n- Passwords switched off for the postal vote system');
    await officer.page.getByLabel('Outcomes and evidence', { exact: true }).fill('No account taken over since, in two elections.');
    await officer.page.getByLabel('Topics', { exact: true }).fill(TOPIC);
    await officer.page.getByLabel('TLP:GREEN', { exact: true }).check();
    await officer.page.getByRole('button', { name: 'Save as draft' }).click();
    await officer.page.waitForURL(/\/practices\/[A-Za-z0-9_-]+\?done=created$/);
    const practicePath = new URL(officer.page.url()).pathname;
    await officer.page.getByRole('button', { name: 'Publish', exact: true }).click();
    await officer.page.getByRole('button', { name: 'Publish practice' }).click();
    await officer.page.waitForURL(/\?done=published$/);
    expect(officer.errors).toEqual([]);

    // The scheduler's run finds the digest due; the worker composes it and sends it.
    expect(mails()).toEqual([]);
    await runDigestSchedulerNow();
    const file = await waitForMail(90_000);
    const mail = await simpleParser(readFileSync(file));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : mail.to).toContain('joanna.price@communities.gov.uk');
    expect(mail.subject).toContain('Phishing, daily at this hour');
    expect(mail.text).toContain(TITLE);
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain(TITLE);

    // The e-mail as a mail program shows it.
    const reader = await newPage();
    await reader.page.setContent(html);
    await screenshot(reader.page, 'digest-email-message');
    const link = await reader.page.getByRole('link', { name: TITLE }).getAttribute('href');
    expect(link).toBe(`${demo.server.baseUrl}${practicePath}`);

    // Its link, opened in the liaison's signed-in browser, is the practice.
    await liaison.page.goto(link!);
    expect(await liaison.page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await liaison.page.getByText('Cardiff Council').count()).toBeGreaterThan(0);
    await checkPage(liaison.page, liaison.errors, 'practice');

    // And the digest's page now lists what was sent.
    await liaison.page.goto(digestUrl);
    expect(await liaison.page.getByText('No digest has been sent yet.').count()).toBe(0);
    await checkPage(liaison.page, liaison.errors, 'digest-sent');
  }, 240_000);
});
