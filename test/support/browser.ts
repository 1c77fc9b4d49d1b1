import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDemoServer, type DemoServer, type DemoServerOptions } from './demo-server.js';

/** Debian's Chromium (`apt-get install chromium`); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots of the pages, for people to look at (ignored by git). */
export const ARTIFACTS = path.join(process.cwd(), 'test', 'artifacts');

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/**
 * `describe` for tests that need Chromium. Without it they are skipped, with the reason in their name and on stderr;
 * under CI=true a missing browser is a failure instead, so CI cannot pass without running them.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const missing = chromiumMissing();
  if (!missing) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`Browser tests cannot run under CI=true: ${missing}`);
      });
    });
  } else {
    process.stderr.write(`Browser tests "${name}" skipped: ${missing}\n`);
    describe.skip(`${name} (skipped: ${missing})`, body);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** The demo server and Chromium one browser spec file shares; see {@link useDemoBrowser}. */
export interface DemoBrowser {
  readonly server: DemoServer;
  readonly browser: Browser;
  /** A page in a browser context of its own (its own cookies), at the demo server, with the errors it reports. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
}

/**
 * Starts the demo server (as `npm start` runs it) and Chromium before the file's tests and stops both after them;
 * closing the browser closes every context it opened. Call it inside a `describeInBrowser` body.
 */
export function useDemoBrowser(options: DemoServerOptions = {}): DemoBrowser {
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(options), launchChromium()]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
    async newPage(viewport = { width: 1100, height: 900 }) {
      const context = await browser!.newContext({ baseURL: server!.baseUrl, viewport });
      const page = await context.newPage();
      return { context, page, errors: watchForErrors(page) };
    },
  };
}

/** The WCAG 2.2 AA rule sets (and the A and 2.0/2.1 ones they include). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** axe-core's WCAG 2.2 AA violations on the page as it is now: rule id, impact and where, for a readable failure. */
export async function accessibilityViolations(page: Page): Promise<{ id: string; impact: string | null | undefined; targets: string[] }[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** A full-page screenshot under test/artifacts/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Collects what the browser reports as errors (a CSP refusal, a script error, a failed stylesheet, script, font or
 * image) so a test can insist there were none. A page's own status (a form answered 400, a 404 page) is not one.
 */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // Failed loads are reported below, with their address, for what a page loads (not the page itself).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('response', (response) => {
    const kind = response.request().resourceType();
    if (response.status() >= 400 && kind !== 'document' && !response.url().endsWith('/favicon.ico'))
      errors.push(`${kind} ${response.status()}: ${response.url()}`);
  });
  return errors;
}
