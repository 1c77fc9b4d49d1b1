/**
 * `npm start` as someone trying the platform sees it: the compiled server in demo mode at the default LOG_LEVEL, with
 * the worker. Before its banner it prints nothing routine (no seed, audit or wiring lines; warnings and errors would
 * still show); after it, one JSON line per request, none for probes and static files.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

const BANNER = 'Practice Exchange is running in demo mode';

describe('npm start', () => {
  let server: DemoServer | undefined;

  beforeAll(async () => {
    server = await startDemoServer({ worker: true, env: { LOG_LEVEL: undefined } });
  }, 240_000);
  afterAll(() => server?.stop(), 60_000);

  it('prints its banner with no page of start-up lines before it', () => {
    const output = server!.output.join('');
    const before = output
      .slice(0, output.indexOf(BANNER))
      .split('\n')
      .filter((line) => line.trim() !== '');
    // Anything there must be something a person should look at.
    for (const line of before) expect(JSON.parse(line)).toEqual(expect.objectContaining({ level: expect.stringMatching(/^(warn|error|fatal)$/) }));
    expect(before.length).toBeLessThanOrEqual(3);
    expect(output).toContain(`${BANNER}, listening on 127.0.0.1 only.`);
    expect(output).toMatch(/Demo contributor token \(Kent County Council\): pe_\S+/);
  });

  it('keeps the secret it generated under its data folder, for the next start', () => {
    const file = path.join(server!.dataDir, 'app-secret');
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('then logs one line per request, with its id, and none for probes and static files', async () => {
    const { baseUrl, output } = server!;
    const page = await fetch(`${baseUrl}/practices`, { headers: { 'x-request-id': 'quiet-start-page' } });
    expect(page.status).toBe(200);
    await fetch(`${baseUrl}/health`, { headers: { 'x-request-id': 'quiet-start-probe' } });
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(await page.text())?.[1];
    expect(css).toBeDefined();
    expect((await fetch(`${baseUrl}${css}`, { headers: { 'x-request-id': 'quiet-start-asset' } })).status).toBe(200);
    // The page's line is written as its response finishes: wait for it, then for a later request's, so that the
    // probe's and the asset's would be there by then too.
    const deadline = Date.now() + 10_000;
    const linesAfterBanner = () =>
      output
        .join('')
        .split(BANNER)[1]!
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    await fetch(`${baseUrl}/help`, { headers: { 'x-request-id': 'quiet-start-last' } });
    while (Date.now() < deadline && !linesAfterBanner().some((line) => line.requestId === 'quiet-start-last'))
      await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = linesAfterBanner();
    expect(lines.filter((line) => line.requestId === 'quiet-start-page')).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        req: { method: 'GET', url: '/practices' },
        res: { statusCode: 200 },
        route: '/practices',
      }),
    ]);
    expect(lines.filter((line) => line.requestId === 'quiet-start-probe' || line.requestId === 'quiet-start-asset')).toEqual([]);
  });
});
