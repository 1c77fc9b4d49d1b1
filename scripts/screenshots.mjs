// node scripts/screenshots.mjs [--base-url http://127.0.0.1:3000]   (after npm run build)
//
// Takes the README's screenshots of the web pages (docs/screenshots/*.png, 1000 CSS pixels wide) in Debian's Chromium
// (CHROMIUM_PATH overrides /usr/bin/chromium) through playwright-core. Without --base-url it starts the demo server
// as `npm start` does, on a free port with a fresh data folder, and stops it (and removes the folder) at the end.
//
// Each page is taken as the demo person who uses it. A page that answers 404 is skipped with a note, so the list can
// name pages that are still to come: re-run the script once they exist.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUT = path.join(ROOT, 'docs', 'screenshots');
const MAIN = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WIDTH = 1000;
/** Taller pages are cut here: the top of a page shows what it is, and keeps the files small. */
const MAX_HEIGHT = 1000;
/** Where the embedded PostgreSQL moves its data when, as root, it has to (libs/database). */
const RELOCATION_HOME = '/var/tmp/practice-exchange';

/** Who takes each screenshot: `null` is a visitor who has not signed in. */
const PEOPLE = {
  visitor: null,
  officer: { email: 'sarah.okafor@kent.gov.uk', name: 'Sarah Okafor' },
  welshOfficer: { email: 'rhian.pritchard@cardiff.gov.uk', name: 'Rhian Pritchard' },
  moderator: { email: 'nadia.kowalska@cabinetoffice.gov.uk', name: 'Nadia Kowalska' },
  orgAdmin: { email: 'priya.chauhan@kent.gov.uk', name: 'Priya Chauhan' },
  platformAdmin: { email: 'eleanor.hart@cabinetoffice.gov.uk', name: 'Eleanor Hart' },
};

/**
 * The screenshots, in the README's order. `open` is a path, or a function of the page that gets there the way a
 * person would; `width` overrides the window's width (a phone, or 400 % zoom).
 */
const SHOTS = [
  { file: 'start.png', as: 'visitor', open: '/?lang=en' },
  { file: 'practices.png', as: 'officer', open: '/practices?q=phishing&lang=en' },
  {
    file: 'practice.png',
    as: 'officer',
    open: async (page) => {
      await page.goto('/practices?q=rumour&lang=en');
      await page.getByRole('link', { name: 'A rumour log for the count', exact: false }).first().click();
    },
  },
  { file: 'help.png', as: 'visitor', open: '/help?lang=en' },
  { file: 'practices-welsh-phone.png', as: 'welshOfficer', open: '/practices?lang=cy', width: 320 },
  // Pages still to come at the time of writing: skipped while they answer 404.
  { file: 'write-practice.png', as: 'officer', open: '/practices/new?lang=en' },
  { file: 'digests.png', as: 'officer', open: '/digests?lang=en' },
  { file: 'tokens.png', as: 'officer', open: '/tokens?lang=en' },
  { file: 'moderation.png', as: 'moderator', open: '/moderation?lang=en' },
  { file: 'organisation.png', as: 'orgAdmin', open: '/organisation?lang=en' },
  { file: 'platform.png', as: 'platformAdmin', open: '/platform?lang=en' },
];

function say(line) {
  process.stdout.write(`${line}\n`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The demo server as `npm start` runs it, with its own data folder; resolves once it is ready. */
async function startDemoServer() {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pe-screenshots-'));
  chmodSync(dataDir, 0o755);
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(process.execPath, [MAIN, '--no-worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    const relocated = /Database: embedded PostgreSQL, data in (\S+)/.exec(output)?.[1];
    if (relocated && path.dirname(relocated).startsWith(`${RELOCATION_HOME}/data-`)) rmSync(path.dirname(relocated), { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The demo server did not start in 3 minutes:\n${output}`)), 180_000);
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        output += chunk;
        if (output.includes('Practice Exchange is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The demo server exited (${code}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

/** Signs in through the demo identity provider, as a person does. */
async function signIn(page, baseUrl, person) {
  await page.goto('/?lang=en');
  await page.getByLabel('Work email address').fill(person.email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: `Sign in as ${person.name}` }).click();
  await page.waitForURL(`${baseUrl}/`);
}

async function main() {
  const at = process.argv.indexOf('--base-url');
  const server = at > 0 ? { baseUrl: process.argv[at + 1].replace(/\/$/, ''), stop: async () => {} } : await startDemoServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  mkdirSync(OUT, { recursive: true });
  try {
    for (const [who, person] of Object.entries(PEOPLE)) {
      const shots = SHOTS.filter((shot) => shot.as === who);
      if (!shots.length) continue;
      const context = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: WIDTH, height: 900 } });
      const page = await context.newPage();
      if (person) await signIn(page, server.baseUrl, person);
      for (const shot of shots) {
        await page.setViewportSize({ width: shot.width ?? WIDTH, height: 900 });
        const response = typeof shot.open === 'string' ? await page.goto(shot.open) : (await shot.open(page), null);
        await page.waitForLoadState('load');
        if (response?.status() === 404) {
          say(`skipped ${shot.file}: ${shot.open} answers 404 (not built yet?)`);
          continue;
        }
        const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), MAX_HEIGHT);
        await page.screenshot({ path: path.join(OUT, shot.file), fullPage: true, clip: { x: 0, y: 0, width: shot.width ?? WIDTH, height } });
        say(`docs/screenshots/${shot.file}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
